// Flow control as in etcd-io/raft: each follower is in probe, replicate or snapshot, and a leader keeps at most a
// window of AppendEntries (in messages and in bytes) in flight to it. Entries are sent once, not with every heartbeat.

import { describe, expect, it } from 'vitest';
import type { RaftNode } from '../../../src/raft';
import { persisted } from './cluster';
import { appendReply, drain, makeLeader, messagesOf } from './messages';
import type { ClusterOptions } from './cluster';

/** S1 leads term 1 with its no-op at 1; S2 acknowledged it (replicate); S3 never answered (probe, probe sent). */
function leaderWithReplicatingS2(options: ClusterOptions = {}): RaftNode {
  const node = makeLeader(null, options);
  drain(node);
  node.step(appendReply(2, 1, 1, true, 1));
  drain(node);
  return node;
}

function sentTo(node: RaftNode, peer: number): { prevLogIndex: number; indexes: number[] }[] {
  return messagesOf(drain(node), 'AppendEntries').filter((m) => m.to === peer)
    .map((m) => ({ prevLogIndex: m.prevLogIndex, indexes: m.entries.map((e) => e.index) }));
}

describe('probe: one AppendEntries at a time until the follower\'s log is known to match', () => {
  it('a new leader starts every follower in probe, and a proposal waits for the probe\'s answer', () => {
    const node = makeLeader();
    drain(node);
    expect(node.status().progress?.[2]).toEqual({ nextIndex: 1, matchIndex: 0, state: 'probe', inflight: 0 });
    node.propose('x');
    expect(sentTo(node, 2)).toEqual([]);
  });

  it('a follower that never answers gets one AppendEntries per heartbeat, however many proposals arrive', () => {
    const node = leaderWithReplicatingS2();
    let toS3 = 0;
    let nowMs = 0;
    for (let heartbeat = 0; heartbeat < 10; heartbeat++) {
      for (let i = 0; i < 5; i++) {
        node.propose(`c${heartbeat}.${i}`);
        toS3 += sentTo(node, 3).length;
      }
      nowMs = node.nextDeadlineMs();
      node.tick(nowMs);
      toS3 += sentTo(node, 3).length;
    }
    expect(toS3).toBe(10);
  });

  it('each answer lets the next probe go at once: a rejection backs nextIndex off and probes again', () => {
    const node = makeLeader(persisted(1, null, [1, 1, 1, 1]));
    drain(node);
    node.step(appendReply(2, 1, 2, false, 0, { conflictTerm: 0, conflictIndex: 3 }));
    expect(sentTo(node, 2)).toEqual([{ prevLogIndex: 2, indexes: [3, 4, 5] }]);
    expect(node.status().progress?.[2]).toMatchObject({ state: 'probe', nextIndex: 3 });
  });

  it('a success moves the follower to replicate, and the event says why', () => {
    const node = makeLeader();
    drain(node);
    node.step(appendReply(2, 1, 1, true, 1));
    const ready = drain(node);
    expect(node.status().progress?.[2]).toEqual({ nextIndex: 2, matchIndex: 1, state: 'replicate', inflight: 0 });
    expect(ready.events.find((e) => e.kind === 'progress-changed')).toMatchObject({
      rule: 'Flow control (as in etcd-io/raft) · Replicate: AppendEntries pipelined within the in-flight window',
      reason: 'S2\'s log matches ours up to 1; S2 probe -> replicate: entries from 2 are pipelined, up to 64 messages / 1 MiB in flight',
      data: { peer: 2, from: 'probe', to: 'replicate', nextIndex: 2, matchIndex: 1 },
    });
  });

  it('the reason says a byte window as a student reads it: MiB, KiB, or bytes', () => {
    const reasonWith = (maxInflightBytes: number): string | undefined => {
      const node = makeLeader(null, { maxInflightBytes });
      drain(node);
      node.step(appendReply(2, 1, 1, true, 1));
      return drain(node).events.find((e) => e.kind === 'progress-changed')?.reason;
    };
    expect(reasonWith(64 * 1024)).toMatch(/up to 64 messages \/ 64 KiB in flight$/);
    expect(reasonWith(1500)).toMatch(/up to 64 messages \/ 1500 bytes in flight$/);
  });

  it('a read round reaches a follower whose probe is unanswered, with an empty AppendEntries', () => {
    const node = leaderWithReplicatingS2();
    node.step(appendReply(3, 1, 1, true, 1));
    drain(node); // the no-op committed; S3 replicates too
    node.propose('x');
    drain(node);
    node.step(appendReply(3, 1, 1, false, 0, { conflictTerm: 0, conflictIndex: 2 })); // S3 lost entry 2: back to probe
    drain(node);
    node.readIndex('r1');
    const toS3 = messagesOf(drain(node), 'AppendEntries').filter((m) => m.to === 3);
    expect(toS3.map((m) => [m.prevLogIndex, m.entries.length, m.readRound > 0])).toEqual([[1, 0, true]]);
  });
});

describe('replicate: entries pipelined within a window bounded in messages and bytes', () => {
  it('each entry is sent once: a heartbeat carries no entries that are already in flight', () => {
    const node = leaderWithReplicatingS2();
    node.propose('a');
    expect(sentTo(node, 2)).toEqual([{ prevLogIndex: 1, indexes: [2] }]);
    node.propose('b');
    expect(sentTo(node, 2)).toEqual([{ prevLogIndex: 2, indexes: [3] }]);
    node.tick(node.nextDeadlineMs());
    // The heartbeat is empty, at nextIndex - 1: its answer acknowledges all in flight, a rejection shows a loss.
    expect(sentTo(node, 2)).toEqual([{ prevLogIndex: 3, indexes: [] }]);
    expect(node.status().progress?.[2]).toEqual({ nextIndex: 4, matchIndex: 1, state: 'replicate', inflight: 2 });
  });

  it('a full window (in messages) stops sending; an acknowledgement frees it and what waited goes out', () => {
    const node = leaderWithReplicatingS2({ maxInflightMessages: 2 });
    for (const command of ['a', 'b', 'c', 'd']) {
      node.propose(command);
      drain(node);
    }
    expect(node.status().progress?.[2]).toEqual({ nextIndex: 4, matchIndex: 1, state: 'replicate', inflight: 2 });
    node.step(appendReply(2, 1, 1, true, 2));
    expect(sentTo(node, 2)).toEqual([{ prevLogIndex: 3, indexes: [4, 5] }]);
    expect(node.status().progress?.[2]).toEqual({ nextIndex: 6, matchIndex: 2, state: 'replicate', inflight: 2 });
  });

  it('a full window (in bytes) stops sending too: here 10 bytes, commands of 6', () => {
    const node = leaderWithReplicatingS2({ maxInflightBytes: 10 });
    let sent = 0;
    for (const command of ['aaaaaa', 'bbbbbb', 'cccccc']) {
      node.propose(command);
      sent += sentTo(node, 2).length;
    }
    expect(sent).toBe(2);
    expect(node.status().progress?.[2]).toMatchObject({ nextIndex: 4, inflight: 2 });
  });

  it('with a full window a heartbeat is empty; its answer acknowledges everything and frees the window', () => {
    const node = leaderWithReplicatingS2({ maxInflightMessages: 1 });
    node.propose('a');
    drain(node);
    node.propose('b');
    expect(sentTo(node, 2)).toEqual([]);
    node.tick(node.nextDeadlineMs());
    expect(sentTo(node, 2)).toEqual([{ prevLogIndex: 2, indexes: [] }]);
    node.step(appendReply(2, 1, 1, true, 2)); // the heartbeat's answer: S2 holds 1..2
    expect(sentTo(node, 2)).toEqual([{ prevLogIndex: 2, indexes: [3] }]);
  });

  it('a rejection in replicate (a message was lost) falls back to probe from the follower\'s hint, and says why', () => {
    const node = leaderWithReplicatingS2();
    for (const command of ['a', 'b', 'c']) {
      node.propose(command);
      drain(node);
    }
    // The AppendEntries with entry 2 was lost: S2 rejects the one with entry 3, its log ending at 1.
    node.step(appendReply(2, 1, 1, false, 0, { conflictTerm: 0, conflictIndex: 2 }));
    const ready = drain(node);
    expect(node.status().progress?.[2]).toEqual({ nextIndex: 2, matchIndex: 1, state: 'probe', inflight: 0 });
    expect(messagesOf(ready, 'AppendEntries').filter((m) => m.to === 2).map((m) => m.entries.map((e) => e.index))).toEqual([[2, 3, 4]]);
    expect(ready.events.find((e) => e.kind === 'progress-changed')).toMatchObject({
      rule: 'Flow control (as in etcd-io/raft) · Probe: one AppendEntries per answer or heartbeat until the logs match',
      reason: 'S2 rejected an AppendEntries sent in replicate (one before it was lost or overtaken, or its log differs); ' +
        'it is probed from nextIndex 2, and the 3 messages in flight no longer count; S2 replicate -> probe: one AppendEntries at a time until its log matches',
    });
    // The other rejections of the same gap change nothing more.
    node.step(appendReply(2, 1, 1, false, 0, { conflictTerm: 0, conflictIndex: 2 }));
    expect(sentTo(node, 2)).toEqual([]);
  });

  it('a follower silent for an election timeout goes back to probe at the next heartbeat, from matchIndex + 1', () => {
    const node = leaderWithReplicatingS2();
    for (const command of ['a', 'b']) {
      node.propose(command);
      drain(node);
    }
    let nowMs = node.nextDeadlineMs();
    while (nowMs < 100 + 100) { // the favourite's election timeout is [100, 101) ms; S2 last answered at ~100 ms
      node.tick(nowMs);
      drain(node);
      nowMs = node.nextDeadlineMs();
    }
    node.tick(nowMs);
    const ready = drain(node);
    expect(node.status().progress?.[2]).toEqual({ nextIndex: 2, matchIndex: 1, state: 'probe', inflight: 0 });
    expect(messagesOf(ready, 'AppendEntries').filter((m) => m.to === 2).map((m) => m.entries.map((e) => e.index))).toEqual([[2, 3]]);
    expect(ready.events.find((e) => e.kind === 'progress-changed')?.reason).toMatch(
      /^S2 has not answered for \d+ ms, at least an election timeout \(100 ms\): the 2 messages in flight are presumed lost, and it is probed from matchIndex \+ 1 = 2; S2 replicate -> probe/);
  });
});
