// Extensions from Ongaro's dissertation: Pre-Vote (§9.6) and check-quorum with leader stickiness (§6.2, §4.2.3).

import { describe, expect, it } from 'vitest';
import { Cluster, persisted } from './cluster';
import { appendEntries, appendReply, drain, makeLeader, messagesOf, newNode, requestVote, timeOut, voteReply } from './messages';

describe('§9.6 Pre-Vote', () => {
  it('On election timeout a server first becomes precandidate and asks for votes for term + 1 without changing its term', () => {
    const node = newNode(1, persisted(3, null, [1, 3]), { preVote: true });
    timeOut(node);
    const ready = drain(node);
    expect(node.status()).toMatchObject({ role: 'precandidate', term: 3, votedFor: null });
    expect(ready.persist.hardState).toBeNull();
    expect(messagesOf(ready, 'RequestVote')).toEqual([requestVote(1, 2, 4, 2, 3, true), requestVote(1, 3, 4, 2, 3, true)]);
  });

  it('A voter grants a pre-vote without changing its own term or votedFor', () => {
    const node = newNode(2, persisted(3, null, [1, 3]), { preVote: true });
    node.step(requestVote(1, 2, 4, 2, 3, true));
    const ready = drain(node);
    expect(messagesOf(ready, 'RequestVoteReply')).toEqual([voteReply(2, 1, 4, true, true)]);
    expect(node.status()).toMatchObject({ term: 3, votedFor: null });
    expect(ready.persist.hardState).toBeNull();
  });

  it('A voter denies a pre-vote when it heard from a leader within the minimum election timeout', () => {
    const node = newNode(2, persisted(3, null, [1, 3]), { preVote: true });
    node.tick(10);
    node.step(appendEntries(3, 2, 3, 2, 3));
    node.step(requestVote(1, 2, 4, 2, 3, true));
    expect(messagesOf(drain(node), 'RequestVoteReply')).toEqual([voteReply(2, 1, 3, false, true)]);
    node.tick(10 + 300); // the leader has been silent for the minimum election timeout (300 ms for S2)
    node.step(requestVote(1, 2, 4, 2, 3, true));
    expect(messagesOf(drain(node), 'RequestVoteReply')).toEqual([voteReply(2, 1, 4, true, true)]);
  });

  it('A voter denies a pre-vote to a candidate whose log is behind (§5.4.1)', () => {
    const node = newNode(2, persisted(3, null, [1, 3]), { preVote: true });
    node.step(requestVote(1, 2, 4, 5, 1, true));
    expect(messagesOf(drain(node), 'RequestVoteReply')[0]?.voteGranted).toBe(false);
  });

  it('Winning the pre-vote starts the real election in term + 1', () => {
    const node = newNode(1, persisted(3, null, []), { preVote: true });
    timeOut(node);
    drain(node);
    node.step(voteReply(2, 1, 4, true, true));
    const ready = drain(node);
    expect(node.status()).toMatchObject({ role: 'candidate', term: 4, votedFor: 1 });
    expect(messagesOf(ready, 'RequestVote').every((m) => !m.preVote && m.term === 4)).toBe(true);
  });

  it('Losing the pre-vote returns the server to follower in the same term', () => {
    const node = newNode(1, persisted(3, null, []), { preVote: true });
    timeOut(node);
    node.step(voteReply(2, 1, 3, false, true));
    node.step(voteReply(3, 1, 3, false, true));
    expect(node.status()).toMatchObject({ role: 'follower', term: 3 });
  });

  it('A partitioned server does not inflate its term, and rejoining does not disrupt the leader', () => {
    const c = new Cluster({ preVote: true });
    expect(c.electLeader()).toBe(1);
    c.isolate(3);
    c.run(2000);
    expect(c.node(3).status().term).toBe(1);
    c.heal();
    c.run(500);
    expect(c.node(1).status()).toMatchObject({ role: 'leader', term: 1 });
  });
});

describe('§6.2 check-quorum and leader stickiness', () => {
  it('A leader that has not heard from a majority within the minimum election timeout steps down', () => {
    const node = makeLeader(null, { checkQuorum: true }); // elected at 100 ms; minimum election timeout 100 ms
    drain(node);
    node.tick(140);
    node.step(appendReply(2, 1, 1, true, 1)); // last heard from S2 at 140 ms; S3 never answers
    node.tick(239);
    expect(node.status().role).toBe('leader');
    node.tick(240);
    expect(node.status().role).toBe('follower');
    const stepped = drain(node).events.find((e) => e.kind === 'stepped-down');
    expect(stepped?.reason).toContain('only S1 answered in the last 100 ms');
  });

  it('An isolated leader steps down; one that keeps hearing from a majority does not', () => {
    const c = new Cluster({ checkQuorum: true });
    expect(c.electLeader()).toBe(1);
    c.run(1000);
    expect(c.node(1).status().role).toBe('leader');
    c.isolate(1);
    c.run(150);
    expect(c.node(1).status().role).toBe('follower');
    const stepped = c.eventsOf(1, 'stepped-down').at(-1);
    expect(stepped?.rule).toBe('Dissertation §6.2 · leader steps down without a quorum');
    expect(c.node(1).status().term).toBe(1); // stepping down does not change the term
  });

  it('With check-quorum, a follower that recently heard from its leader ignores a RequestVote of a higher term', () => {
    const node = newNode(2, persisted(1, null, []), { checkQuorum: true });
    node.tick(5);
    node.step(appendEntries(1, 2, 1, 0, 0));
    node.step(requestVote(3, 2, 2, 0, 0));
    const ready = drain(node);
    expect(node.status()).toMatchObject({ term: 1, votedFor: null, leaderId: 1 });
    expect(messagesOf(ready, 'RequestVoteReply')).toEqual([]);
    expect(ready.events.find((e) => e.kind === 'message-ignored')?.rule).toContain('§4.2.3');
  });

  it('Without check-quorum, the same RequestVote makes the follower adopt the term and vote', () => {
    const node = newNode(2, persisted(1, null, []));
    node.step(appendEntries(1, 2, 1, 0, 0));
    node.step(requestVote(3, 2, 2, 0, 0));
    expect(node.status()).toMatchObject({ term: 2, votedFor: 3 });
  });
});
