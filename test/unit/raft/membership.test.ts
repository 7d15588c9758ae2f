// Membership changes in the core (dissertation ch. 4), message by message: when a configuration takes effect, when a
// leader may change it, who counts, who campaigns, and §4.2.3's protection against removed servers.
import { describe, expect, it } from 'vitest';
import { createRaftNode, type Configuration, type Entry, type RaftNode } from '../../../src/raft';
import { nodeConfig } from './cluster';
import { appendEntries, appendReply, drain, entry, installSnapshot, makeLeader, messagesOf, newNode, requestVote, timeOut } from './messages';

const config = (voters: number[], learners: number[] = [], outgoing: number[] = []): Configuration => ({ voters, learners, outgoing });
const configEntry = (index: number, term: number, c: Configuration): Entry => ({ index, term, command: null, config: c });

/** S1 leads term 1 of {1, 2, 3} and its no-op (entry 1) has committed: it may change the configuration. */
function committedLeader(): RaftNode {
  const leader = makeLeader();
  drain(leader);
  leader.step(appendReply(2, 1, 1, true, 1));
  expect(leader.status().commitIndex).toBe(1);
  drain(leader);
  return leader;
}

describe('configuration entries (dissertation §4.1)', () => {
  it('a follower uses a configuration as soon as it is appended, and the previous one again when it is truncated', () => {
    const follower = newNode(2);
    follower.step(appendEntries(1, 2, 1, 0, 0, [entry(1, 1, null), configEntry(2, 1, config([1, 2, 3, 4]))], 1));
    expect(follower.status().config.voters).toEqual([1, 2, 3, 4]);
    expect(follower.status().committedConfig.voters).toEqual([1, 2, 3]);
    const changed = drain(follower).events.filter((e) => e.kind === 'configuration-changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]?.rule).toMatch(/§4\.1/);
    expect(changed[0]?.reason).toMatch(/not committed yet, and takes effect anyway/);
    // A leader of term 2 never had entry 2: the conflict truncates it and {1, 2, 3} is back.
    follower.step(appendEntries(3, 2, 2, 1, 1, [entry(2, 2, 'x')], 1));
    expect(follower.status().config.voters).toEqual([1, 2, 3]);
    const reverted = drain(follower).events.find((e) => e.kind === 'configuration-changed');
    expect(reverted?.rule).toMatch(/truncated configuration entry/);
  });

  it('a leader proposes a change only once an entry of its own term has committed (the 2015 fix)', () => {
    const leader = makeLeader();
    drain(leader);
    const early = leader.proposeMembership({ type: 'add', node: 4 });
    expect(early).toEqual({ ok: false, leaderHint: 1 });
    const refused = drain(leader).events.find((e) => e.kind === 'proposal-rejected');
    expect(refused?.rule).toMatch(/2015 fix/);
    leader.step(appendReply(2, 1, 1, true, 1));
    drain(leader);
    expect(leader.proposeMembership({ type: 'add', node: 4 })).toMatchObject({ ok: true, index: 2 });
  });

  it('one change at a time: a second change waits until the first commits', () => {
    const leader = committedLeader();
    expect(leader.proposeMembership({ type: 'add', node: 4 }).ok).toBe(true);
    expect(leader.proposeMembership({ type: 'add', node: 5 }).ok).toBe(false);
    expect(drain(leader).events.find((e) => e.kind === 'proposal-rejected')?.reason).toMatch(/entry 2 is not committed yet/);
    leader.step(appendReply(2, 1, 1, true, 2));
    expect(leader.status().commitIndex).toBe(2);
    drain(leader);
    expect(leader.proposeMembership({ type: 'remove', node: 3 }).ok).toBe(true);
  });

  it('the planted bug two-pending-config-changes accepts the second change', () => {
    const leader = makeLeader(null, { bugs: ['two-pending-config-changes'] });
    drain(leader);
    leader.step(appendReply(2, 1, 1, true, 1));
    expect(leader.proposeMembership({ type: 'add', node: 4 }).ok).toBe(true);
    expect(leader.proposeMembership({ type: 'add', node: 5 }).ok).toBe(true);
  });

  it('the planted bug config-change-before-own-term-commit accepts a change before the no-op commits', () => {
    const leader = makeLeader(null, { bugs: ['config-change-before-own-term-commit'] });
    expect(leader.proposeMembership({ type: 'add', node: 4 }).ok).toBe(true);
  });

  it('the planted bug config-applied-on-commit leaves a new configuration without effect until it commits', () => {
    const follower = newNode(2, null, { bugs: ['config-applied-on-commit'] });
    follower.step(appendEntries(1, 2, 1, 0, 0, [entry(1, 1, null), configEntry(2, 1, config([1, 2, 3, 4]))], 1));
    expect(follower.status().config.voters).toEqual([1, 2, 3]);
    follower.step(appendEntries(1, 2, 1, 2, 1, [], 2));
    expect(follower.status().config.voters).toEqual([1, 2, 3, 4]);
  });

  it('a change that makes no sense is refused with why', () => {
    const leader = committedLeader();
    expect(leader.proposeMembership({ type: 'add', node: 2 }).ok).toBe(false);
    expect(leader.proposeMembership({ type: 'promote', node: 3 }).ok).toBe(false);
    expect(leader.proposeMembership({ type: 'remove', node: 9 }).ok).toBe(false);
    const reasons = drain(leader).events.filter((e) => e.kind === 'proposal-rejected').map((e) => e.reason);
    expect(reasons).toEqual([
      expect.stringMatching(/S2 is already a voter/), expect.stringMatching(/S3 is not a learner/), expect.stringMatching(/S9 is not a member/),
    ]);
  });
});

describe('who counts', () => {
  it('a learner receives the log but does not count towards commits', () => {
    const leader = committedLeader();
    leader.proposeMembership({ type: 'add', node: 4 });
    const sent = drain(leader);
    // S3 has not answered its probe yet (flow control): it gets the entry with its next one.
    expect(messagesOf(sent, 'AppendEntries').map((m) => m.to).sort()).toEqual([2, 4]);
    expect(leader.status().config.learners).toEqual([4]);
    // The learner's acknowledgement alone commits nothing: 1 of 3 voters is not a majority.
    leader.step(appendReply(4, 1, 1, true, 2));
    expect(leader.status().commitIndex).toBe(1);
    leader.step(appendReply(2, 1, 1, true, 2));
    expect(leader.status().commitIndex).toBe(2);
  });

  it('a learner that caught up within an election timeout is promoted, and then counts (§4.2.1)', () => {
    const leader = committedLeader();
    leader.proposeMembership({ type: 'add', node: 4 });
    leader.step(appendReply(2, 1, 1, true, 2));
    leader.step(appendReply(4, 1, 1, true, 2));
    const events = drain(leader).events;
    expect(events.find((e) => e.kind === 'learner-round')?.data['outcome']).toBe('caught-up');
    expect(leader.status().config.voters).toEqual([1, 2, 3, 4]);
    expect(leader.status().lastLogIndex).toBe(3);
    // {1, 2, 3, 4}: a majority is three.
    leader.step(appendReply(2, 1, 1, true, 3));
    expect(leader.status().commitIndex).toBe(2);
    leader.step(appendReply(4, 1, 1, true, 3));
    expect(leader.status().commitIndex).toBe(3);
  });

  it('a learner that never catches up within the rounds is removed', () => {
    const leader = committedLeader();
    leader.proposeMembership({ type: 'add', node: 4 });
    leader.step(appendReply(2, 1, 1, true, 2));
    drain(leader);
    // Each round takes longer than the minimum election timeout (S1 draws from [100, 101) ms).
    let now = 1000; // S1 won at about 100 ms: the first round already took 900 ms
    for (let round = 1; round <= 12 && leader.status().config.learners.includes(4); round++) {
      now += 150;
      leader.tick(now);
      leader.propose(`c-${round}`);
      leader.step(appendReply(4, 1, 1, true, leader.status().lastLogIndex - 1));
      leader.step(appendReply(2, 1, 1, true, leader.status().lastLogIndex));
      drain(leader);
    }
    expect(leader.status().config.learners).toEqual([]);
    expect(leader.status().config.voters).toEqual([1, 2, 3]);
  });

  it('a leader that removes itself keeps replicating without counting itself, then steps down once the change commits', () => {
    const leader = committedLeader();
    expect(leader.proposeMembership({ type: 'remove', node: 1 }).ok).toBe(true);
    drain(leader);
    // {2, 3}: S2 alone is not a majority without S1.
    leader.step(appendReply(2, 1, 1, true, 2));
    expect(leader.status().role).toBe('leader');
    expect(leader.status().commitIndex).toBe(1);
    leader.step(appendReply(3, 1, 1, true, 2));
    expect(leader.status().commitIndex).toBe(2);
    expect(leader.status().role).toBe('follower');
    const stepped = drain(leader).events.find((e) => e.kind === 'stepped-down');
    expect(stepped?.rule).toMatch(/§4\.2\.2/);
    // Not a voter any more: its election timer never starts a campaign.
    timeOut(leader);
    expect(leader.status().role).toBe('follower');
    expect(messagesOf(drain(leader), 'RequestVote')).toEqual([]);
  });

  it('a server added with no configuration never campaigns', () => {
    const joining = createRaftNode(nodeConfig(4, []), null, 0);
    timeOut(joining);
    expect(joining.status().role).toBe('follower');
    expect(messagesOf(drain(joining), 'RequestVote')).toEqual([]);
  });
});

describe('§4.2.3: removed servers cannot disrupt', () => {
  it('a vote request from a server outside the configuration, soon after hearing the leader, changes nothing', () => {
    const follower = newNode(2);
    follower.step(appendEntries(1, 2, 1, 0, 0, [entry(1, 1, null)], 1));
    drain(follower);
    follower.step(requestVote(9, 2, 5, 10, 1));
    expect(follower.status().term).toBe(1);
    const ignored = drain(follower).events.find((e) => e.kind === 'message-ignored');
    expect(ignored?.rule).toMatch(/§4\.2\.3/);
    // A member's request of a newer term still counts (the lab's "time out now" keeps working without check-quorum).
    follower.step(requestVote(3, 2, 2, 1, 1));
    expect(follower.status().term).toBe(2);
  });
});

describe('configurations in snapshots (§7)', () => {
  it('a snapshot keeps the configuration, a restart and an installing follower recover it', () => {
    const follower = newNode(2);
    follower.step(appendEntries(1, 2, 1, 0, 0, [entry(1, 1, null), configEntry(2, 1, config([1, 2, 3, 4])), entry(3, 1)], 3));
    drain(follower);
    follower.compact(3, 'state');
    const snapshot = follower.snapshot();
    expect(snapshot?.config?.voters).toEqual([1, 2, 3, 4]);
    const restarted = newNode(2, { hardState: { term: 1, votedFor: null }, snapshot, entries: [] });
    expect(restarted.status().config.voters).toEqual([1, 2, 3, 4]);
    const fresh = createRaftNode(nodeConfig(4, []), null, 0);
    fresh.step({ ...installSnapshot(1, 4, 1, 3, 1, 'state'), config: config([1, 2, 3, 4]) });
    expect(fresh.status().config.voters).toEqual([1, 2, 3, 4]);
  });
});

describe('joint consensus (paper §6)', () => {
  it('C_old,new needs majorities of both, then the leader appends C_new', () => {
    const leader = makeLeader(null, { membershipMode: 'joint' });
    drain(leader);
    leader.step(appendReply(2, 1, 1, true, 1));
    leader.proposeMembership({ type: 'add', node: 4 });
    leader.step(appendReply(2, 1, 1, true, 2));
    leader.step(appendReply(4, 1, 1, true, 2));
    drain(leader);
    // Promotion goes through C_old,new = {1,2,3} and {1,2,3,4}.
    expect(leader.status().config).toEqual(config([1, 2, 3, 4], [], [1, 2, 3]));
    // S4 with S1 is a majority of neither; S2 with S1 is a majority of the old half only.
    leader.step(appendReply(4, 1, 1, true, 3));
    expect(leader.status().commitIndex).toBe(2);
    leader.step(appendReply(2, 1, 1, true, 3));
    expect(leader.status().commitIndex).toBe(3);
    expect(leader.status().config).toEqual(config([1, 2, 3, 4]));
    expect(leader.status().lastLogIndex).toBe(4);
  });
});
