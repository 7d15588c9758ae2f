// The leader's side of log compaction (§7): "the leader must occasionally send snapshots to followers that lag
// behind", in chunks (Figure 13's offset and done), one chunk in flight per follower; and a whole cluster in which a
// follower that missed compacted entries catches up through InstallSnapshot.

import { describe, expect, it } from 'vitest';
import type { RaftNode } from '../../../src/raft';
import { Cluster, persisted } from './cluster';
import { appendEntries, appendReply, drain, entry, makeLeader, messagesOf, snapshotReply } from './messages';

/**
 * S1 leads term 2 over a recovered log 1..3 (term 1) plus its no-op 4; S2 acknowledged everything, so 1..4 are
 * committed and applied; the log is compacted through 3 with `data`. S3 has not answered: its nextIndex is 4.
 */
function leaderWithSnapshot(data: string, chunk?: number): RaftNode {
  const node = makeLeader(persisted(1, null, [1, 1, 1]), chunk === undefined ? {} : { maxSnapshotChunkChars: chunk });
  drain(node);
  node.step(appendReply(2, 1, 2, true, 4));
  drain(node);
  node.compact(3, data);
  drain(node);
  node.step(appendReply(3, 1, 2, false, 0, { conflictTerm: 0, conflictIndex: 1 })); // S3's log is empty
  return node;
}

describe('§7: the leader sends InstallSnapshot to a follower that lags behind', () => {
  it('"the leader uses InstallSnapshot when it has already discarded the next log entry that it needs to send to a follower"', () => {
    const node = leaderWithSnapshot('state@3');
    const ready = drain(node);
    expect(node.status().progress?.[3]).toMatchObject({ state: 'snapshot' });
    expect(ready.events.find((e) => e.kind === 'progress-changed')).toMatchObject({
      rule: 'Flow control (as in etcd-io/raft) · Snapshot: no AppendEntries while InstallSnapshot is in flight',
      reason: 'S3 needs entry 1, which our snapshot through 3 replaced: AppendEntries stop until InstallSnapshot completes; ' +
        'S3 probe -> snapshot: InstallSnapshot only',
    });
    expect(messagesOf(ready, 'InstallSnapshot')).toEqual([{
      type: 'InstallSnapshot', from: 1, to: 3, term: 2, lastIncludedIndex: 3, lastIncludedTerm: 1, offset: 0, data: 'state@3', done: true,
    }]);
    expect(messagesOf(ready, 'AppendEntries')).toEqual([]);
    const event = ready.events.find((e) => e.kind === 'snapshot-sent');
    expect(event?.reason).toBe('S3 needs entry 1, but our log was compacted through 3: sending the snapshot (last index 3, term 1), ' +
      'characters 0..6 of 7 (last chunk)');
  });

  it('on the last chunk\'s reply: matchIndex = lastIncludedIndex, nextIndex = lastIncludedIndex + 1, then AppendEntries carry on', () => {
    const node = leaderWithSnapshot('state@3');
    drain(node);
    node.step(snapshotReply(3, 1, 2, 3, 7, true));
    const ready = drain(node);
    // Its log matches up to 3 now: flow control leaves snapshot for replicate, and entry 4 is in flight.
    expect(node.status().progress?.[3]).toEqual({ matchIndex: 3, nextIndex: 5, state: 'replicate', inflight: 1 });
    expect(messagesOf(ready, 'AppendEntries')).toEqual([expect.objectContaining({ to: 3, prevLogIndex: 3, prevLogTerm: 1, entries: [entry(4, 2, null)] })]);
    expect(ready.events.find((e) => e.kind === 'append-accepted')?.rule).toMatch(/Figure 13/);
    expect(ready.events.find((e) => e.kind === 'progress-changed')).toMatchObject({
      rule: 'Flow control (as in etcd-io/raft) · Replicate: AppendEntries pipelined within the in-flight window',
      reason: 'S3 holds the snapshot through 3: its log matches ours up to there; S3 snapshot -> replicate: entries from 4 are pipelined, ' +
        'up to 64 messages / 1 MiB in flight',
    });
    node.step(appendReply(3, 1, 2, true, 4));
    expect(node.status().progress?.[3]).toEqual({ matchIndex: 4, nextIndex: 5, state: 'replicate', inflight: 0 });
  });

  it('the snapshot is sent in chunks of maxSnapshotChunkChars, one in flight; each reply moves the transfer on', () => {
    const node = leaderWithSnapshot('0123456789', 4);
    const first = messagesOf(drain(node), 'InstallSnapshot');
    expect(first.map((m) => [m.offset, m.data, m.done])).toEqual([[0, '0123', false]]);
    node.propose('x'); // a proposal does not resend a chunk that is still in flight
    expect(messagesOf(drain(node), 'InstallSnapshot')).toEqual([]);
    node.step(snapshotReply(3, 1, 2, 3, 4, false));
    expect(messagesOf(drain(node), 'InstallSnapshot').map((m) => [m.offset, m.data, m.done])).toEqual([[4, '4567', false]]);
    node.step(snapshotReply(3, 1, 2, 3, 8, false));
    expect(messagesOf(drain(node), 'InstallSnapshot').map((m) => [m.offset, m.data, m.done])).toEqual([[8, '89', true]]);
  });

  it('a lost chunk is resent from the acknowledged offset at the next heartbeat', () => {
    const node = leaderWithSnapshot('0123456789', 4);
    drain(node);
    node.step(snapshotReply(3, 1, 2, 3, 4, false));
    drain(node); // chunk 4..8 is lost
    node.tick(node.nextDeadlineMs());
    const ready = drain(node);
    expect(messagesOf(ready, 'InstallSnapshot').map((m) => [m.to, m.offset, m.data])).toEqual([[3, 4, '4567']]);
    // A resend is not a new transfer, and the range is inclusive like every other range.
    expect(ready.events.find((e) => e.kind === 'snapshot-sent')?.reason).toBe('S3 has not acknowledged the last chunk: resending the ' +
      'snapshot (last index 3, term 1), characters 4..7 of 10');
  });

  it('a follower that restarted says it holds 0 characters: the transfer resumes from 0', () => {
    const node = leaderWithSnapshot('0123456789', 4);
    drain(node);
    node.step(snapshotReply(3, 1, 2, 3, 4, false));
    drain(node);
    node.step(snapshotReply(3, 1, 2, 3, 0, false));
    expect(messagesOf(drain(node), 'InstallSnapshot').map((m) => [m.offset, m.data])).toEqual([[0, '0123']]);
  });

  it('a newer snapshot on the leader does not restart a transfer: it finishes the one it started with, then sends the newer one', () => {
    // Restarting at every compaction would never finish a large snapshot under steady writes (etcd pins it too).
    const node = leaderWithSnapshot('0123456789', 4);
    drain(node);
    node.step(appendReply(2, 1, 2, true, 4));
    node.compact(4, 'abcdefgh');
    drain(node);
    node.step(snapshotReply(3, 1, 2, 3, 4, false));
    const next = drain(node);
    expect(messagesOf(next, 'InstallSnapshot').map((m) => [m.lastIncludedIndex, m.offset, m.data, m.done])).toEqual([[3, 4, '4567', false]]);
    expect(next.events.find((e) => e.kind === 'snapshot-sent')?.reason).toBe('S3 needs entry 1, but our log was compacted through 4: ' +
      'sending the snapshot (last index 3, term 1), characters 4..7 of 10 (the transfer keeps the snapshot it started with; ' +
      'we have compacted through 4 since)');
    node.step(snapshotReply(3, 1, 2, 3, 8, false));
    expect(messagesOf(drain(node), 'InstallSnapshot').map((m) => [m.lastIncludedIndex, m.offset, m.data, m.done])).toEqual([[3, 8, '89', true]]);
    node.step(snapshotReply(3, 1, 2, 3, 10, true));
    // S3 holds 1..3, but entry 4 is compacted too: the newer snapshot follows.
    expect(node.status().progress?.[3]).toEqual({ matchIndex: 3, nextIndex: 4, state: 'snapshot', inflight: 0 });
    expect(messagesOf(drain(node), 'InstallSnapshot').map((m) => [m.lastIncludedIndex, m.offset, m.data])).toEqual([[4, 0, 'abcd']]);
    node.step(snapshotReply(3, 1, 2, 3, 4, false)); // late, about the finished transfer
    const stale = drain(node);
    expect(messagesOf(stale, 'InstallSnapshot')).toEqual([]);
    expect(stale.events.find((e) => e.kind === 'message-ignored')).toMatchObject({
      rule: 'Raft Lab · reply to an abandoned chunked transfer',
      reason: 'InstallSnapshot reply from S3 is about the snapshot through 3, which is no longer being sent to it',
    });
  });

  it('a reordered done reply for an older snapshot does not move matchIndex back', () => {
    const node = leaderWithSnapshot('s');
    drain(node);
    node.step(snapshotReply(3, 1, 2, 3, 1, true));
    node.step(appendReply(3, 1, 2, true, 4));
    node.step(snapshotReply(3, 1, 2, 3, 1, true)); // duplicate, late
    const ready = drain(node);
    expect(node.status().progress?.[3]).toMatchObject({ matchIndex: 4, nextIndex: 5 });
    expect(ready.events.find((e) => e.kind === 'message-ignored')).toMatchObject({
      rule: 'Figure 2 · State · matchIndex (increases monotonically)',
      reason: 'InstallSnapshot reply from S3 confirms index 3, but matchIndex is already 4 ' +
        '(it answers an older or duplicate request, or AppendEntries got there first)',
    });
  });

  it('a reply from an older term is ignored (§5.1: terms expose obsolete information); one from a newer term deposes the leader', () => {
    const node = leaderWithSnapshot('s');
    drain(node);
    node.step(snapshotReply(3, 1, 1, 3, 1, true));
    expect(drain(node).events.find((e) => e.kind === 'message-ignored')).toMatchObject({
      rule: '§5.1 · terms expose obsolete information',
      reason: 'InstallSnapshotReply from S3 ignored: it carries term 1, so it answers a request of an earlier term; we are in term 2',
    });
    expect(node.status().progress?.[3]).toMatchObject({ matchIndex: 0, nextIndex: 1 });
    node.step(snapshotReply(3, 1, 3, 3, 0, false));
    expect(node.status()).toMatchObject({ role: 'follower', term: 3 });
  });

  it('a reply that reaches a server that is no longer the leader is ignored: only a leader keeps matchIndex (§5.3)', () => {
    const node = leaderWithSnapshot('s');
    drain(node);
    node.step(appendEntries(2, 1, 3, 4, 2)); // S2 leads term 3 now
    drain(node);
    node.step(snapshotReply(3, 1, 3, 3, 1, true));
    expect(drain(node).events.find((e) => e.kind === 'message-ignored')).toMatchObject({
      rule: '§5.3 · only a leader keeps nextIndex, matchIndex',
      reason: 'InstallSnapshot reply from S3 ignored: S1 is a follower in term 3, no longer the leader',
    });
  });
});

describe('a cluster with log compaction', () => {
  it('a follower that missed compacted entries catches up through InstallSnapshot, then AppendEntries; all apply the same state', () => {
    const cluster = new Cluster({ size: 3, maxSnapshotChunkChars: 3 });
    const leader = cluster.electLeader();
    const lagging = leader === 3 ? 2 : 3;
    cluster.isolate(lagging);
    for (let i = 0; i < 6; i++) cluster.node(leader).propose(`c${i}`);
    cluster.run(100);
    const applied = cluster.node(leader).status().lastApplied;
    expect(applied).toBe(7);
    cluster.node(leader).compact(6, 'snapshot-through-6');
    cluster.drain(leader);
    cluster.heal();
    cluster.run(200);
    const status = cluster.node(lagging).status();
    expect(status).toMatchObject({ snapshotIndex: 6, commitIndex: 7, lastApplied: 7, lastLogIndex: 7 });
    expect(cluster.node(lagging).snapshot()?.data).toBe('snapshot-through-6');
    expect(cluster.eventsOf(leader, 'snapshot-sent').length).toBeGreaterThanOrEqual(6); // 18 characters in 3-character chunks
    expect(cluster.eventsOf(lagging, 'snapshot-installed')).toHaveLength(1);
    expect(cluster.applied.get(lagging)?.map((e) => e.index)).toEqual([7]);
    // Its disk holds the snapshot and the entry after it; a restart recovers from them.
    expect(cluster.disk(lagging).durable.snapshot?.lastIncludedIndex).toBe(6);
    cluster.restart(lagging);
    expect(cluster.node(lagging).status()).toMatchObject({ snapshotIndex: 6, commitIndex: 6, lastApplied: 6, lastLogIndex: 7 });
    cluster.run(100);
    expect(cluster.node(lagging).status().commitIndex).toBe(7);
  });
});
