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

  it('A denial says when the voter last heard from its leader, in whole ms; a leader says it is the leader itself', () => {
    const node = newNode(2, persisted(3, null, [1, 3]), { preVote: true });
    node.tick(10);
    node.step(appendEntries(3, 2, 3, 2, 3));
    node.tick(47.3);
    node.step(requestVote(1, 2, 4, 2, 3, true));
    expect(drain(node).events.find((e) => e.kind === 'vote-denied')).toMatchObject({
      rule: 'Dissertation §9.6 · Pre-Vote',
      reason: 'denied pre-vote to S1 for term 4: we heard from leader S3 37 ms ago, within the minimum election timeout (300 ms)',
    });
    const leader = makeLeader(null, { preVote: true });
    drain(leader);
    leader.step(requestVote(3, 1, 2, 5, 1, true));
    expect(drain(leader).events.find((e) => e.kind === 'vote-denied')?.reason).toBe('denied pre-vote to S3 for term 2: S1 is itself the leader of term 1');
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
    // The election starts because the pre-vote was won (§9.6), not because of a timeout.
    for (const kind of ['term-changed', 'role-changed'] as const) {
      expect(ready.events.find((e) => e.kind === kind)?.rule).toBe('Dissertation §9.6 · Pre-Vote');
    }
    expect(ready.events.find((e) => e.kind === 'term-changed')?.reason).toBe('starting an election: pre-vote won: S1, S2 would vote for S1');
  });

  it('The pre-candidate says why it started (the timeout, rounded) and, when it runs again, why the first round failed', () => {
    const node = newNode(2, persisted(3, null, []), { preVote: true });
    const first = node.nextDeadlineMs();
    node.tick(first + 0.6);
    expect(drain(node).events.find((e) => e.kind === 'role-changed')?.reason)
      .toBe(`no leader contact or granted vote for ${first + 1} ms (timeout ${first} ms, drawn in [300, 400) ms): first ask whether a majority would vote in term 4`);
    const drawn = node.nextDeadlineMs() - (first + 0.6);
    node.tick(node.nextDeadlineMs());
    const again = drain(node).events;
    expect(again.some((e) => e.kind === 'role-changed')).toBe(false);
    expect(again.find((e) => e.kind === 'election-started')?.reason).toBe(
      `the pre-vote for term 4 reached no majority within ${drawn} ms (timeout ${drawn} ms, drawn in [300, 400) ms): ` +
      'pre-vote for term 4 (our term stays 3): log last term 0, last index 0');
  });

  it('Only a pre-candidate counts pre-votes, and only those of its current round', () => {
    const node = newNode(1, persisted(3, null, []), { preVote: true });
    timeOut(node);
    drain(node);
    node.step(voteReply(2, 1, 3, true, true)); // grants term 3: an earlier round's answer
    expect(drain(node).events.find((e) => e.kind === 'message-ignored')).toMatchObject({
      rule: '§5.1 · terms expose obsolete information',
      reason: 'pre-vote grant from S2 for term 3 ignored: it answers an earlier round; S1 now asks about term 4',
    });
    node.step(voteReply(2, 1, 4, true, true)); // wins: S1 is now a candidate of term 4
    drain(node);
    node.step(voteReply(3, 1, 5, true, true));
    expect(drain(node).events.find((e) => e.kind === 'message-ignored')).toMatchObject({
      rule: 'Dissertation §9.6 · only a pre-candidate counts pre-votes',
      reason: 'pre-vote reply from S3 (term 5) ignored: S1 is a candidate in term 4, no longer a pre-candidate',
    });
  });

  it('A pre-vote denial from a voter in a lower term is not counted: its term does not say which round it answers', () => {
    const node = newNode(1, persisted(3, null, []), { preVote: true });
    timeOut(node);
    drain(node);
    node.step(voteReply(2, 1, 2, false, true));
    expect(node.status().role).toBe('precandidate');
    expect(drain(node).events.find((e) => e.kind === 'message-ignored')).toMatchObject({
      rule: 'Dissertation §9.6 · Pre-Vote',
      reason: 'pre-vote denial from S2 not counted: a denial carries the voter\'s own term (2, below our 3), which does not tell which pre-vote round it answers',
    });
  });

  it('Losing the pre-vote returns the server to follower in the same term', () => {
    const node = newNode(1, persisted(3, null, []), { preVote: true });
    timeOut(node);
    node.step(voteReply(2, 1, 3, false, true));
    node.step(voteReply(3, 1, 3, false, true));
    expect(node.status()).toMatchObject({ role: 'follower', term: 3 });
    expect(drain(node).events.find((e) => e.kind === 'stepped-down')?.reason)
      .toBe('pre-candidate S1 steps down: pre-vote lost: S2, S3 would not vote for S1');
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
    // The leader counts itself: S1 is not one of the followers that answered.
    expect(stepped?.reason).toBe('leader S1 steps down: no follower answered in the last 100 ms: S1 alone is 1 of 3, a majority is 2');
  });

  it('The step-down reason counts the followers that did answer, plus the leader', () => {
    const node = makeLeader(null, { checkQuorum: true, members: [1, 2, 3, 4, 5] });
    drain(node);
    node.tick(140);
    node.step(appendReply(2, 1, 1, true, 1));
    node.tick(201);
    expect(drain(node).events.find((e) => e.kind === 'stepped-down')?.reason)
      .toBe('leader S1 steps down: only S2 answered in the last 100 ms: with S1 itself that is 2 of 5, a majority is 3');
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

  it('Leader stickiness says when the leader was last heard from, or that the server is the leader itself', () => {
    const node = newNode(2, persisted(1, null, []), { checkQuorum: true });
    node.tick(5);
    node.step(appendEntries(1, 2, 1, 0, 0));
    node.tick(17.6);
    node.step(requestVote(3, 2, 2, 0, 0));
    expect(drain(node).events.find((e) => e.kind === 'message-ignored')?.reason)
      .toBe('vote request from S3 for term 2 ignored: we heard from leader S1 13 ms ago, within the minimum election timeout (300 ms)');
    const leader = makeLeader(null, { checkQuorum: true });
    drain(leader);
    leader.step(requestVote(3, 1, 2, 0, 0));
    expect(drain(leader).events.find((e) => e.kind === 'message-ignored')?.reason)
      .toBe('vote request from S3 for term 2 ignored: S1 is itself the leader of term 1');
  });

  it('Without check-quorum, the same RequestVote makes the follower adopt the term and vote', () => {
    const node = newNode(2, persisted(1, null, []));
    node.step(appendEntries(1, 2, 1, 0, 0));
    node.step(requestVote(3, 2, 2, 0, 0));
    expect(node.status()).toMatchObject({ term: 2, votedFor: 3 });
  });
});
