// Leader election: Figure 2 (RequestVote RPC, Rules for Servers) and §5.2, §5.4.1 of the Raft paper.

import { describe, expect, it } from 'vitest';
import { createRaftNode, isLogUpToDate } from '../../../src/raft';
import { Cluster, nodeConfig, persisted } from './cluster';
import { appendEntries, appendReply, drain, makeLeader, messagesOf, newNode, requestVote, timeOut, voteReply } from './messages';

describe('§5.2 leader election', () => {
  it('If election timeout elapses without receiving AppendEntries from current leader or granting vote: convert to candidate', () => {
    const node = newNode(1, persisted(2, null, [1, 2]));
    const deadline = node.nextDeadlineMs();
    node.tick(deadline - 1);
    expect(node.status().role).toBe('follower');
    node.tick(deadline);
    const ready = drain(node);
    expect(node.status()).toMatchObject({ role: 'candidate', term: 3, votedFor: 1 });
    expect(messagesOf(ready, 'RequestVote')).toEqual([
      requestVote(1, 2, 3, 2, 2), requestVote(1, 3, 3, 2, 2),
    ]);
    expect(ready.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['term-changed', 'role-changed', 'election-started']));
  });

  it('On conversion to candidate: increment currentTerm, vote for self, and persist both before asking for votes', () => {
    const node = newNode(1);
    timeOut(node);
    const ready = drain(node);
    expect(ready.persist.hardState).toEqual({ term: 1, votedFor: 1 });
    expect(ready.persist.mustSync).toBe(true);
  });

  it('Election timeouts are chosen randomly from a fixed interval [min, max), drawn anew at each reset', () => {
    const node = createRaftNode({ ...nodeConfig(1, [1, 2, 3]), electionTimeoutMs: [150, 300] }, null, 0);
    const timeouts = new Set<number>();
    let now = 0;
    for (let i = 0; i < 200; i++) {
      const deadline = node.nextDeadlineMs();
      const timeoutMs = deadline - now;
      expect(timeoutMs).toBeGreaterThanOrEqual(150);
      expect(timeoutMs).toBeLessThan(300);
      timeouts.add(timeoutMs);
      now = deadline;
      node.tick(now); // starts an election, which resets the timer (Candidates 4)
      drain(node);
    }
    expect(timeouts.size).toBeGreaterThan(50);
  });

  it('Servers configured with the same seed still draw different timeouts (the node id is mixed in)', () => {
    const deadlines = [1, 2, 3, 4, 5].map((id) => newNode(id, null, { favourite: null, members: [1, 2, 3, 4, 5] }).nextDeadlineMs());
    expect(new Set(deadlines).size).toBeGreaterThan(1);
  });

  it('The election timer is reset when granting a vote, but not when denying one', () => {
    const node = newNode(2, persisted(1, null, [1]));
    node.tick(50);
    const before = node.nextDeadlineMs();
    node.step(requestVote(3, 2, 2, 0, 0)); // log behind: denied
    expect(node.nextDeadlineMs()).toBe(before);
    node.step(requestVote(1, 2, 2, 1, 1));
    expect(node.status().votedFor).toBe(1);
    expect(node.nextDeadlineMs()).toBeGreaterThanOrEqual(50 + 300);
  });

  it('The election timer is reset on a valid AppendEntries from the current leader, not on a stale one', () => {
    const node = newNode(2, persisted(2, null, []));
    node.tick(200);
    node.step(appendEntries(1, 2, 1, 0, 0)); // stale term 1
    const stale = node.nextDeadlineMs();
    expect(stale).toBeLessThan(200 + 300);
    node.step(appendEntries(1, 2, 2, 0, 0));
    expect(node.nextDeadlineMs()).toBeGreaterThanOrEqual(200 + 300);
    expect(node.status().leaderId).toBe(1);
  });

  it('Candidates (§5.2): if election timeout elapses, start new election', () => {
    const node = newNode(1);
    timeOut(node);
    expect(node.status().term).toBe(1);
    drain(node);
    timeOut(node);
    const ready = drain(node);
    expect(node.status()).toMatchObject({ role: 'candidate', term: 2, votedFor: 1 });
    expect(messagesOf(ready, 'RequestVote').map((m) => m.term)).toEqual([2, 2]);
  });

  it('Followers 2 is cited when a follower times out, with how long it heard nothing and the timeout it drew, in whole ms', () => {
    const node = newNode(2, persisted(2, null, [1, 2]));
    const deadline = node.nextDeadlineMs(); // created at 0: the drawn timeout
    node.tick(deadline + 12.4);
    const events = drain(node).events;
    const why = `no leader contact or granted vote for ${deadline + 12} ms (timeout ${deadline} ms, drawn in [300, 400) ms)`;
    expect(events.find((e) => e.kind === 'term-changed')).toMatchObject({ rule: 'Figure 2 · Rules for Servers · Followers 2', reason: `starting an election: ${why}` });
    expect(events.find((e) => e.kind === 'role-changed')).toMatchObject({ rule: 'Figure 2 · Rules for Servers · Followers 2', reason: why });
    expect(events.find((e) => e.kind === 'election-started')?.rule).toBe('Figure 2 · Rules for Servers · Candidates 1');
  });

  it('Candidates 4 is cited when a candidate runs again: no leader emerged in its term', () => {
    const node = newNode(2);
    const startedAt = node.nextDeadlineMs();
    timeOut(node);
    drain(node);
    const drawn = node.nextDeadlineMs() - startedAt;
    timeOut(node);
    const termChanged = drain(node).events.find((e) => e.kind === 'term-changed');
    expect(termChanged?.rule).toBe('Figure 2 · Rules for Servers · Candidates 4');
    expect(termChanged?.reason).toBe(`starting an election: no leader emerged in term 1 within ${drawn} ms (timeout ${drawn} ms, drawn in [300, 400) ms)`);
  });

  it('If votes received from majority of servers: become leader', () => {
    const node = newNode(1, null, { members: [1, 2, 3, 4, 5] });
    timeOut(node);
    node.step(voteReply(2, 1, 1, true));
    expect(node.status().role).toBe('candidate');
    node.step(voteReply(3, 1, 1, false));
    node.step(voteReply(4, 1, 1, true));
    expect(node.status().role).toBe('leader');
    const events = drain(node).events;
    const won = events.find((e) => e.kind === 'became-leader');
    expect(won?.reason).toContain('S1, S2, S4');
  });

  it('became-leader says that nextIndex and matchIndex were reinitialized for every follower (Figure 2, State) and that heartbeats follow', () => {
    const node = makeLeader(persisted(1, null, [1, 1]), { members: [1, 2, 3, 4, 5] });
    const won = drain(node).events.find((e) => e.kind === 'became-leader');
    expect(won?.reason).toBe('S1 won the election of term 2 with votes from S1, S2, S3 (majority 3 of 5); ' +
      'for every follower nextIndex = 3 (our last index + 1) and matchIndex = 0 (Figure 2 State, reinitialized after election); ' +
      'AppendEntries go out now, then as heartbeats every 20 ms while idle (Leaders 1); ' +
      'each follower starts in probe (flow control): one AppendEntries at a time until its log is known to match');
    expect(won?.data).toMatchObject({ nextIndex: 3, matchIndex: 0 });
  });

  it('The no-op cites §8 and §5.4.2: it tells the leader what is committed, and entries of earlier terms commit with it', () => {
    const node = makeLeader(persisted(1, null, [1, 1]));
    const noOp = drain(node).events.find((e) => e.kind === 'entries-appended');
    expect(noOp?.rule).toBe('§8, §5.4.2 · a new leader commits a blank no-op entry');
    expect(noOp?.reason).toBe('appended no-op entry 3 (term 2): once it commits, the leader knows which entries are committed ' +
      '(§8; reads wait for it); entries 1..2 of earlier terms, not known to be committed here, commit with it (§5.4.2)');
    const one = makeLeader(persisted(1, null, [1]));
    expect(drain(one).events.find((e) => e.kind === 'entries-appended')?.reason).toContain(
      '; entry 1 of an earlier term, not known to be committed here, commits with it (§5.4.2)');
    const fresh = makeLeader();
    expect(drain(fresh).events.find((e) => e.kind === 'entries-appended')?.reason)
      .toBe('appended no-op entry 1 (term 1): once it commits, the leader knows which entries are committed (§8; reads wait for it)');
  });

  it('A duplicated vote is counted once, and the duplicate is reported', () => {
    const node = newNode(1, null, { members: [1, 2, 3, 4, 5] });
    timeOut(node);
    node.step(voteReply(2, 1, 1, true));
    node.step(voteReply(2, 1, 1, true));
    expect(node.status().role).toBe('candidate');
    const ignored = drain(node).events.filter((e) => e.kind === 'message-ignored');
    expect(ignored).toEqual([expect.objectContaining({
      rule: '§5.2 · a candidate counts each server\'s vote once',
      reason: 'duplicate vote reply from S2 ignored: its answer in this round is already counted (granted)',
    })]);
  });

  it('A single-server cluster elects itself as soon as its election timer fires', () => {
    const node = newNode(1, null, { members: [1] });
    timeOut(node);
    const ready = drain(node);
    expect(node.status().role).toBe('leader');
    expect(ready.messages).toEqual([]);
    expect(ready.committedEntries).toEqual([{ index: 1, term: 1, command: null }]);
  });

  it('Upon election: send initial empty AppendEntries (heartbeat) to each server, never to itself, and append a no-op (§8)', () => {
    const node = makeLeader(persisted(1, null, [1]));
    const ready = drain(node);
    const sent = messagesOf(ready, 'AppendEntries');
    expect(sent.map((m) => m.to)).toEqual([2, 3]);
    for (const m of sent) {
      expect(m).toMatchObject({ term: 2, prevLogIndex: 1, prevLogTerm: 1, entries: [{ index: 2, term: 2, command: null }] });
    }
    expect(node.status().progress).toEqual({
      2: { nextIndex: 2, matchIndex: 0, state: 'probe', inflight: 0 }, 3: { nextIndex: 2, matchIndex: 0, state: 'probe', inflight: 0 },
    });
  });

  it('If AppendEntries RPC received from new leader: candidate converts to follower', () => {
    const node = newNode(1);
    timeOut(node);
    node.step(appendEntries(2, 1, 1, 0, 0));
    expect(node.status()).toMatchObject({ role: 'follower', term: 1, leaderId: 2, votedFor: 1 });
    expect(drain(node).events.some((e) => e.kind === 'stepped-down')).toBe(true);
  });

  it('A vote reply that arrives after the election is won is ignored with a reason', () => {
    const node = makeLeader();
    drain(node);
    node.step(voteReply(3, 1, 1, true));
    const ignored = drain(node).events.filter((e) => e.kind === 'message-ignored');
    expect(ignored).toEqual([expect.objectContaining({
      rule: '§5.2 · only a candidate counts votes',
      reason: 'vote reply from S3 (term 1) ignored: S1 is the leader of term 1, no longer a candidate',
    })]);
    expect(node.status().role).toBe('leader');
  });

  it('A vote denial that carries a newer term deposes the candidate; the reply is then not counted, as it is no longer a candidate', () => {
    const node = newNode(5, persisted(4, null, []), { members: [1, 2, 3, 4, 5] });
    timeOut(node);
    drain(node);
    node.step(voteReply(3, 5, 6, false));
    expect(node.status()).toMatchObject({ role: 'follower', term: 6 });
    expect(drain(node).events.find((e) => e.kind === 'message-ignored')?.reason)
      .toBe('vote reply from S3 (term 6) ignored: S5 is a follower in term 6, no longer a candidate');
  });
});

describe('RequestVote RPC, receiver implementation', () => {
  it('1. Reply false if term < currentTerm', () => {
    const node = newNode(2, persisted(5, null, []));
    node.step(requestVote(1, 2, 4, 10, 4));
    const ready = drain(node);
    expect(messagesOf(ready, 'RequestVoteReply')).toEqual([voteReply(2, 1, 5, false)]);
    expect(ready.events.find((e) => e.kind === 'vote-denied')?.rule).toContain('receiver 1');
  });

  // etcd's TestVoter, as a table: [voter log terms, candidate last index, candidate last term, granted].
  const cases: [number[], number, number, boolean][] = [
    [[1], 1, 1, true], // same log
    [[1], 2, 1, true], // longer log, same last term
    [[1, 1], 1, 1, false], // shorter log, same last term
    [[1], 1, 2, true], // later last term, same length
    [[1], 2, 2, true],
    [[1, 1], 1, 2, true], // later last term wins even if shorter
    [[2], 1, 1, false], // earlier last term
    [[2], 2, 1, false], // earlier last term loses even if longer
    [[2, 2], 1, 1, false],
  ];
  for (const [voterTerms, lastIndex, lastTerm, granted] of cases) {
    it(`2. If votedFor is null or candidateId, and candidate's log is at least as up-to-date as receiver's log, grant vote: voter [${voterTerms.join(',')}], candidate (last term ${lastTerm}, last index ${lastIndex}) => ${granted ? 'grant' : 'deny'}`, () => {
      const node = newNode(2, persisted(2, null, voterTerms));
      node.step(requestVote(1, 2, 3, lastIndex, lastTerm));
      const ready = drain(node);
      expect(messagesOf(ready, 'RequestVoteReply')).toEqual([voteReply(2, 1, 3, granted)]);
      expect(node.status().votedFor).toBe(granted ? 1 : null);
      expect(isLogUpToDate(lastTerm, lastIndex, voterTerms.at(-1) ?? 0, voterTerms.length)).toBe(granted);
    });
  }

  it('Each server votes for at most one candidate in a given term, on a first-come-first-served basis (§5.2)', () => {
    const node = newNode(3);
    node.step(requestVote(1, 3, 1, 0, 0));
    node.step(requestVote(2, 3, 1, 0, 0));
    node.step(requestVote(1, 3, 1, 0, 0)); // a retransmission from the chosen candidate is granted again
    const replies = messagesOf(drain(node), 'RequestVoteReply');
    expect(replies.map((r) => [r.to, r.voteGranted])).toEqual([[1, true], [2, false], [1, true]]);
  });

  it('votedFor is handed to the runtime for persistence in the same Ready as the reply, with mustSync (Figure 2: before responding)', () => {
    const node = newNode(3);
    node.step(requestVote(1, 3, 4, 0, 0));
    const ready = node.ready();
    expect(ready.persist).toEqual({ hardState: { term: 4, votedFor: 1 }, snapshot: null, entries: [], mustSync: true });
    expect(messagesOf(ready, 'RequestVoteReply')[0]?.voteGranted).toBe(true);
  });

  it('2. A server that voted for itself says so: it is a candidate (or the leader) of that term, not "already voted for S2"', () => {
    const candidate = newNode(2);
    timeOut(candidate);
    drain(candidate);
    candidate.step(requestVote(3, 2, 1, 0, 0));
    expect(drain(candidate).events.find((e) => e.kind === 'vote-denied')?.reason)
      .toBe('denied vote to S3 for term 1: S2 is itself a candidate in term 1 (it voted for itself)');
    const leader = makeLeader();
    drain(leader);
    leader.step(requestVote(3, 1, 1, 5, 1));
    expect(drain(leader).events.find((e) => e.kind === 'vote-denied')?.reason)
      .toBe('denied vote to S3 for term 1: S1 is itself the leader of term 1');
  });

  it('A restarted server remembers its vote and does not vote again in the same term', () => {
    const c = new Cluster();
    c.deliver(requestVote(1, 3, 1, 0, 0));
    const first = c.take((m) => m.type === 'RequestVoteReply');
    c.restart(3);
    c.deliver(requestVote(2, 3, 1, 0, 0));
    const second = c.take((m) => m.type === 'RequestVoteReply');
    expect([...first, ...second].map((m) => m.type === 'RequestVoteReply' && m.voteGranted)).toEqual([true, false]);
    expect(c.node(3).status()).toMatchObject({ term: 1, votedFor: 1 });
  });

  it('The vote-granted event explains the §5.4.1 comparison with the values', () => {
    const node = newNode(3, persisted(3, null, [1, 1, 3, 3, 3, 3]));
    node.step(requestVote(2, 3, 4, 7, 3));
    const granted = drain(node).events.find((e) => e.kind === 'vote-granted');
    expect(granted?.rule).toBe('Figure 2 · RequestVote RPC · receiver 2 (§5.4.1)');
    const timeoutMs = node.nextDeadlineMs(); // granted at time 0: the timer restarted with this timeout
    expect(granted?.reason).toBe('granted vote to S2 in term 4: its log (last term 3, last index 7) is at least as up-to-date as ours (3, 6); ' +
      `the election timer restarts (${timeoutMs} ms)`);
  });
});

describe('Rules for all servers: If RPC request or response contains term T > currentTerm: set currentTerm = T, convert to follower', () => {
  const messages = [
    ['RequestVote', requestVote(2, 1, 9, 0, 0)],
    ['RequestVoteReply', voteReply(2, 1, 9, false)],
    ['AppendEntries', appendEntries(2, 1, 9, 0, 0)],
    ['AppendEntriesReply', appendReply(2, 1, 9, false, 0)],
  ] as const;
  for (const [name, message] of messages) {
    for (const role of ['candidate', 'leader'] as const) {
      it(`a ${role} receiving ${name} of a higher term steps down`, () => {
        const node = role === 'leader' ? makeLeader() : newNode(1);
        if (role === 'candidate') timeOut(node);
        drain(node);
        node.step(message);
        expect(node.status()).toMatchObject({ role: 'follower', term: 9 });
        const events = drain(node).events;
        const stepped = events.find((e) => e.kind === 'stepped-down');
        expect(stepped?.rule).toBe('Figure 2 · Rules for Servers · All Servers 2');
        expect(stepped?.reason).toContain('term 9 > currentTerm');
        expect(events.find((e) => e.kind === 'term-changed')?.data).toEqual({ from: 1, to: 9 });
      });
    }
  }

  it('Replies with a stale term are ignored, with a message-ignored event', () => {
    const node = newNode(1, persisted(4, null, []));
    timeOut(node);
    drain(node);
    node.step(voteReply(2, 1, 4, true));
    node.step(voteReply(3, 1, 3, true));
    expect(node.status().role).toBe('candidate');
    const ignored = drain(node).events.filter((e) => e.kind === 'message-ignored');
    expect(ignored.map((e) => e.data.from)).toEqual([2, 3]);
    // Not All Servers 2 (that is the T > currentTerm rule): §5.1, a lower term marks obsolete information.
    expect(ignored[0]).toMatchObject({
      rule: '§5.1 · terms expose obsolete information',
      reason: 'RequestVoteReply from S2 ignored: it carries term 4, so it answers a request of an earlier term; we are in term 5',
    });
  });
});

describe('time is an input', () => {
  it('Time never decreases: tick with an earlier time throws', () => {
    const node = newNode(1);
    node.tick(100);
    expect(() => node.tick(99)).toThrow(/time went backwards/);
  });

  it('nextDeadlineMs is the election deadline for followers and the next heartbeat for a leader', () => {
    const node = makeLeader();
    expect(node.status().electionDeadlineMs).toBeNull();
    const heartbeatAt = node.nextDeadlineMs();
    node.tick(heartbeatAt);
    expect(node.nextDeadlineMs()).toBe(heartbeatAt + 20);
  });
});
