// Each planted bug, switched on alone, produces the observable effect its registry entry promises; switched off,
// the same inputs produce correct Raft (the other test files).

import { describe, expect, it } from 'vitest';
import { PLANTED_BUGS, createRaftNode, isBugName, type BugName } from '../../../src/raft';
import { Cluster, nodeConfig, persisted } from './cluster';
import { appendEntries, appendReply, drain, entry, makeLeader, messagesOf, newNode, requestVote } from './messages';

const ALL_BUGS: BugName[] = [
  'commit-previous-term', 'vote-not-persisted', 'no-up-to-date-check', 'ack-before-persist',
  'truncate-without-conflict', 'stale-leader-reads', 'no-step-down-on-higher-term', 'double-vote',
  'config-change-before-own-term-commit', 'two-pending-config-changes', 'config-applied-on-commit',
  // Lives in the runtime layer (src/runtime/ready-pipeline.ts); the core ignores it: test/unit/sim/planted-bugs.test.ts.
  'apply-before-durable',
];

describe('the planted-bug registry', () => {
  it('documents every BugName with a title, what it breaks, the paper rule and how to spot it', () => {
    expect(Object.keys(PLANTED_BUGS).sort()).toEqual([...ALL_BUGS].sort());
    for (const bug of Object.values(PLANTED_BUGS)) {
      for (const text of [bug.title, bug.breaks, bug.paperRule, bug.howToSpot]) expect(text.length).toBeGreaterThan(10);
    }
  });

  it('isBugName accepts exactly the registry names', () => {
    for (const name of ALL_BUGS) expect(isBugName(name)).toBe(true);
    expect(isBugName('no-such-bug')).toBe(false);
    expect(isBugName('toString')).toBe(false);
  });

  it('an unknown bug name in a configuration is refused', () => {
    const config = { ...nodeConfig(1, [1, 2, 3]), bugs: ['no-such-bug' as BugName] };
    expect(() => createRaftNode(config, null, 0)).toThrow(/unknown planted bug/);
  });
});

describe('planted bug: commit-previous-term (Figure 8)', () => {
  it('the leader commits an entry of an older term as soon as a majority stores it', () => {
    const node = makeLeader(persisted(3, null, [1, 2]), { maxEntriesPerMessage: 1, bugs: ['commit-previous-term'] });
    drain(node);
    node.step(appendReply(2, 1, 4, true, 2));
    expect(node.status().commitIndex).toBe(2); // correct Raft: 0 (see commit.test.ts)
    const committed = drain(node).events.find((e) => e.kind === 'commit-advanced');
    expect(committed?.data).toMatchObject({ entryTerm: 2, commitIndex: 2 });
    expect(committed?.reason).toContain('is NOT the leader\'s current term 4');
  });
});

describe('planted bug: vote-not-persisted', () => {
  it('the vote is missing from persist.hardState, so after a restart the server votes again in the same term', () => {
    const c = new Cluster({ bugs: ['vote-not-persisted'] });
    c.deliver(requestVote(1, 3, 1, 0, 0));
    expect(c.readies.get(3)?.at(-1)?.persist.hardState).toEqual({ term: 1, votedFor: null });
    const first = c.take((m) => m.type === 'RequestVoteReply');
    c.restart(3);
    c.deliver(requestVote(2, 3, 1, 0, 0));
    const second = c.take((m) => m.type === 'RequestVoteReply');
    expect([...first, ...second].map((m) => [m.to, m.type === 'RequestVoteReply' && m.voteGranted])).toEqual([[1, true], [2, true]]);
  });
});

describe('planted bug: no-up-to-date-check', () => {
  it('a voter grants its vote to a candidate whose log is behind its own', () => {
    const node = newNode(2, persisted(2, null, [1, 2, 2]), { bugs: ['no-up-to-date-check'] });
    node.step(requestVote(1, 2, 3, 1, 1));
    expect(messagesOf(drain(node), 'RequestVoteReply')[0]?.voteGranted).toBe(true);
  });
});

describe('planted bug: ack-before-persist', () => {
  it('a follower acknowledges entries in a Ready with mustSync=false, and a crash loses them', () => {
    const c = new Cluster({ bugs: ['ack-before-persist'] });
    c.electLeader();
    c.node(1).propose('x');
    c.run(50);
    const followerReadies = c.readies.get(2)?.filter((r) => r.persist.entries.some((e) => e.command === 'x')) ?? [];
    expect(followerReadies.map((r) => r.persist.mustSync)).toEqual([false]);
    expect(c.node(1).status().progress?.[2]?.matchIndex).toBe(2);
    c.restart(2);
    expect(c.node(2).status().lastLogIndex).toBeLessThan(2);
    // The leader's own writes are still synced: only the acknowledgement path is broken.
    expect(c.readies.get(1)?.filter((r) => r.persist.entries.length > 0).every((r) => r.persist.mustSync)).toBe(true);
  });
});

describe('planted bug: truncate-without-conflict', () => {
  it('a late, shorter AppendEntries truncates entries the follower already acknowledged', () => {
    const node = newNode(2, null, { bugs: ['truncate-without-conflict'] });
    node.step(appendEntries(1, 2, 1, 0, 0, [entry(1, 1), entry(2, 1), entry(3, 1)]));
    drain(node);
    node.step(appendEntries(1, 2, 1, 0, 0, [entry(1, 1)]));
    const ready = drain(node);
    expect(node.log()).toHaveLength(1); // correct Raft keeps 3 (see replication.test.ts)
    expect(ready.events.find((e) => e.kind === 'entries-truncated')?.data).toMatchObject({ firstIndex: 1, lastIndex: 3 });
    expect(ready.persist.entries).toEqual([entry(1, 1)]); // the disk is truncated too
  });
});

describe('planted bug: stale-leader-reads', () => {
  it('the leader confirms a read at once, without a heartbeat round', () => {
    const node = makeLeader(null, { bugs: ['stale-leader-reads'] });
    drain(node);
    node.step(appendReply(2, 1, 1, true, 1));
    drain(node);
    node.readIndex('r');
    const ready = drain(node);
    expect(ready.readStates).toEqual([{ requestId: 'r', index: 1 }]);
    expect(messagesOf(ready, 'AppendEntries')).toEqual([]);
  });

  it('so a deposed leader that has not heard of the new term serves a stale read', () => {
    const c = new Cluster({ bugs: ['stale-leader-reads'] });
    c.electLeader();
    c.run(50);
    c.isolate(1);
    c.run(1000); // S2 or S3 takes over in term 2 and commits new entries
    const newLeader = c.leader();
    expect(newLeader).not.toBe(1);
    c.node(newLeader ?? 2).propose('write');
    c.run(100);
    c.node(1).readIndex('stale');
    c.drain(1);
    const confirmed = c.readies.get(1)?.flatMap((r) => r.readStates) ?? [];
    expect(confirmed).toEqual([{ requestId: 'stale', index: 1 }]);
  });
});

describe('planted bug: no-step-down-on-higher-term', () => {
  it('a leader keeps its role and term after an AppendEntries reply of a higher term, and counts it as a read acknowledgement', () => {
    const node = makeLeader(null, { bugs: ['no-step-down-on-higher-term'] });
    drain(node);
    node.step(appendReply(2, 1, 1, true, 1));
    node.readIndex('r');
    const round = Math.max(...messagesOf(drain(node), 'AppendEntries').map((m) => m.readRound));
    node.step(appendReply(3, 1, 7, false, 0, { readRound: round })); // S3 is in term 7 and rejected us
    expect(node.status()).toMatchObject({ role: 'leader', term: 1 });
    expect(drain(node).readStates).toEqual([{ requestId: 'r', index: 1 }]);
  });

  it('without the bug the same reply deposes the leader and fails the read', () => {
    const node = makeLeader();
    drain(node);
    node.step(appendReply(2, 1, 1, true, 1));
    node.readIndex('r');
    drain(node);
    node.step(appendReply(3, 1, 7, false, 0, { readRound: 1 }));
    expect(node.status()).toMatchObject({ role: 'follower', term: 7 });
    expect(drain(node).readFailures).toEqual([{ requestId: 'r', leaderHint: null }]);
  });
});

describe('planted bug: double-vote', () => {
  it('a follower votes for a second candidate in a term in which it already voted', () => {
    const node = newNode(3, null, { bugs: ['double-vote'] });
    node.step(requestVote(1, 3, 1, 0, 0));
    node.step(requestVote(2, 3, 1, 0, 0));
    const replies = messagesOf(drain(node), 'RequestVoteReply');
    expect(replies.map((r) => [r.to, r.voteGranted])).toEqual([[1, true], [2, true]]);
  });

  it('so two leaders can be elected in one term, and the core reports it instead of crashing', () => {
    const c = new Cluster({ bugs: ['double-vote'] });
    c.tick(1, c.node(1).nextDeadlineMs());
    c.tick(2, c.node(2).nextDeadlineMs());
    c.deliverAll();
    const leaders = c.events.filter((e) => e.kind === 'became-leader');
    expect(leaders.map((e) => [e.node, e.term])).toEqual([[1, 1], [2, 1]]);
    expect(c.events.some((e) => e.kind === 'message-ignored' && e.reason.includes('Election Safety is broken'))).toBe(true);
  });
});
