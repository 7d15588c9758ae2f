// A student's own nodes (settings.implementation): their role is unknown until they report it with raft_lab_state,
// again after each restart; the lab's own Raft is never "unknown"; their messages keep their own type names.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/protocol/lab-api';
import { applyEvents } from '../../../renderer/src/model/reducer';
import { emptyModel } from '../../../renderer/src/model/model-state';
import { eventSummary } from '../../../renderer/src/model/event-summary';
import { EventStream } from './event-builders';

function startWith(implementation: (typeof DEFAULT_SETTINGS)['implementation']): EventStream {
  const stream = new EventStream();
  stream.add({ type: 'cluster-phase', phase: 'starting', settings: { ...DEFAULT_SETTINGS, electionTimeoutMs: [...DEFAULT_SETTINGS.electionTimeoutMs],
    networkDelayMs: [...DEFAULT_SETTINGS.networkDelayMs], bugs: [], ...(implementation ? { implementation } : {}) } });
  stream.status(1, 'starting');
  stream.alive(1);
  stream.status(1, 'running');
  return stream;
}

describe('the view of a student\'s own nodes', () => {
  it('a node is of unknown role until its raft_lab_state, and again after a restart', () => {
    const stream = startWith({ kind: 'example' });
    const model = emptyModel(DEFAULT_SETTINGS, 0);
    expect(applyEvents(model, stream.events).view.nodes[1]?.roleUnknown).toBe(true);
    stream.state(1, { role: 'leader', term: 2 });
    expect(applyEvents(model, stream.events).view.nodes[1]).toMatchObject({ roleUnknown: false, role: 'leader', term: 2 });
    stream.status(1, 'crashed');
    stream.alive(1);
    expect(applyEvents(model, stream.events).view.nodes[1]?.roleUnknown).toBe(true);
  });

  it('the lab\'s own Raft is never of unknown role', () => {
    const stream = startWith(undefined);
    expect(applyEvents(emptyModel(DEFAULT_SETTINGS, 0), stream.events).view.nodes[1]?.roleUnknown).toBeUndefined();
  });

  it('messages and notes read in the student\'s own words', () => {
    const stream = startWith({ kind: 'executable', bin: './my-raft', args: [] });
    const sent = stream.add({ type: 'message', node: 1, direction: 'send', id: '1-1', dropReason: null,
      message: { type: 'request_vote', from: 1, to: 2, term: 3, fields: { candidate_id: 'n1' } } });
    const note = stream.add({ type: 'node-note', node: 1, text: 'n1 won the election of term 3', rule: '§5.2' });
    expect(eventSummary(sent)).toContain('request_vote S1→S2');
    expect(eventSummary(note)).toBe('says: n1 won the election of term 3');
  });
});
