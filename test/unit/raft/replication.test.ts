// Log replication: Figure 2 (AppendEntries RPC, Rules for Servers: Leaders) and §5.3 of the Raft paper.

import { describe, expect, it } from 'vitest';
import type { Entry } from '../../../src/raft';
import { Cluster, logOfTerms, persisted } from './cluster';
import { appendEntries, appendReply, drain, entry, makeLeader, messagesOf, newNode } from './messages';

describe('Rules for Servers, Leaders', () => {
  it('1. Upon election, and during idle periods, send empty AppendEntries (heartbeat) every heartbeatMs', () => {
    const node = makeLeader();
    drain(node);
    node.step(appendReply(2, 1, 1, true, 1));
    node.step(appendReply(3, 1, 1, true, 1));
    drain(node);
    const at = node.nextDeadlineMs();
    node.tick(at - 1);
    expect(drain(node).messages).toEqual([]);
    node.tick(at);
    const heartbeats = messagesOf(drain(node), 'AppendEntries');
    expect(heartbeats.map((m) => [m.to, m.entries.length, m.prevLogIndex, m.leaderCommit])).toEqual([[2, 0, 1, 1], [3, 0, 1, 1]]);
  });

  it('2. If command received from client: append entry to local log, and send AppendEntries in the same Ready', () => {
    const node = makeLeader();
    drain(node);
    node.step(appendReply(2, 1, 1, true, 1)); // both followers hold the no-op: replicate
    node.step(appendReply(3, 1, 1, true, 1));
    drain(node);
    const result = node.propose('set x 1');
    expect(result).toEqual({ ok: true, index: 2, term: 1 });
    const ready = drain(node);
    expect(ready.persist.entries).toEqual([entry(2, 1, 'set x 1')]);
    expect(ready.persist.mustSync).toBe(true);
    const sent = messagesOf(ready, 'AppendEntries');
    expect(sent.map((m) => m.to)).toEqual([2, 3]);
    expect(sent[0]?.entries).toEqual([entry(2, 1, 'set x 1')]);
    expect(ready.events.find((e) => e.kind === 'proposal-accepted')?.data).toMatchObject({ index: 2 });
  });

  it('Several proposals before the runtime drains are coalesced into one AppendEntries per follower', () => {
    const node = makeLeader();
    drain(node);
    node.step(appendReply(2, 1, 1, true, 1));
    node.step(appendReply(3, 1, 1, true, 1));
    drain(node);
    for (let i = 0; i < 5; i++) node.propose(`c${i}`);
    const sent = messagesOf(drain(node), 'AppendEntries');
    expect(sent).toHaveLength(2);
    expect(sent[0]?.entries).toHaveLength(5);
  });

  it('§8: a server that is not the leader rejects a proposal and hints at the leader it knows', () => {
    const node = newNode(2);
    expect(node.propose('x')).toEqual({ ok: false, leaderHint: null });
    node.step(appendEntries(1, 2, 1, 0, 0));
    expect(node.propose('x')).toEqual({ ok: false, leaderHint: 1 });
    expect(drain(node).events.filter((e) => e.kind === 'proposal-rejected').map((e) => e.reason)).toEqual([
      'S2 is a follower, not the leader; no leader known yet: try another server',
      'S2 is a follower, not the leader; try S1 (the leader)',
    ]);
  });

  it('2. A single server commits a proposal at once, and says so', () => {
    const node = makeLeader(null, { members: [1] });
    drain(node);
    node.propose('x');
    expect(drain(node).events.find((e) => e.kind === 'proposal-accepted')?.reason)
      .toBe('appended client command as entry 2 (term 1); single server: it commits at once');
  });

  it('Too many uncommitted entries: proposals are refused by the lab\'s flow control, which is not a rule of the paper', () => {
    const node = makeLeader(); // its no-op is uncommitted: nobody answers
    drain(node);
    for (let i = 1; i < 10_000; i++) expect(node.propose(`c${i}`).ok).toBe(true);
    expect(node.propose('one too many')).toEqual({ ok: false, leaderHint: 1 });
    const rejected = drain(node).events.find((e) => e.kind === 'proposal-rejected');
    expect(rejected).toMatchObject({
      rule: 'Raft Lab · flow control (not in the paper)',
      reason: '10000 entries are still uncommitted; retry once the followers catch up',
    });
  });

  it('3. AppendEntries carry at most maxEntriesPerMessage entries starting at nextIndex', () => {
    const node = makeLeader(persisted(1, null, new Array(10).fill(1)), { maxEntriesPerMessage: 3 });
    drain(node);
    node.step(appendReply(2, 1, 2, false, 0, { conflictTerm: 0, conflictIndex: 4 }));
    const sent = messagesOf(drain(node), 'AppendEntries');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: 2, prevLogIndex: 3, prevLogTerm: 1 });
    expect(sent[0]?.entries.map((e) => e.index)).toEqual([4, 5, 6]);
  });

  it('3.1 If successful: update nextIndex and matchIndex for follower, and keep sending until it has caught up', () => {
    const node = makeLeader(persisted(1, null, new Array(5).fill(1)), { maxEntriesPerMessage: 2 });
    drain(node);
    node.step(appendReply(2, 1, 2, false, 0, { conflictTerm: 0, conflictIndex: 1 }));
    let sent = messagesOf(drain(node), 'AppendEntries');
    expect(sent[0]).toMatchObject({ prevLogIndex: 0 });
    node.step(appendReply(2, 1, 2, true, 2));
    // The log matches up to 2: the rest is pipelined at once (replicate), nextIndex moving past what was sent.
    expect(node.status().progress?.[2]).toEqual({ nextIndex: 7, matchIndex: 2, state: 'replicate', inflight: 2 });
    sent = messagesOf(drain(node), 'AppendEntries');
    expect(sent.map((m) => [m.prevLogIndex, m.entries.length])).toEqual([[2, 2], [4, 2]]);
  });

  it('The leader ignores a success reply that would move matchIndex backwards (reordered replies)', () => {
    const node = makeLeader(persisted(1, null, [1, 1, 1]));
    drain(node);
    node.step(appendReply(2, 1, 2, true, 4));
    node.step(appendReply(2, 1, 2, true, 2));
    expect(node.status().progress?.[2]).toMatchObject({ nextIndex: 5, matchIndex: 4 });
    const ignored = drain(node).events.filter((e) => e.kind === 'message-ignored');
    expect(ignored[0]).toMatchObject({
      rule: 'Figure 2 · State · matchIndex (increases monotonically)',
      reason: 'success reply from S2 with matchIndex 2 is below matchIndex 4 ' +
        '(it answers an older or duplicate request, or a snapshot got further): matchIndex never moves backwards',
    });
  });

  it('A reply reaching a server that is no longer the leader is ignored: only a leader keeps nextIndex and matchIndex (§5.3)', () => {
    const node = makeLeader(null, { checkQuorum: true });
    drain(node);
    node.tick(300); // nobody answered: it steps down in term 1
    drain(node);
    node.step(appendReply(2, 1, 1, true, 1));
    expect(drain(node).events.find((e) => e.kind === 'message-ignored')).toMatchObject({
      rule: '§5.3 · only a leader keeps nextIndex, matchIndex',
      reason: 'AppendEntries reply from S2 ignored: S1 is a follower in term 1, no longer the leader',
    });
  });

  it('A stale rejection never moves nextIndex below matchIndex + 1 nor forwards', () => {
    const node = makeLeader(persisted(1, null, [1, 1, 1]));
    drain(node);
    node.step(appendReply(2, 1, 2, true, 4));
    node.step(appendReply(2, 1, 2, false, 0, { conflictTerm: 0, conflictIndex: 1 }));
    expect(node.status().progress?.[2]).toMatchObject({ nextIndex: 5, matchIndex: 4 });
    const events = drain(node).events;
    expect(events.some((e) => e.kind === 'next-index-backed-off')).toBe(false);
    expect(events.find((e) => e.kind === 'message-ignored')).toMatchObject({
      rule: 'Raft Lab · duplicate or late rejection',
      reason: 'rejection from S2 would set nextIndex to 5, where it already is: it answers an older or duplicate request',
    });
  });

  it('A rejection of the term, not of the log (conflictIndex 0), has nothing to back off: it is reported, not acted on', () => {
    const node = makeLeader(persisted(1, null, [1, 1, 1]));
    drain(node);
    node.step(appendReply(2, 1, 2, false, 0)); // only planted bugs get here: a term rejection comes with a higher term
    expect(node.status().progress?.[2]).toMatchObject({ nextIndex: 4, matchIndex: 0 });
    expect(drain(node).events.find((e) => e.kind === 'message-ignored')).toMatchObject({
      rule: 'Figure 2 · AppendEntries RPC · receiver 1',
      reason: 'rejection from S2 carries no log hint (conflictIndex 0): it refused our term, not our log; nothing to back off',
    });
  });

  describe('3.2 If AppendEntries fails because of log inconsistency: decrement nextIndex and retry (accelerated, §5.3)', () => {
    // Leader log terms [1,1,1,4,4,5,5,6,6,6] (Figure 7), leader of term 8.
    const leaderTerms = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
    const cases: [string, { conflictTerm: number; conflictIndex: number }, number, string][] = [
      ['follower log too short (conflictTerm 0): jump to its length + 1', { conflictTerm: 0, conflictIndex: 5 }, 5,
        'its log ends at 4, so resume at 5'],
      ['leader has the conflict term: resume after its last entry of that term', { conflictTerm: 4, conflictIndex: 4 }, 6,
        'its conflicting entry has term 4, which it holds from index 4; we hold term 4 up to 5, so resume at 6'],
      ['leader lacks the conflict term: skip the follower\'s whole run of it', { conflictTerm: 2, conflictIndex: 4 }, 4,
        'its conflicting entry has term 2, which it holds from index 4; we have no term 2, so skip its whole run: resume at 4'],
    ];
    for (const [name, conflict, expectedNextIndex, why] of cases) {
      it(name, () => {
        const node = makeLeader(persisted(7, null, leaderTerms));
        drain(node);
        expect(node.status().progress?.[2]?.nextIndex).toBe(11);
        node.step(appendReply(2, 1, 8, false, 0, conflict));
        expect(node.status().progress?.[2]?.nextIndex).toBe(expectedNextIndex);
        const ready = drain(node);
        const backedOff = ready.events.find((e) => e.kind === 'next-index-backed-off');
        expect(backedOff?.data).toMatchObject({ previousNextIndex: 11, nextIndex: expectedNextIndex });
        expect(backedOff?.rule).toBe('Figure 2 · Rules for Servers · Leaders 3, 2nd bullet (accelerated, §5.3)');
        expect(backedOff?.reason).toBe(`S2 rejected AppendEntries: ${why}: nextIndex 11 -> ${expectedNextIndex}`);
        expect(messagesOf(ready, 'AppendEntries')[0]?.prevLogIndex).toBe(expectedNextIndex - 1);
      });
    }
  });
});

describe('AppendEntries RPC, receiver implementation', () => {
  it('1. Reply false if term < currentTerm', () => {
    const node = newNode(2, persisted(3, null, [1]));
    node.step(appendEntries(1, 2, 2, 1, 1, [entry(2, 2)]));
    const ready = drain(node);
    expect(messagesOf(ready, 'AppendEntriesReply')).toEqual([appendReply(2, 1, 3, false, 0)]);
    expect(node.log()).toHaveLength(1);
    expect(ready.events.find((e) => e.kind === 'append-rejected')?.rule).toContain('receiver 1');
  });

  it('2. Reply false if log does not contain an entry at prevLogIndex (hint: conflictTerm 0, conflictIndex = last index + 1)', () => {
    const node = newNode(2, persisted(1, null, [1, 1]));
    node.step(appendEntries(1, 2, 2, 5, 2, [entry(6, 2)]));
    const ready = drain(node);
    expect(messagesOf(ready, 'AppendEntriesReply')).toEqual([appendReply(2, 1, 2, false, 0, { conflictTerm: 0, conflictIndex: 3 })]);
    expect(ready.events.find((e) => e.kind === 'append-rejected')?.reason).toContain('it ends at 2');
  });

  it('2. Reply false if the entry at prevLogIndex has another term (hint: that term and its first index)', () => {
    const node = newNode(2, persisted(3, null, [1, 2, 2, 2]));
    node.step(appendEntries(1, 2, 4, 4, 3, [entry(5, 4)]));
    const ready = drain(node);
    expect(messagesOf(ready, 'AppendEntriesReply')).toEqual([appendReply(2, 1, 4, false, 0, { conflictTerm: 2, conflictIndex: 2 })]);
    expect(ready.events.find((e) => e.kind === 'append-rejected')?.data).toMatchObject({ prevLogIndex: 4, prevLogTerm: 3, ourTerm: 2 });
  });

  it('3. If an existing entry conflicts with a new one (same index but different terms), delete it and all that follow', () => {
    const node = newNode(2, persisted(3, null, [1, 2, 2, 2]));
    node.step(appendEntries(1, 2, 4, 1, 1, [entry(2, 2), entry(3, 4)]));
    const ready = drain(node);
    expect(node.log().map((e) => e.term)).toEqual([1, 2, 4]);
    expect(ready.persist.entries).toEqual([entry(3, 4)]); // the disk truncates at index 3 and writes it
    const truncated = ready.events.find((e) => e.kind === 'entries-truncated');
    expect(truncated?.data).toMatchObject({ firstIndex: 3, lastIndex: 4 });
    expect(truncated?.reason).toContain('conflict at index 3');
  });

  it('3. A stale, duplicated or reordered AppendEntries that is a prefix of the log never truncates entries after it', () => {
    const node = newNode(2);
    const long = appendEntries(1, 2, 1, 0, 0, [entry(1, 1), entry(2, 1), entry(3, 1)]);
    const short = appendEntries(1, 2, 1, 0, 0, [entry(1, 1)]);
    node.step(long);
    drain(node);
    node.step(short); // arrives late
    node.step(long); // duplicate
    const ready = drain(node);
    expect(node.log()).toHaveLength(3);
    expect(ready.persist.entries).toEqual([]);
    expect(ready.events.some((e) => e.kind === 'entries-truncated')).toBe(false);
    // matchIndex in a success reply is prevLogIndex + entries.length, not our last index
    expect(messagesOf(ready, 'AppendEntriesReply').map((r) => r.matchIndex)).toEqual([1, 3]);
  });

  it('4. Append any new entries not already in the log', () => {
    const node = newNode(2, persisted(1, null, [1, 1]));
    node.step(appendEntries(1, 2, 1, 1, 1, [entry(2, 1), entry(3, 1), entry(4, 1)]));
    const ready = drain(node);
    expect(node.log().map((e) => e.index)).toEqual([1, 2, 3, 4]);
    expect(ready.persist.entries.map((e) => e.index)).toEqual([3, 4]);
    expect(ready.events.find((e) => e.kind === 'entries-appended')?.data).toMatchObject({ firstIndex: 3, lastIndex: 4 });
  });

  it('5. If leaderCommit > commitIndex, set commitIndex = min(leaderCommit, index of last new entry)', () => {
    const node = newNode(2);
    node.step(appendEntries(1, 2, 1, 0, 0, [entry(1, 1), entry(2, 1)], 5));
    expect(node.status().commitIndex).toBe(2);
    node.step(appendEntries(1, 2, 1, 0, 0, [entry(1, 1)], 5)); // stale: last new entry is 1
    expect(node.status().commitIndex).toBe(2); // commitIndex never decreases
    node.step(appendEntries(1, 2, 1, 2, 1, [entry(3, 1)], 1)); // an older leaderCommit
    expect(node.status().commitIndex).toBe(2);
    const ready = drain(node);
    expect(ready.committedEntries.map((e) => e.index)).toEqual([1, 2]);
    expect(ready.events.filter((e) => e.kind === 'commit-advanced')[0]?.rule).toContain('receiver 5');
  });

  it('A heartbeat does not commit entries that were not checked against the leader: commit uses the last NEW entry', () => {
    const node = newNode(2, persisted(1, null, [1, 1, 1]));
    node.step(appendEntries(1, 2, 2, 1, 1, [], 3));
    expect(node.status().commitIndex).toBe(1);
    // A heartbeat carries no new entry: its "last new entry" is the last index it covers, prevLogIndex.
    expect(drain(node).events.find((e) => e.kind === 'commit-advanced')?.reason).toBe(
      'committed entry 1: leaderCommit 3 > commitIndex 0: commitIndex = min(leaderCommit 3, 1, the last index this AppendEntries ' +
      'covers: prevLogIndex 1 + 0 entries); next, it is applied in log order (All Servers 1)');
  });

  it('A follower says when it learns the leader of its term, and that its election timer starts over', () => {
    const node = newNode(2, persisted(1, null, [1]));
    node.step(appendEntries(1, 2, 1, 1, 1, [entry(2, 1), entry(3, 1)]));
    const timeoutMs = node.nextDeadlineMs(); // received at time 0
    const first = drain(node).events.find((e) => e.kind === 'append-accepted');
    expect(first).toMatchObject({
      rule: 'Figure 2 · AppendEntries RPC · receiver 2',
      reason: `log matches the leader at prevLogIndex 1 (term 1); entries 2..3 (term 1) accepted, matchIndex = 3; S1 is the leader of term 1; the election timer restarts (${timeoutMs} ms)`,
    });
    node.step(appendEntries(1, 2, 1, 3, 1));
    expect(drain(node).events.find((e) => e.kind === 'append-accepted')?.reason).toBe(
      `log matches the leader at prevLogIndex 3 (term 1); heartbeat accepted, matchIndex = 3; the election timer restarts (${node.nextDeadlineMs()} ms)`);
  });
});

describe('Figure 7: the leader brings every follower log into consistency with its own', () => {
  const leaderTerms = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
  const followers: [string, number[]][] = [
    ['a', [1, 1, 1, 4, 4, 5, 5, 6, 6]],
    ['b', [1, 1, 1, 4]],
    ['c', [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6]],
    ['d', [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7]],
    ['e', [1, 1, 1, 4, 4, 4, 4]],
    ['f', [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3]],
  ];
  for (const [name, terms] of followers) {
    it(`follower (${name}) ends with the leader's log, with at most one rejection per conflicting term`, () => {
      const c = new Cluster({ size: 3 });
      // S1 leads term 8; S3 holds the leader's log and votes for it; S2 is follower (name).
      c.restart(1);
      c.disks.set(1, { durable: persisted(7, null, leaderTerms), volatile: persisted(7, null, leaderTerms) });
      c.disks.set(2, { durable: persisted(7, null, terms), volatile: persisted(7, null, terms) });
      c.disks.set(3, { durable: persisted(7, null, leaderTerms), volatile: persisted(7, null, leaderTerms) });
      for (const id of [1, 2, 3]) c.restart(id);
      expect(c.electLeader()).toBe(1);
      c.run(200);
      const expected: Entry[] = [...logOfTerms(leaderTerms), entry(11, 8, null)];
      expect(c.node(2).log()).toEqual(expected);
      expect(c.node(2).status().commitIndex).toBe(11);
      expect(c.eventsOf(1, 'next-index-backed-off').length).toBeLessThanOrEqual(4);
    });
  }
});
