// A client session whose register entry is lost with a leader change never opens (dissertation §6.3): a write naming
// it, once committed, is answered session-expired with SESSION_NEVER_OPENED_ERROR, so the lab's client knows that no
// attempt of it was ever applied (and sends it again in a new session rather than reporting it unknown).
import { describe, expect, it } from 'vitest';
import { SESSION_NEVER_OPENED_ERROR, type ClientReplyFrame } from '../../../src/protocol/client';
import { encodeKvCommand } from '../../../src/kv/command';
import type { Message } from '../../../src/raft/types';
import { harness, settle } from './manual-runtime';

type Reply = Omit<ClientReplyFrame, 'v' | 'requestId' | 'node'>;

/** Lets the runtime run (drains, the WAL's writes completed at once) until `probe` holds, bounded. */
async function until(h: ReturnType<typeof harness>, probe: () => boolean, what: string): Promise<void> {
  for (let round = 0; round < 200; round++) {
    await h.wal.completeAll();
    if (probe()) return;
    await settle(1);
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(h.core.status()).slice(0, 160)}`);
}

/** S1 times out and wins the vote of `voter` in the next term. */
async function elect(h: ReturnType<typeof harness>, voter: number): Promise<number> {
  h.advance(400);
  h.runtime.reschedule();
  await until(h, () => h.sent.some(({ frame }) => frame.msg.type === 'RequestVote' && frame.msg.term > h.core.status().term - 1 && h.core.status().role === 'candidate'), 'S1 to stand');
  const term = h.core.status().term;
  h.deliver({ type: 'RequestVoteReply', from: voter, to: 1, term, voteGranted: true, preVote: false });
  await until(h, () => h.core.status().role === 'leader', `S1 to lead term ${term}`);
  return term;
}

/** Sends client `clientId`'s request to S1; its answer, once the runtime (its writes completed) gives one. */
async function client(h: ReturnType<typeof harness>, frame: { op: 'register' } | { op: 'put'; session: number; key: string; value: string },
  beforeAnswer: () => void = () => undefined, clientId = 'c'): Promise<Reply> {
  let answer: Reply | null = null;
  h.runtime.handleClient({ v: 1, requestId: `r-${clientId}-${frame.op}`, clientId, seq: frame.op === 'register' ? 0 : 1, ...frame }, (reply) => { answer = reply; });
  await until(h, () => h.core.status().lastLogIndex > 0 && h.wal.pending.length === 0, 'the request to be appended');
  beforeAnswer();
  await until(h, () => answer !== null, `an answer to the ${frame.op}`);
  return answer as unknown as Reply;
}

describe('a session whose register entry was lost with a leader change', () => {
  it('never opened: its write is answered session-expired with SESSION_NEVER_OPENED_ERROR', async () => {
    const h = harness('state');
    h.runtime.start();
    const first = await elect(h, 2); // term 1: its no-op at index 1
    const register = await client(h, { op: 'register' });
    expect(register).toMatchObject({ status: 'ok', index: 2 }); // handed out before it commits
    // S2 leads a newer term with another entry at index 2, committed: S1's register is gone.
    const other: Message = { type: 'AppendEntries', from: 2, to: 1, term: first + 1, prevLogIndex: 1, prevLogTerm: first,
      entries: [{ index: 2, term: first + 1, command: encodeKvCommand({ clientId: 'someone else', op: 'register' }) }], leaderCommit: 2, readRound: 0 };
    h.deliver(other);
    await until(h, () => h.core.status().commitIndex === 2 && h.core.status().role === 'follower', 'S1 to follow S2 and commit index 2');
    // S1 leads again and takes the client's write under session 2.
    const term = await elect(h, 3);
    const write = await client(h, { op: 'put', session: 2, key: 'k', value: 'v' }, () => {
      expect(h.core.status().lastLogIndex).toBe(4); // after the new term's no-op at 3
      h.deliver({ type: 'AppendEntriesReply', from: 3, to: 1, term, success: true, matchIndex: 4, conflictTerm: 0, conflictIndex: 0, readRound: 0 });
    });
    expect(write).toMatchObject({ status: 'session-expired', index: 4, error: SESSION_NEVER_OPENED_ERROR });
  });

  it('that opened and expired (its register committed at its index) is answered plainly: an earlier attempt may have been applied', async () => {
    const h = harness('state', [], 1); // one open session at most: a second client's register expires the first's
    h.runtime.start();
    const term = await elect(h, 2);
    /** S2 acknowledges S1's log up to `index`, which commits it. */
    const ack = (index: number) => () => h.deliver({ type: 'AppendEntriesReply', from: 2, to: 1, term, success: true, matchIndex: index,
      conflictTerm: 0, conflictIndex: 0, readRound: 0 });
    expect(await client(h, { op: 'register' }, ack(2))).toMatchObject({ status: 'ok', index: 2 });
    await until(h, () => h.core.status().commitIndex === 2, 'c\'s register to commit');
    expect(await client(h, { op: 'register' }, ack(3), 'd')).toMatchObject({ status: 'ok', index: 3 });
    await until(h, () => h.core.status().commitIndex === 3, 'd\'s register to commit');
    const reply = await client(h, { op: 'put', session: 2, key: 'k', value: 'v' }, ack(4));
    expect(reply).toMatchObject({ status: 'session-expired', index: 4 });
    expect(reply.error).not.toBe(SESSION_NEVER_OPENED_ERROR);
  });

  it('whose register index is not committed yet is answered plainly: the session may still open there', async () => {
    const h = harness('state');
    h.runtime.start();
    const term = await elect(h, 2);
    // A write naming a session ahead of it (index 9): its register is not committed, it may yet open there.
    const reply = await client(h, { op: 'put', session: 9, key: 'k', value: 'v' }, () => {
      expect(h.core.status().lastLogIndex).toBe(2);
      h.deliver({ type: 'AppendEntriesReply', from: 2, to: 1, term, success: true, matchIndex: 2, conflictTerm: 0, conflictIndex: 0, readRound: 0 });
    });
    expect(reply).toMatchObject({ status: 'session-expired', index: 2 });
    expect(reply.error).not.toBe(SESSION_NEVER_OPENED_ERROR);
  });
});
