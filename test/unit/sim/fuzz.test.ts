// Randomized fault fuzz: 300 seeds of 20 simulated seconds each on a 5-node cluster under crashes and restarts,
// partitions (full, bridge, asymmetric), loss, duplication and reordering, membership churn (single-server and, on
// every fifth seed, joint consensus), with clients proposing commands and
// issuing ReadIndex reads; every invariant is checked after every event, and the healed cluster must then commit
// a final command on every node. A failure prints the seed and the command that replays it.
import { describe, expect, it } from 'vitest';
import { runFuzzSeed, type FuzzOptions } from '../../../src/sim/drivers/fuzz';
import type { FaultProfileName } from '../../../src/sim/faults/fault-schedule';

const SEEDS = 300;
const SECONDS = 20;
/** Mostly the everything-at-once profile, with the specialised ones mixed in. */
const PROFILES: readonly FaultProfileName[] = ['mixed', 'mixed', 'mixed', 'partitions', 'reboots', 'reordering', 'membership', 'transfers'];

function optionsFor(seed: number): FuzzOptions {
  return {
    seed,
    seconds: SECONDS,
    nodes: 5,
    profile: PROFILES[seed % PROFILES.length] as FaultProfileName,
    preVote: seed % 4 === 1 || seed % 4 === 3,
    checkQuorum: seed % 4 === 2 || seed % 4 === 3,
    // Membership churn (in mixed and membership) by joint consensus on every fifth seed, single-server otherwise.
    ...(seed % 5 === 0 ? { membershipMode: 'joint' as const } : {}),
  };
}

describe('randomized fault fuzz', () => {
  it(`${SEEDS} seeds x ${SECONDS} simulated seconds hold every invariant and recover`, () => {
    const failures: string[] = [];
    let committed = 0;
    let messages = 0;
    let withInstallSnapshot = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const result = runFuzzSeed(optionsFor(seed));
      committed += result.committed;
      messages += result.messages.sent;
      if (result.messages.snapshotsSent > 0) withInstallSnapshot++;
      if (result.failure !== null) {
        failures.push(`seed ${seed} failed (${result.failure.invariant ?? result.failure.kind}); replay: ${result.replay}\n${result.failure.message}`);
        if (failures.length >= 3) break;
      }
    }
    expect(failures, failures.join('\n\n')).toEqual([]);
    // The runs did real work: entries committed and messages exchanged on every seed, on average.
    expect(committed / SEEDS).toBeGreaterThan(50);
    expect(messages / SEEDS).toBeGreaterThan(1000);
    // Log compaction (§7) is on for most seeds, with thresholds small enough that lagging and restarted
    // followers need InstallSnapshot.
    expect(withInstallSnapshot / SEEDS).toBeGreaterThan(0.5);
  }, 180_000); // deterministic CPU work (~40 s at load 18 beside the rest of the suite): not a timing check
});
