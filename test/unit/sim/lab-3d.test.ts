// MIT 6.5840 Lab 3D (log compaction), test for test, on the simulated harness with `snapshotEvery` (the lab's
// SnapShotInterval = 10: every server snapshots its state machine every 10 applied entries and compacts its log).
// cfg.crash1(i) is disconnect + crash, cfg.start1(i) is restart (the server recovers from its snapshot and log).
import { describe, expect, it } from 'vitest';
import type { SimHarness } from '../../../src/sim/harness';
import type { Prng } from '../../../src/sim/engine/prng';
import { Agreements, labSeeds, makeHarness, randomCommand, withSeed } from './lab-helpers';

const SEEDS = labSeeds();
const SNAPSHOT_INTERVAL = 10;
/** The lab bounds the persisted Raft state (2000 bytes); here: entries kept on disk after the snapshot. */
const MAX_LOG_ENTRIES = 4 * SNAPSHOT_INTERVAL;

function harness(seed: number, reliable: boolean): SimHarness {
  return makeHarness({ nodes: 3, seed, unreliable: !reliable, snapshotEvery: SNAPSHOT_INTERVAL });
}

function crash1(h: SimHarness, i: number): void {
  h.disconnect(i);
  h.crash(i);
}

function start1(h: SimHarness, i: number): void {
  h.restart(i);
}

/** cfg.LogSize(): the largest durable log (entries after the snapshot) of any server. */
function logSize(h: SimHarness): number {
  let largest = 0;
  for (const id of h.simulation.members) largest = Math.max(largest, h.simulation.durableState(id).entries.length);
  return largest;
}

/**
 * snapcommon(): 30 rounds; in each, a victim misses a batch of commands and must catch up (by snapshot). Returns what
 * was agreed on, for the test to check where it ended.
 */
function snapCommon(h: SimHarness, random: Prng, disconnect: boolean, crash: boolean): Agreements {
  const servers = 3;
  const agreements = new Agreements(h);
  agreements.one(randomCommand(random), servers, true);
  let leader1 = h.checkOneLeader();
  for (let i = 0; i < 30; i++) {
    let victim = (leader1 + 1) % servers;
    let sender = leader1;
    if (i % 3 === 1) {
      sender = (leader1 + 1) % servers;
      victim = leader1;
    }
    if (disconnect) {
      h.disconnect(victim);
      agreements.one(randomCommand(random), servers - 1, true);
    }
    if (crash) {
      crash1(h, victim);
      agreements.one(randomCommand(random), servers - 1, true);
    }
    // Perhaps send enough to get a snapshot.
    const nn = SNAPSHOT_INTERVAL / 2 + random.int(0, SNAPSHOT_INTERVAL);
    for (let j = 0; j < nn; j++) h.propose(sender, randomCommand(random));
    // Let the appliers catch up; without faults make sure every follower did, so no InstallSnapshot is needed.
    agreements.one(randomCommand(random), !disconnect && !crash ? servers : servers - 1, true);
    expect(logSize(h)).toBeLessThan(MAX_LOG_ENTRIES);
    if (disconnect) {
      // Reconnect a follower, who may be behind and need a snapshot to catch up.
      h.connect(victim);
      agreements.one(randomCommand(random), servers, true);
      leader1 = h.checkOneLeader();
    }
    if (crash) {
      start1(h, victim);
      h.connect(victim);
      agreements.one(randomCommand(random), servers, true);
      leader1 = h.checkOneLeader();
    }
  }
  return agreements;
}

describe('6.5840 3D: log compaction', () => {
  it.each(SEEDS)('SnapshotBasic (seed %i)', (seed) => withSeed(seed, (random) => {
    const h = harness(seed, true);
    snapCommon(h, random, false, false);
    for (const id of h.simulation.members) expect(h.simulation.status(id).snapshotIndex).toBeGreaterThan(0);
  }));

  it.each(SEEDS)('SnapshotInstall (seed %i)', (seed) => withSeed(seed, (random) => {
    const h = harness(seed, true);
    snapCommon(h, random, true, false);
    expect(h.simulation.stats.snapshotsSent).toBeGreaterThan(0);
  }));

  it.each(SEEDS)('SnapshotInstallUnreliable (seed %i)', (seed) => withSeed(seed, (random) => {
    const h = harness(seed, false);
    snapCommon(h, random, true, false);
    expect(h.simulation.stats.snapshotsSent).toBeGreaterThan(0);
  }));

  it.each(SEEDS)('SnapshotInstallCrash (seed %i)', (seed) => withSeed(seed, (random) => {
    const h = harness(seed, true);
    snapCommon(h, random, false, true).expectCommittedEverywhere();
    for (const id of h.simulation.members) expect(h.simulation.status(id).snapshotIndex).toBeGreaterThan(0);
  }));

  it.each(SEEDS)('SnapshotInstallUnCrash (seed %i)', (seed) => withSeed(seed, (random) => {
    const h = harness(seed, false);
    snapCommon(h, random, false, true).expectCommittedEverywhere();
    for (const id of h.simulation.members) expect(h.simulation.status(id).snapshotIndex).toBeGreaterThan(0);
  }));

  it.each(SEEDS)('SnapshotAllCrash: crash and restart all servers repeatedly; the log index never goes back (seed %i)', (seed) => withSeed(seed, (random) => {
    const servers = 3;
    const h = harness(seed, true);
    h.one(randomCommand(random), servers, true);
    for (let i = 0; i < 5; i++) {
      // Perhaps enough to get a snapshot.
      const nn = SNAPSHOT_INTERVAL / 2 + random.int(0, SNAPSHOT_INTERVAL);
      for (let j = 0; j < nn; j++) h.one(randomCommand(random), servers, true);
      const index1 = h.one(randomCommand(random), servers, true);
      for (let j = 0; j < servers; j++) crash1(h, j);
      for (let j = 0; j < servers; j++) {
        start1(h, j);
        h.connect(j);
      }
      const index2 = h.one(randomCommand(random), servers, true);
      expect(index2, `index decreased from ${index1} to ${index2}`).toBeGreaterThan(index1);
    }
  }));

  it.each(SEEDS)('SnapshotInit: servers restart from their snapshot, twice (seed %i)', (seed) => withSeed(seed, (random) => {
    const servers = 3;
    const h = harness(seed, true);
    h.one(randomCommand(random), servers, true);
    // Enough ops to make a snapshot.
    for (let i = 0; i < SNAPSHOT_INTERVAL + 1; i++) h.one(randomCommand(random), servers, true);
    const crashAll = (): void => {
      for (let i = 0; i < servers; i++) crash1(h, i);
      for (let i = 0; i < servers; i++) {
        start1(h, i);
        h.connect(i);
      }
    };
    crashAll();
    for (const id of h.simulation.members) {
      // Restarted from the snapshot: everything it covers counts as applied.
      const status = h.simulation.status(id);
      expect(status.snapshotIndex).toBeGreaterThan(0);
      expect(status.lastApplied).toBe(status.snapshotIndex);
    }
    // A single op, to get something written back to persistent storage.
    h.one(randomCommand(random), servers, true);
    crashAll();
    // Another op, to trigger a potential bug.
    h.one(randomCommand(random), servers, true);
  }));

  it('nCommitted counts a server that installed a snapshot as having applied what it covers', () => withSeed(7, (random) => {
    const h = harness(7, true);
    h.one(randomCommand(random), 3, true);
    const leader = h.checkOneLeader();
    const victim = (leader + 1) % 3;
    h.disconnect(victim);
    const first = h.one('before', 2, true);
    for (let i = 0; i < 3 * SNAPSHOT_INTERVAL; i++) h.one(randomCommand(random), 2, true);
    h.connect(victim);
    h.one(randomCommand(random), 3, true);
    expect(h.simulation.status(victim + 1).snapshotIndex).toBeGreaterThanOrEqual(first);
    expect(h.nCommitted(first)).toEqual({ count: 3, command: 'before' });
  }));
});
