// Issue 13's harness contract (src/sim/harness.ts), used only through the `Harness` interface the way a hidden
// 6.5840-style test would: addServer/removeServer/members/transferLeadership beside state, connect, disconnect, crash,
// restart, one and checkOneLeader, on added servers too, in both membership modes. Every "sleep" is simulated time;
// a failure names the seed (replay: LAB_SEED=S).
import { describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../src/sim/harness';
import type { MembershipMode } from '../../../src/raft/types';
import { labSeeds, withSeed } from './lab-helpers';

const SEEDS = labSeeds();
const MODES: readonly MembershipMode[] = ['single-server', 'joint'];
const CASES = MODES.flatMap((mode) => SEEDS.map((seed) => [mode, seed] as const));

/** cfg.wait-style: sleeps 100 ms at a time until members() is `expected`, at most `budgetMs`. */
function waitMembers(h: Harness, expected: number[], budgetMs = 10_000): void {
  for (let waited = 0; waited < budgetMs; waited += 100) {
    if (h.members().join() === expected.join()) return;
    h.run(100);
  }
  expect(h.members(), `members after ${budgetMs} ms`).toEqual(expected);
}

/** The simulated time, read through run()'s only observable effect: what the harness's simulation clock says. */
function nowMs(h: Harness): number {
  return (h as unknown as { simulation: { nowMs: number } }).simulation.nowMs;
}

describe('the harness contract of issue 13, as a hidden test uses it', () => {
  it.each(CASES)('addServer with no leader yet waits in simulated time, returns 3, and returns at once once a leader exists (%s, seed %i)',
    (mode, seed) => withSeed(seed, () => {
      const h = createHarness({ nodes: 3, seed, membershipMode: mode });
      // At time 0 nobody leads: the call itself waits (in simulated time) for a leader that accepts.
      expect(h.addServer()).toBe(3);
      expect(nowMs(h)).toBeGreaterThan(0);
      waitMembers(h, [0, 1, 2, 3]);
      // A leader that accepts is there now: the call proposes and returns without running time.
      const before = nowMs(h);
      expect(h.addServer()).toBe(4);
      expect(nowMs(h)).toBe(before);
      waitMembers(h, [0, 1, 2, 3, 4]);
      expect(h.one('five', 5, true)).toBeGreaterThan(0);
    }));

  it.each(CASES)('grow, then fail and restart added servers: state, crash, restart, connect, one count them (%s, seed %i)',
    (mode, seed) => withSeed(seed, () => {
      const h = createHarness({ nodes: 3, seed, membershipMode: mode });
      h.one('a', 3, true);
      const s3 = h.addServer();
      const s4 = h.addServer(); // waits for S3's change to commit first (one change at a time), in simulated time
      waitMembers(h, [0, 1, 2, 3, 4]);
      expect(h.state(s3)).toMatchObject({ alive: true });
      h.one('b', 5, true);
      h.crash(s3);
      expect(h.state(s3).alive).toBe(false);
      h.disconnect(s4);
      h.one('c', 3, true); // 3 of 5 voters: a majority without the two added ones
      h.restart(s3);
      h.connect(s4);
      const index = h.one('d', 5, true);
      expect(h.state(s3).commitIndex).toBeGreaterThanOrEqual(index);
      expect(h.state(s4).commitIndex).toBeGreaterThanOrEqual(index);
      // An added server can lead: cut off all three originals' leader until one of the others leads.
      const leader = h.checkOneLeader();
      h.disconnect(leader);
      const next = h.checkOneLeader();
      expect(next).not.toBe(leader);
      h.one('e', 4, true);
      h.connect(leader);
      h.one('f', 5, true);
    }));

  it.each(CASES)('shrink to the added servers: the originals all leave, one by one, the leader last (%s, seed %i)',
    (mode, seed) => withSeed(seed, () => {
      const h = createHarness({ nodes: 3, seed, membershipMode: mode });
      h.one('a', 3, true);
      h.addServer();
      h.addServer();
      waitMembers(h, [0, 1, 2, 3, 4]);
      for (let removed = 0; removed < 3; removed++) {
        const leader = h.checkOneLeader();
        const originals = [0, 1, 2].filter((i) => h.members().includes(i));
        const victim = originals.find((i) => i !== leader) ?? leader;
        h.removeServer(victim);
        waitMembers(h, h.members().filter((i) => i !== victim));
        h.one(`after-${removed}`, h.members().length, true);
      }
      expect(h.members()).toEqual([3, 4]);
      expect([3, 4]).toContain(h.checkOneLeader());
      // The removed servers keep running and disturb nothing: the leader and its term hold.
      const leader = h.checkOneLeader();
      const term = h.state(leader).term;
      h.run(5_000);
      expect(h.checkOneLeader()).toBe(leader);
      expect(h.state(leader).term).toBe(term);
    }));

  it.each(CASES)('members() right after a restart of everything is the configuration committed before (%s, seed %i)',
    (mode, seed) => withSeed(seed, () => {
      const h = createHarness({ nodes: 3, seed, membershipMode: mode });
      h.one('a', 3, true);
      h.addServer();
      waitMembers(h, [0, 1, 2, 3]);
      h.removeServer(0);
      waitMembers(h, [1, 2, 3]);
      h.one('b', 3, true);
      for (let i = 0; i < 4; i++) h.crash(i);
      for (let i = 0; i < 4; i++) h.restart(i);
      // A new leader knows what is committed only once an entry of its own term is (§8): members() waits for that,
      // instead of answering with whatever its commit index said right after the election.
      expect(h.members()).toEqual([1, 2, 3]);
    }));

  it.each(CASES)('members() from a leader with no majority to commit with: it waits, then answers with what it knows (%s, seed %i)',
    (mode, seed) => withSeed(seed, () => {
      const h = createHarness({ nodes: 3, seed, membershipMode: mode });
      h.one('a', 3, true);
      const leader = h.checkOneLeader();
      for (const i of [0, 1, 2]) if (i !== leader) h.crash(i);
      h.crash(leader);
      h.restart(leader);
      for (const i of [0, 1, 2]) if (i !== leader) h.restart(i);
      // Every other server down again once one is elected: the new leader never commits an entry of its term.
      for (let waited = 0; waited < 5_000 && ![0, 1, 2].some((i) => h.state(i).role === 'leader'); waited += 1) h.run(1);
      const next = [0, 1, 2].find((i) => h.state(i).role === 'leader') as number;
      expect(h.state(next).commitIndex, 'not committed yet in its term').toBe(0);
      for (const i of [0, 1, 2]) if (i !== next) h.crash(i);
      expect(h.members()).toEqual([0, 1, 2]);
      expect(h.state(next)).toMatchObject({ role: 'leader', commitIndex: 0 });
    }));

  it.each(CASES)('churn under an unreliable network, with crashes, then restart everything (%s, seed %i)',
    (mode, seed) => withSeed(seed, (random) => {
      const h = createHarness({ nodes: 3, seed, unreliable: true, membershipMode: mode, snapshotEvery: 10 });
      let servers = 3;
      for (let round = 0; round < 8; round++) {
        const members = h.members();
        if (members.length > 3 && random.chance(0.5)) h.removeServer(members[random.int(0, members.length)] as number);
        else servers = h.addServer() + 1;
        if (random.chance(0.3)) {
          const victim = h.members()[random.int(0, h.members().length)] as number;
          h.crash(victim);
          h.one(`down-${round}`, 1, true);
          h.restart(victim);
        }
        for (let k = 0; k < 3; k++) h.one(`churn-${round}-${k}`, 1, true);
        h.run(random.int(0, 500));
      }
      h.setUnreliable(false);
      for (let i = 0; i < servers; i++) h.crash(i);
      for (let i = 0; i < servers; i++) h.restart(i);
      // Every change proposed above commits (or is lost with its leader) before the final count.
      h.run(3_000);
      const members = h.members();
      h.one('after-restart', members.length, true);
      h.run(3_000);
      expect(h.members()).toEqual(members);
    }));

  it.each(CASES)('transfer to an added server that lags after a crash: it is caught up, then leads (%s, seed %i)',
    (mode, seed) => withSeed(seed, () => {
      const h = createHarness({ nodes: 3, seed, membershipMode: mode, snapshotEvery: 5 });
      h.one('a', 3, true);
      const added = h.addServer();
      waitMembers(h, [0, 1, 2, 3]);
      h.crash(added);
      for (let k = 0; k < 12; k++) h.one(`missed-${k}`, 3, true);
      const leader = h.checkOneLeader();
      h.restart(added);
      expect(h.state(added).lastLogIndex).toBeLessThan(h.state(leader).lastLogIndex);
      h.transferLeadership(added);
      h.run(400);
      expect(h.checkOneLeader()).toBe(added);
      h.one('led-by-the-added-one', 4, true);
    }));
});
