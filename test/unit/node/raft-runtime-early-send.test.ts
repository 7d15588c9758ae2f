// The leader sends AppendEntries while its own write of the entries is still in flight (dissertation §10.2.1).
// What must still hold: no client reply, no applied entry, no reported commit and no leaderCommit sent to a
// follower covers an entry before the leader's own copy of it is durable; followers' messages still wait for the
// disk; and messages to a peer keep their order.
import { describe, expect, it } from 'vitest';
import type { PeerFrame } from '../../../src/protocol/wire';
import type { ClientReplyFrame } from '../../../src/protocol/client';
import type { EventDetail } from '../../../src/protocol/control';
import type { AppendEntries, BugName } from '../../../src/raft/types';
import { harness, settle } from './manual-runtime';

const appendsTo = (sent: { frame: PeerFrame }[], peer: number): AppendEntries[] =>
  sent.map(({ frame }) => frame.msg).filter((msg): msg is AppendEntries => msg.type === 'AppendEntries' && msg.to === peer);

/** No AppendEntries ever carried a commit index beyond the leader's durable log when it was sent. */
function expectNoEarlyCommitSent(sent: { frame: PeerFrame; durableAtSend: number }[]): void {
  for (const { frame, durableAtSend } of sent) {
    if (frame.msg.type === 'AppendEntries') expect(frame.msg.leaderCommit).toBeLessThanOrEqual(durableAtSend);
  }
}

/** Per-peer order: each AppendEntries to a peer starts where the previous one ended (or repeats a heartbeat). */
function expectPerPeerOrder(sent: { frame: PeerFrame }[]): void {
  for (const peer of [2, 3]) {
    let known = 0;
    for (const msg of appendsTo(sent, peer)) {
      expect(msg.prevLogIndex).toBeLessThanOrEqual(known);
      known = Math.max(known, msg.prevLogIndex + msg.entries.length);
    }
  }
}

async function electedLeader(bugs: readonly BugName[] = []) {
  const h = harness('state', bugs);
  h.runtime.start();
  h.advance(400);
  h.runtime.reschedule(); // the timer fires at once: the election timeout has passed
  await settle(5);
  await h.wal.completeAll(); // the candidate's term and vote are durable before it asks for votes
  const votes = h.sent.map(({ frame }) => frame.msg).filter((msg) => msg.type === 'RequestVote');
  expect(votes.length).toBe(2);
  const term = votes[0]?.term ?? 0;
  h.deliver({ type: 'RequestVoteReply', from: 2, to: 1, term, voteGranted: true, preVote: false });
  await settle();
  expect(h.core.status().role).toBe('leader');
  return { ...h, term };
}

/** An elected leader with two puts proposed in separate batches, both writes still in flight; replies are recorded. */
async function leaderWithTwoPendingPuts() {
  const h = await electedLeader();
  await h.wal.completeAll();
  const replies: string[] = [];
  h.runtime.handleClient({ v: 1, requestId: 'r1', clientId: 'c', seq: 1, op: 'put', key: 'a', value: '1' }, () => replies.push('r1'));
  await settle();
  h.runtime.handleClient({ v: 1, requestId: 'r2', clientId: 'c', seq: 2, op: 'put', key: 'b', value: '2' }, () => replies.push('r2'));
  await settle();
  return { h, replies };
}

describe('leader sends AppendEntries before its own write is durable', () => {
  it('followers get new entries at once; the client hears only after the leader\'s write', async () => {
    const h = await electedLeader();
    await h.wal.completeAll(); // the leader's no-op
    // Both followers hold the no-op: flow control now streams new entries to them (replicate) rather than probing.
    const noOp = h.core.status().lastLogIndex;
    for (const from of [2, 3]) {
      h.deliver({ type: 'AppendEntriesReply', from, to: 1, term: h.term, success: true, matchIndex: noOp, conflictTerm: 0, conflictIndex: 0, readRound: 0 });
    }
    await settle();
    await h.wal.completeAll();
    const replies: Omit<ClientReplyFrame, 'v' | 'requestId' | 'node'>[] = [];
    h.runtime.handleClient({ v: 1, requestId: 'r1', clientId: 'c', seq: 1, op: 'put', key: 'k', value: 'v' }, (reply) => replies.push(reply));
    await settle();
    const index = h.core.status().lastLogIndex;
    expect(h.wal.pending.some(({ persist }) => persist.entries.some((entry) => entry.index === index))).toBe(true);
    // Sent while the write is still pending:
    for (const peer of [2, 3]) expect(appendsTo(h.sent, peer).some((msg) => msg.entries.some((entry) => entry.index === index))).toBe(true);

    // A follower acknowledges: with the leader counting itself the core commits, but nothing may act on it yet.
    h.deliver({ type: 'AppendEntriesReply', from: 2, to: 1, term: h.term, success: true, matchIndex: index, conflictTerm: 0, conflictIndex: 0, readRound: 0 });
    await settle(20);
    expect(h.core.status().commitIndex).toBe(index);
    expect(replies).toEqual([]);
    expect(Math.max(...h.reportedCommits())).toBeLessThan(index);
    h.advance(60);
    h.runtime.reschedule(); // a heartbeat is due
    await settle(5);

    await h.wal.completeAll();
    await settle(20);
    expect(replies).toEqual([{ status: 'ok', value: null, leaderHint: null, index, error: null }]);
    expect(Math.max(...h.reportedCommits())).toBe(index);
    expectNoEarlyCommitSent(h.sent);
    expectPerPeerOrder(h.sent);
  });

  it('with the planted bug apply-before-durable the client hears before the leader\'s own write is durable', async () => {
    const h = await electedLeader(['apply-before-durable']);
    await h.wal.completeAll(); // the leader's no-op
    const noOp = h.core.status().lastLogIndex;
    for (const from of [2, 3]) {
      h.deliver({ type: 'AppendEntriesReply', from, to: 1, term: h.term, success: true, matchIndex: noOp, conflictTerm: 0, conflictIndex: 0, readRound: 0 });
    }
    await settle();
    await h.wal.completeAll();
    const replies: Omit<ClientReplyFrame, 'v' | 'requestId' | 'node'>[] = [];
    h.runtime.handleClient({ v: 1, requestId: 'r1', clientId: 'c', seq: 1, op: 'put', key: 'k', value: 'v' }, (reply) => replies.push(reply));
    await settle();
    const index = h.core.status().lastLogIndex;
    h.deliver({ type: 'AppendEntriesReply', from: 2, to: 1, term: h.term, success: true, matchIndex: index, conflictTerm: 0, conflictIndex: 0, readRound: 0 });
    await settle(20);
    expect(h.wal.pending.some(({ persist }) => persist.entries.some((entry) => entry.index === index))).toBe(true);
    expect(replies).toEqual([{ status: 'ok', value: null, leaderHint: null, index, error: null }]);
    // And the server's card says so: applied up to the entry whose write is still pending.
    const applied = h.reportedEvents('node-state').map((event) => (event['state'] as { lastApplied: number }).lastApplied);
    expect(Math.max(...applied)).toBe(index);
  });

  it('a commit that counted the leader\'s pending write is not reported while an earlier write completes', async () => {
    const { h, replies } = await leaderWithTwoPendingPuts();
    const second = h.core.status().lastLogIndex;
    const first = second - 1;
    expect(h.wal.pending.length).toBe(2);
    h.deliver({ type: 'AppendEntriesReply', from: 3, to: 1, term: h.term, success: true, matchIndex: second, conflictTerm: 0, conflictIndex: 0, readRound: 0 });
    await settle();
    expect(h.core.status().commitIndex).toBe(second);
    await h.wal.completeNext(); // the first write is durable, the second is not
    await settle(20);
    expect(Math.max(...h.reportedCommits())).toBe(first);
    expect(replies).toEqual([]); // the commit batch waits behind the second write
    await h.wal.completeAll();
    await settle(20);
    expect(replies).toEqual(['r1', 'r2']);
    expect(Math.max(...h.reportedCommits())).toBe(second);
    expectNoEarlyCommitSent(h.sent);
    expectPerPeerOrder(h.sent);
  });

  it('a commit is answered once its entry is durable, without waiting for the write of a newer entry', async () => {
    const { h, replies } = await leaderWithTwoPendingPuts();
    const first = h.core.status().lastLogIndex - 1;
    h.deliver({ type: 'AppendEntriesReply', from: 2, to: 1, term: h.term, success: true, matchIndex: first, conflictTerm: 0, conflictIndex: 0, readRound: 0 });
    await settle(5);
    expect(replies).toEqual([]); // committed with the leader counted, but not durable here yet
    await h.wal.completeNext();
    await settle(5);
    expect(h.wal.pending.length).toBe(1); // the newer entry's write is still in flight
    expect(replies).toEqual(['r1']);
  });

  it('a follower still acknowledges only what it has made durable', async () => {
    const h = harness();
    h.runtime.start();
    h.deliver({ type: 'AppendEntries', from: 2, to: 1, term: 1, prevLogIndex: 0, prevLogTerm: 0, leaderCommit: 0, readRound: 0,
      entries: [{ index: 1, term: 1, command: null }] });
    await settle(5);
    expect(h.sent.filter(({ frame }) => frame.msg.type === 'AppendEntriesReply')).toEqual([]);
    await h.wal.completeAll();
    await settle();
    const acks = h.sent.map(({ frame }) => frame.msg).filter((msg) => msg.type === 'AppendEntriesReply');
    expect(acks).toMatchObject([{ success: true, matchIndex: 1 }]);
  });
});

describe('event detail', () => {
  const followerWritesOneEntry = async (eventDetail: EventDetail) => {
    const h = harness(eventDetail);
    h.runtime.start();
    h.deliver({ type: 'AppendEntries', from: 2, to: 1, term: 1, prevLogIndex: 0, prevLogTerm: 0, leaderCommit: 0, readRound: 0,
      entries: [{ index: 1, term: 1, command: null }] });
    await settle(5);
    await h.wal.completeAll();
    await settle(15); // the reporter flushes every 10 ms
    return h;
  };

  it('state reports the log writes (the checkers compare logs) and quiet does not, while both report the state', async () => {
    const state = await followerWritesOneEntry('state');
    expect(state.reportedEvents('log-write')).toMatchObject([{ entries: [{ index: 1, term: 1 }] }]);
    const raftKinds = (h: typeof state): unknown[] => h.reportedEvents('raft').map((event) => (event['event'] as { kind: string }).kind);
    expect(raftKinds(state)).toContain('entries-appended');
    const quiet = await followerWritesOneEntry('quiet');
    expect(quiet.reportedEvents('log-write')).toEqual([]);
    expect(raftKinds(quiet)).not.toContain('entries-appended'); // per-batch events: not in quiet
    expect(raftKinds(quiet)).toContain('term-changed'); // rare ones are
    expect(quiet.reportedEvents('node-state').at(-1)).toMatchObject({ state: { lastLogIndex: 1, term: 1 } });
  });
});
