// A node whose disk hangs must not grow without bound: every peer message makes a Ready batch that waits behind the
// outstanding write, so past MAX_BACKLOG_BATCHES the runtime drops peer messages unread (Raft tolerates lost
// messages: the leader retries) and says so; once the disk catches up it takes messages again and answers them.
import { describe, expect, it } from 'vitest';
import { MAX_BACKLOG_BATCHES } from '../../../src/node/runtime/raft-runtime';
import type { AppendEntries } from '../../../src/raft/types';
import { harness, settle } from './manual-runtime';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function fromLeader(prevLogIndex: number, entries: AppendEntries['entries']): AppendEntries {
  return { type: 'AppendEntries', from: 2, to: 1, term: 1, prevLogIndex, prevLogTerm: prevLogIndex === 0 ? 0 : 1, entries,
    leaderCommit: 0, readRound: 0 };
}

describe('a follower whose disk is stuck', () => {
  it(`keeps at most ${MAX_BACKLOG_BATCHES} batches waiting, reports the messages it drops, and recovers`, async () => {
    const h = harness('full');
    h.runtime.start();
    h.deliver(fromLeader(0, [{ index: 1, term: 1, command: null }]));
    await turn();
    expect(h.wal.pending.length).toBe(1); // the term and the entry, never completed below until the end
    const extra = 300;
    for (let i = 0; i < MAX_BACKLOG_BATCHES + extra; i++) {
      h.deliver(fromLeader(1, [])); // a heartbeat: its reply waits behind the write
      await turn(); // one Ready per message, as when they arrive in separate event-loop turns
    }
    await settle(20); // the reporter's flush
    const drops = h.reportedEvents('message').filter((event) => event['direction'] === 'drop');
    expect(drops.length).toBeGreaterThanOrEqual(extra);
    expect(drops.length).toBeLessThanOrEqual(extra + 1);
    expect(String(drops[0]?.['dropReason'])).toContain('disk is 4096 batches behind');
    expect(h.sent).toEqual([]); // nothing left the node: every reply waits for the write

    await h.wal.completeAll();
    await settle(20);
    const replies = h.sent.map(({ frame }) => frame.msg).filter((msg) => msg.type === 'AppendEntriesReply');
    expect(replies.length).toBe(MAX_BACKLOG_BATCHES + extra + 1 - drops.length);
    expect(replies.every((reply) => reply.type === 'AppendEntriesReply' && reply.success)).toBe(true);

    // Caught up: the next message is taken and answered.
    const before = h.sent.length;
    h.deliver(fromLeader(1, [{ index: 2, term: 1, command: null }]));
    await settle(5);
    await h.wal.completeAll();
    await settle(20);
    expect(h.sent.length).toBe(before + 1);
    expect(h.core.status().lastLogIndex).toBe(2);
  });
});
