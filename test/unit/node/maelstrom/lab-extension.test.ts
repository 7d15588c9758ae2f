// The raft_lab_state / raft_lab_event extension: merged state as node-state events, the log as log-write events
// from the first changed entry, notes as node-note events; bad input is a problem, never an event.
import { describe, expect, it } from 'vitest';
import { LabExtension } from '../../../../src/node/maelstrom/lab-extension';

const at = (): number => 42;

describe('LabExtension', () => {
  it('merges each state into the last and reports only the changed part of the log', () => {
    const extension = new LabExtension(2, at);
    const first = extension.handle({ type: 'raft_lab_state', role: 'candidate', term: 3, voted_for: 'n2', log: [{ term: 1 }, { term: 3, op: { k: 1 } }] });
    expect(first.ok && first.events.map((event) => event.type)).toEqual(['log-write', 'node-state']);
    if (!first.ok) return;
    expect(first.events[0]).toMatchObject({ entries: [{ index: 1, term: 1, command: null }, { index: 2, term: 3, command: '{"k":1}' }] });
    expect(first.events[1]).toMatchObject({ state: { role: 'candidate', term: 3, votedFor: 2, lastLogIndex: 2, lastLogTerm: 3 } });
    const second = extension.handle({ type: 'raft_lab_state', role: 'leader', commit_index: 2, log: [{ term: 1 }, { term: 3, op: { k: 1 } }, { term: 3 }] });
    expect(second.ok).toBe(true);
    if (!second.ok) return;
    expect(second.events[0]).toMatchObject({ type: 'log-write', entries: [{ index: 3, term: 3 }] });
    expect(second.events[1]).toMatchObject({ state: { role: 'leader', term: 3, votedFor: 2, leaderId: 2, commitIndex: 2 } });
  });

  it('a raft_lab_event becomes a node-note', () => {
    const result = new LabExtension(1, at).handle({ type: 'raft_lab_event', text: 'became leader', rule: '§5.2' });
    expect(result).toEqual({ ok: true, events: [{ type: 'node-note', atNs: 42, node: 1, text: 'became leader', rule: '§5.2' }] });
  });

  it.each([
    [{ type: 'raft_lab_state', role: 'boss' }, 'role'],
    [{ type: 'raft_lab_state', term: -1 }, 'term'],
    [{ type: 'raft_lab_state', voted_for: 'c1' }, 'voted_for "c1" is not a node'],
    [{ type: 'raft_lab_state', log: [{ op: 1 }] }, 'log.0.term'],
    [{ type: 'raft_lab_event' }, 'text'],
    [{ type: 'hello' }, 'takes raft_lab_state and raft_lab_event'],
  ])('%j is refused (%s)', (body, problem) => {
    const result = new LabExtension(1, at).handle(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toContain(problem);
  });
});
