// ReadIndex: Raft dissertation §6.4 (linearizable reads without log writes).

import { describe, expect, it } from 'vitest';
import { persisted } from './cluster';
import { appendEntries, appendReply, drain, makeLeader, messagesOf, newNode, voteReply } from './messages';

/** Read rounds of a term-1 leader start above every round of term 0 (see becomeLeader). */
const ROUND_BASE = 2 ** 24;

/** A leader of term 1 whose no-op (index 1) is committed. */
function committedLeader() {
  const node = makeLeader();
  drain(node);
  node.step(appendReply(2, 1, 1, true, 1));
  drain(node);
  expect(node.status().commitIndex).toBe(1);
  return node;
}

describe('§6.4 ReadIndex', () => {
  it('The leader records commitIndex as the read index and confirms it only after a majority acknowledges a heartbeat round', () => {
    const node = committedLeader();
    node.readIndex('r1');
    let ready = drain(node);
    expect(ready.readStates).toEqual([]);
    const heartbeats = messagesOf(ready, 'AppendEntries');
    expect(heartbeats.map((m) => [m.to, m.readRound])).toEqual([[2, ROUND_BASE + 1], [3, ROUND_BASE + 1]]);
    node.step(appendReply(3, 1, 1, true, 1, { readRound: ROUND_BASE + 1 }));
    ready = drain(node);
    expect(ready.readStates).toEqual([{ requestId: 'r1', index: 1 }]);
    expect(ready.events.find((e) => e.kind === 'read-confirmed')?.rule).toBe('Dissertation §6.4 · ReadIndex');
    expect(ready.events.find((e) => e.kind === 'read-confirmed')?.reason).toBe('read r1 may be served once index 1 is applied: its readIndex 1 ' +
      `is the commitIndex when the read arrived (step 2); a majority acknowledged heartbeat round ${ROUND_BASE + 1} or later (step 3), ` +
      'so S1 was still the leader after the read arrived');
  });

  it('An acknowledgement of an older round (sent before the read arrived) does not confirm it', () => {
    const node = committedLeader();
    node.tick(node.nextDeadlineMs()); // heartbeat of the term's first round in flight
    drain(node);
    node.readIndex('r1');
    drain(node);
    node.step(appendReply(2, 1, 1, true, 1, { readRound: ROUND_BASE }));
    expect(drain(node).readStates).toEqual([]);
    node.step(appendReply(2, 1, 1, false, 0, { conflictTerm: 0, conflictIndex: 2, readRound: ROUND_BASE + 1 })); // a rejection still acknowledges the term
    expect(drain(node).readStates).toEqual([{ requestId: 'r1', index: 1 }]);
  });

  it('A new leader waits until an entry of its current term has committed before taking a read index', () => {
    const node = makeLeader(persisted(1, null, [1, 1]));
    drain(node);
    node.readIndex('early');
    const ready = drain(node);
    expect(messagesOf(ready, 'AppendEntries')).toEqual([]); // nothing to confirm yet
    node.step(appendReply(2, 1, 2, true, 3, { readRound: 0 })); // no-op (index 3) commits
    const afterCommit = drain(node);
    const round = messagesOf(afterCommit, 'AppendEntries')[0]?.readRound ?? 0;
    expect(round).toBeGreaterThan(0);
    node.step(appendReply(2, 1, 2, true, 3, { readRound: round }));
    const confirmed = drain(node);
    expect(confirmed.readStates).toEqual([{ requestId: 'early', index: 3 }]);
    expect(confirmed.events.find((e) => e.kind === 'read-confirmed')?.reason).toContain('its readIndex 3 is the commitIndex once this ' +
      'term\'s first entry (its no-op) had committed (steps 1-2)');
  });

  it('A delayed reply from before a crash cannot confirm a read of the restarted leader (rounds restart above older terms)', () => {
    // Term 2 leader restarted from disk: its in-memory rounds are gone, but it starts them above term 1's.
    const node = makeLeader(persisted(1, null, [1]));
    drain(node);
    node.step(appendReply(2, 1, 2, true, 2, { readRound: 0 }));
    expect(node.status().commitIndex).toBe(2);
    drain(node);
    node.readIndex('r1');
    drain(node);
    // The previous incarnation (term 1) had reached round 7; its reply arrives late, stamped with our term.
    node.step(appendReply(2, 1, 2, true, 2, { readRound: ROUND_BASE * 1 + 7 }));
    node.step(appendReply(3, 1, 2, true, 2, { readRound: ROUND_BASE * 1 + 7 }));
    expect(drain(node).readStates).toEqual([]);
  });

  it('On a follower or candidate the read fails with a leader hint', () => {
    const node = newNode(2);
    node.step(appendEntries(1, 2, 1, 0, 0));
    node.readIndex('r');
    const ready = drain(node);
    expect(ready.readFailures).toEqual([{ requestId: 'r', leaderHint: 1 }]);
    expect(ready.events.find((e) => e.kind === 'read-failed')).toMatchObject({
      rule: '§8 · clients are redirected to the leader',
      reason: 'read r failed: S2 is a follower, not the leader; try S1 (the leader)',
    });
    const lost = newNode(3);
    lost.readIndex('q');
    expect(drain(lost).events.find((e) => e.kind === 'read-failed')?.reason)
      .toBe('read q failed: S3 is a follower, not the leader; no leader known yet: try another server');
  });

  it('A leader that steps down fails its pending reads, hinting at the new leader', () => {
    const node = committedLeader();
    node.readIndex('r1');
    drain(node);
    node.step(appendEntries(3, 1, 2, 1, 1));
    const ready = drain(node);
    expect(ready.readFailures).toEqual([{ requestId: 'r1', leaderHint: 3 }]);
    expect(ready.readStates).toEqual([]);
    expect(ready.events.find((e) => e.kind === 'read-failed')?.reason).toBe('read r1 failed: S1 stepped down in term 2; try S3 (the leader)');
  });

  it('Too many pending reads fail fast: a lab resource limit, not a rule of the paper', () => {
    const node = committedLeader();
    for (let i = 0; i < 4096; i++) node.readIndex(`r${i}`);
    drain(node);
    node.readIndex('one too many');
    expect(drain(node).events.find((e) => e.kind === 'read-failed')).toMatchObject({
      rule: 'Raft Lab · flow control (not in the paper)',
      reason: 'read one too many failed: 4096 reads already pending; retry later',
    });
  });

  it('A single-server cluster confirms a read at once', () => {
    const node = newNode(1, null, { members: [1] });
    node.tick(node.nextDeadlineMs());
    node.readIndex('solo');
    expect(drain(node).readStates).toEqual([{ requestId: 'solo', index: 1 }]);
  });

  it('Reads of one round are confirmed together, in order', () => {
    const node = committedLeader();
    node.readIndex('a');
    node.readIndex('b');
    const round = Math.max(...messagesOf(drain(node), 'AppendEntries').map((m) => m.readRound));
    node.step(appendReply(2, 1, 1, true, 1, { readRound: round }));
    expect(drain(node).readStates.map((r) => r.requestId)).toEqual(['a', 'b']);
  });

  it('A vote reply never confirms a read (only AppendEntries replies carry rounds)', () => {
    const node = committedLeader();
    node.readIndex('a');
    drain(node);
    node.step(voteReply(3, 1, 1, true));
    expect(drain(node).readStates).toEqual([]);
  });
});
