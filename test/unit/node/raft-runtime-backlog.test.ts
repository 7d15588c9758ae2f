// A node whose disk hangs must not grow without bound: every peer message makes a Ready batch that waits behind the
// outstanding write, so past MAX_BACKLOG_BATCHES the runtime drops peer messages unread (Raft tolerates lost
// messages: the leader retries), lets its timers wait and refuses clients, and says so; once the disk catches up it
// takes messages again and answers them.
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
    expect(h.reportedEvents('node-note').map((event) => event['text'])).toEqual([expect.stringContaining("S1's disk is far behind")]);
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
    expect(h.reportedEvents('node-note').map((event) => event['text'])).toEqual([expect.stringContaining('far behind'),
      expect.stringContaining("S1's disk caught up")]);
  });

  it('lets its timers wait while the backlog is full (no election after election piling up), says so at every event detail, and refuses clients', async () => {
    const h = harness('state');
    h.runtime.start();
    h.deliver(fromLeader(0, [{ index: 1, term: 1, command: null }]));
    await turn();
    for (let i = 0; i < MAX_BACKLOG_BATCHES + 10; i++) {
      h.deliver(fromLeader(1, []));
      await turn();
    }
    // Ten election timeouts (150-300 ms) pass with the disk stuck: the timers wait, as in a paused process.
    for (let round = 0; round < 10; round++) {
      h.advance(300);
      h.runtime.reschedule();
      await settle(5);
    }
    expect(h.core.status()).toMatchObject({ role: 'follower', term: 1 });
    const replies: string[] = [];
    h.runtime.handleClient({ v: 1, requestId: 'r1', clientId: 'c', seq: 1, op: 'put', key: 'k', value: 'v' }, (reply) => replies.push(`${reply.status}: ${reply.error ?? ''}`));
    expect(replies).toEqual(["retry: this node's disk is far behind; try again later"]);
    await settle(20);
    expect(h.reportedEvents('node-note').map((event) => event['text'])).toEqual([expect.stringContaining('far behind')]);

    // The disk catches up: the timers run again, and (the leader unheard of for so long) it times out once, like a
    // process resumed after a pause, not once per election timeout that passed meanwhile.
    await h.wal.completeAll();
    await settle(20);
    await h.wal.completeAll();
    await settle(20);
    expect(h.core.status().term).toBe(2);
    const votes = h.sent.map(({ frame }) => frame.msg).filter((msg) => msg.type === 'RequestVote');
    expect(votes.map((vote) => vote.term)).toEqual([2, 2]);
  });
});
