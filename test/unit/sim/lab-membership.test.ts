// Membership changes (dissertation ch. 4) in the style of MIT 6.5840's tests, on the simulated harness: grow,
// shrink, remove the leader, churn under an unreliable network, restart everything; in both modes (single-server
// changes, and the paper's joint consensus). Every "sleep" is simulated time; a failure names the seed.
import { describe, expect, it } from 'vitest';
import type { SimHarness } from '../../../src/sim/harness';
import type { MembershipMode } from '../../../src/raft/types';
import { labSeeds, makeHarness, withSeed } from './lab-helpers';

const SEEDS = labSeeds();
const MODES: readonly MembershipMode[] = ['single-server', 'joint'];
const CASES = MODES.flatMap((mode) => SEEDS.map((seed) => [mode, seed] as const));

/** Runs simulated time until members() equals `expected` (a change commits), or fails after `budgetMs`. */
function awaitMembers(h: SimHarness, expected: number[], budgetMs = 10_000): void {
  const sorted = [...expected].sort((a, b) => a - b);
  for (let waited = 0; waited <= budgetMs; waited += 100) {
    if (JSON.stringify(h.members()) === JSON.stringify(sorted)) return;
    h.run(100);
  }
  expect(h.members(), `members after ${budgetMs} ms`).toEqual(sorted);
}

describe('membership changes (dissertation ch. 4), 6.5840 style', () => {
  it.each(CASES)('grow: a new server joins as a learner, catches up and counts (%s, seed %i)', (mode, seed) => withSeed(seed, () => {
    const h = makeHarness({ nodes: 3, seed, membershipMode: mode });
    h.one('before', 3, true);
    expect(h.members()).toEqual([0, 1, 2]);
    const added = h.addServer();
    expect(added).toBe(3);
    awaitMembers(h, [0, 1, 2, 3]);
    const index = h.one('after', 4, true);
    // The new server applied everything before its arrival too.
    for (let k = 1; k <= index; k++) expect(h.nCommitted(k).count).toBe(4);
    const second = h.addServer();
    expect(second).toBe(4);
    awaitMembers(h, [0, 1, 2, 3, 4]);
    h.one('five', 5, true);
    expect(h.state(4).alive).toBe(true);
  }));

  it.each(CASES)('shrink: removed servers stop counting and do not disrupt the rest (%s, seed %i)', (mode, seed) => withSeed(seed, () => {
    const h = makeHarness({ nodes: 5, seed, membershipMode: mode });
    h.one('a', 5, true);
    h.removeServer(4);
    awaitMembers(h, [0, 1, 2, 3]);
    h.removeServer(3);
    awaitMembers(h, [0, 1, 2]);
    h.one('b', 3, true);
    // The removed servers keep running and connected: the remaining three keep their leader and term.
    const leader = h.checkOneLeader();
    const term = h.state(leader).term;
    h.run(5_000);
    expect(h.state(leader).role).toBe('leader');
    expect(h.state(leader).term).toBe(term);
    // Two of three voters suffice now: the removed servers are not needed.
    h.disconnect((leader + 1) % 3);
    h.one('c', 2, true);
  }));

  it.each(CASES)('remove the leader: it steps down once the change commits, and the rest elect one (%s, seed %i)', (mode, seed) => withSeed(seed, () => {
    const h = makeHarness({ nodes: 3, seed, membershipMode: mode });
    h.one('a', 3, true);
    const leader = h.checkOneLeader();
    h.removeServer(leader);
    h.run(3_000);
    const next = h.checkOneLeader();
    expect(next).not.toBe(leader);
    expect(h.members()).toEqual([0, 1, 2].filter((i) => i !== leader));
    expect(h.state(leader).role).toBe('follower');
    h.one('b', 2, true);
    h.run(3_000);
    expect(h.checkOneLeader()).toBe(next);
  }));

  it.each(CASES)('churn under an unreliable network keeps every command (%s, seed %i)', (mode, seed) => withSeed(seed, (random) => {
    const h = makeHarness({ nodes: 3, seed, unreliable: true, membershipMode: mode });
    let commands = 0;
    for (let round = 0; round < 6; round++) {
      const members = h.members();
      if (members.length > 3 && random.chance(0.5)) h.removeServer(members[random.int(0, members.length)] as number);
      else h.addServer();
      for (let k = 0; k < 3; k++) h.one(`churn-${round}-${k}`, 1, true);
      commands += 3;
      h.run(random.int(0, 500));
    }
    h.setUnreliable(false);
    h.run(3_000);
    const members = h.members();
    const index = h.one('final', members.length, true);
    expect(index).toBeGreaterThan(commands);
  }));

  it.each(CASES)('restart everything: the configuration survives on disk (%s, seed %i)', (mode, seed) => withSeed(seed, () => {
    const h = makeHarness({ nodes: 3, seed, membershipMode: mode, snapshotEvery: 7 });
    for (let k = 0; k < 10; k++) h.one(`x${k}`, 3, true);
    h.addServer();
    awaitMembers(h, [0, 1, 2, 3]);
    h.removeServer(0);
    awaitMembers(h, [1, 2, 3]);
    for (let k = 0; k < 10; k++) h.one(`y${k}`, 3, true);
    for (let i = 0; i < h.nodeCount; i++) h.crash(i);
    for (let i = 0; i < h.nodeCount; i++) h.restart(i);
    awaitMembers(h, [1, 2, 3]);
    h.one('after-restart', 3, true);
    // The removed server 0 came back too. It may never have received the entry that removed it, and then it
    // campaigns, but it never leads, and the members ignore it while they hear their leader (§4.2.3).
    const leader = h.checkOneLeader();
    const term = h.state(leader).term;
    h.run(3_000);
    expect(h.checkOneLeader()).toBe(leader);
    expect(h.state(leader).term).toBe(term);
    expect(h.state(0).role).not.toBe('leader');
  }));

  it.each(CASES)('a new server cut off stays a learner, and joins once it is back (%s, seed %i)', (mode, seed) => withSeed(seed, () => {
    const h = makeHarness({ nodes: 3, seed, membershipMode: mode });
    h.one('a', 3, true);
    const added = h.addServer();
    h.disconnect(added);
    h.run(10_000);
    expect(h.members()).toEqual([0, 1, 2]);
    // It counts for nothing meanwhile: the three voters commit without it.
    h.one('b', 3, true);
    h.connect(added);
    awaitMembers(h, [0, 1, 2, 3]);
    h.one('c', 4, true);
  }));

  it.each(SEEDS)('a new server far behind catches up from a snapshot before it is promoted (seed %i)', (seed) => withSeed(seed, () => {
    const h = makeHarness({ nodes: 3, seed, snapshotEvery: 5, snapshotChunkChars: 16 });
    for (let k = 0; k < 30; k++) h.one(`s${k}`, 3, true);
    const before = h.simulation.stats.snapshotsSent;
    const added = h.addServer();
    const id = added + 1;
    // It is a learner first: in the configuration, but not a voter.
    const leader = h.simulation.leaders()[0] as number;
    expect(h.simulation.status(leader).config.learners).toContain(id);
    awaitMembers(h, [0, 1, 2, 3]);
    expect(h.simulation.stats.snapshotsSent).toBeGreaterThan(before);
    h.one('caught-up', 4, true);
  }));
});
