// Leadership transfer (dissertation §3.10) in one core at a time: the leader stops accepting proposals, brings the
// target up to date, sends TimeoutNow, and gives up after an election timeout; the target campaigns at once, and its
// marked vote requests are answered even by voters that heard from the leader recently.

import { describe, expect, it } from 'vitest';
import type { TimeoutNow } from '../../../src/raft';
import { persisted } from './cluster';
import { appendEntries, appendReply, drain, makeLeader, messagesOf, newNode, requestVote } from './messages';

const timeoutNow = (from: number, to: number, term: number): TimeoutNow => ({ type: 'TimeoutNow', from, to, term });

describe('the leader\'s side', () => {
  it('to an up-to-date follower: TimeoutNow at once, and client proposals are refused with the target as hint', () => {
    const node = makeLeader();
    drain(node);
    node.step(appendReply(2, 1, 1, true, 1));
    drain(node);
    expect(node.transferLeadership(2)).toEqual({ ok: true });
    const ready = drain(node);
    expect(messagesOf(ready, 'TimeoutNow')).toEqual([timeoutNow(1, 2, 1)]);
    expect(ready.events.filter((e) => e.kind === 'leadership-transfer').map((e) => e.data['phase'])).toEqual(['started', 'timeout-now-sent']);
    expect(node.status().transferringTo).toBe(2);
    expect(node.propose('x')).toEqual({ ok: false, leaderHint: 2 });
    expect(drain(node).events.find((e) => e.kind === 'proposal-rejected')).toMatchObject({
      rule: 'Dissertation §3.10 · leadership transfer',
      reason: expect.stringContaining('S1 is handing leadership to S2 (dissertation §3.10): it accepts no new client requests'),
    });
  });

  it('to a lagging follower: entries first, TimeoutNow once it holds the whole log', () => {
    const node = makeLeader(persisted(1, null, [1, 1, 1]));
    drain(node);
    node.transferLeadership(3);
    let ready = drain(node);
    expect(messagesOf(ready, 'TimeoutNow')).toEqual([]);
    expect(ready.events.find((e) => e.kind === 'leadership-transfer')?.reason).toContain('S3 holds our log up to 0 of 4, so it is brought up to date first');
    node.step(appendReply(3, 1, 2, true, 3));
    expect(messagesOf(drain(node), 'TimeoutNow')).toEqual([]);
    node.step(appendReply(3, 1, 2, true, 4));
    ready = drain(node);
    expect(messagesOf(ready, 'TimeoutNow')).toEqual([timeoutNow(1, 3, 2)]);
  });

  it('is abandoned after an election timeout, and the leader accepts proposals again', () => {
    const node = makeLeader();
    drain(node);
    node.transferLeadership(3); // S3 never answers
    drain(node);
    const started = node.nextDeadlineMs();
    let nowMs = started;
    for (let i = 0; i < 20 && node.status().transferringTo !== null; i++) {
      node.tick(nowMs);
      drain(node);
      nowMs = node.nextDeadlineMs();
    }
    expect(node.status()).toMatchObject({ role: 'leader', transferringTo: null });
    expect(node.propose('x').ok).toBe(true);
  });

  it('the abort says why', () => {
    const node = makeLeader();
    drain(node);
    node.transferLeadership(3);
    drain(node);
    let aborted;
    for (let i = 0; i < 20 && aborted === undefined; i++) {
      node.tick(node.nextDeadlineMs());
      aborted = drain(node).events.find((e) => e.kind === 'leadership-transfer' && e.data['phase'] === 'aborted');
    }
    expect(aborted).toMatchObject({
      rule: 'Dissertation §3.10 · a transfer that does not complete within an election timeout is abandoned',
      reason: 'S3 has not taken over within an election timeout (100 ms; its log never caught up): the transfer is abandoned and S1 accepts client requests again',
    });
  });

  it('is refused by a follower, for itself, and for a server outside the configuration', () => {
    const follower = newNode(2);
    expect(follower.transferLeadership(3)).toMatchObject({ ok: false, reason: 'S2 is not the leader' });
    const leader = makeLeader();
    expect(leader.transferLeadership(1)).toMatchObject({ ok: false, reason: 'S1 already leads term 1' });
    expect(leader.transferLeadership(7)).toMatchObject({ ok: false, reason: 'S7 is not a voter in the configuration' });
    expect(leader.status().transferringTo).toBeNull();
  });

  it('ends when the leader steps down for the target\'s new term', () => {
    const node = makeLeader();
    drain(node);
    node.step(appendReply(2, 1, 1, true, 1));
    node.transferLeadership(2);
    drain(node);
    node.step({ ...requestVote(2, 1, 2, 1, 1), leadershipTransfer: true });
    expect(node.status()).toMatchObject({ role: 'follower', term: 2, votedFor: 2, transferringTo: null });
  });
});

describe('the target\'s side, and the voters', () => {
  it('TimeoutNow starts an election at once, skipping pre-vote, with vote requests marked as a transfer', () => {
    const node = newNode(2, null, { preVote: true });
    node.step(appendEntries(1, 2, 1, 0, 0));
    drain(node);
    node.step(timeoutNow(1, 2, 1));
    const ready = drain(node);
    expect(node.status()).toMatchObject({ role: 'candidate', term: 2, votedFor: 2 });
    expect(messagesOf(ready, 'RequestVote')).toEqual([
      { type: 'RequestVote', from: 2, to: 1, term: 2, lastLogIndex: 0, lastLogTerm: 0, preVote: false, leadershipTransfer: true },
      { type: 'RequestVote', from: 2, to: 3, term: 2, lastLogIndex: 0, lastLogTerm: 0, preVote: false, leadershipTransfer: true },
    ]);
    expect(ready.events.find((e) => e.kind === 'term-changed')?.rule).toBe('Dissertation §3.10 · TimeoutNow: the target starts an election at once');
  });

  it('a voter that heard from its leader recently ignores an ordinary vote request (§4.2.3) but answers a transfer\'s', () => {
    const make = () => {
      const node = newNode(3, null, { checkQuorum: true });
      node.step(appendEntries(1, 3, 1, 0, 0));
      drain(node);
      return node;
    };
    const sticky = make();
    sticky.step(requestVote(2, 3, 2, 0, 0));
    expect(sticky.status()).toMatchObject({ term: 1, votedFor: null });
    const transfer = make();
    transfer.step({ ...requestVote(2, 3, 2, 0, 0), leadershipTransfer: true });
    expect(transfer.status()).toMatchObject({ term: 2, votedFor: 2 });
    expect(drain(transfer).events.find((e) => e.kind === 'message-ignored' || e.kind === 'vote-granted')).toMatchObject({
      rule: 'Dissertation §3.10, §4.2.3 · a vote request caused by TimeoutNow is not ignored for a recent leader',
    });
  });

  it('a TimeoutNow from a server that does not lead our term is invalid and changes nothing', () => {
    const node = newNode(2);
    node.step(appendEntries(1, 2, 1, 0, 0));
    drain(node);
    node.step(timeoutNow(3, 2, 1));
    expect(node.status()).toMatchObject({ role: 'follower', term: 1 });
    expect(drain(node).events.find((e) => e.kind === 'message-ignored')?.rule).toBe('Raft Lab · invalid message (no correct server sends it): ignored, nothing changes');
  });
});
