// Every planted bug is caught by the checks. For each bug: randomized fault runs with the bug switched on fail
// within 50 seeds, by the invariant that the bug breaks, and the very same seeds pass with the bug off (so it is
// the bug that is caught, not the schedule). Each bug gets the fault profile that gives it the chance to bite:
// a restart for lost votes, partitions and leader changes for the Figure 8 commit, reordering for truncation.
import { describe, expect, it } from 'vitest';
import type { InvariantName } from '../../../src/check/invariants';
import type { BugName } from '../../../src/raft/types';
import { KNOWN_BUGS } from '../../../src/sim/faults/bugs';
import type { FaultProfileName } from '../../../src/sim/faults/fault-schedule';
import { runFuzzSeed, type FuzzOptions, type FuzzResult } from '../../../src/sim/drivers/fuzz';

const WITHIN_SEEDS = 50;

interface BugCase {
  readonly bug: BugName;
  readonly profile: FaultProfileName;
  readonly nodes: number;
  /** The invariants this bug may break first. */
  readonly caughtBy: readonly InvariantName[];
  /** Seed budget when not WITHIN_SEEDS. */
  readonly withinSeeds?: number;
  /**
   * The bug may also wedge the cluster (configurations whose majorities cannot be formed): a seed that only fails the
   * recovery check is passed over, and the budget counts seeds until an invariant breaks.
   */
  readonly mayWedge?: boolean;
}

const CASES: readonly BugCase[] = [
  // Figure 8: a leader commits an old-term entry by counting replicas; a later leader overwrites it.
  { bug: 'commit-previous-term', profile: 'figure8-partitions', nodes: 3, caughtBy: ['leader-completeness', 'committed-entry-lost', 'state-machine-safety'] },
  // A voter reboots right after voting and votes again in the same term.
  { bug: 'vote-not-persisted', profile: 'vote-reboots', nodes: 5, caughtBy: ['one-vote-per-term', 'election-safety'] },
  // A stale candidate wins and its log lacks committed entries.
  { bug: 'no-up-to-date-check', profile: 'partitions', nodes: 5, caughtBy: ['leader-completeness', 'committed-entry-lost', 'state-machine-safety'] },
  // The leader commits on acknowledgements that are not on disk yet.
  { bug: 'ack-before-persist', profile: 'reboots', nodes: 5, caughtBy: ['committed-entry-lost'] },
  // A reordered AppendEntries makes a follower drop entries it acknowledged.
  { bug: 'truncate-without-conflict', profile: 'reordering', nodes: 5, caughtBy: ['committed-entry-lost', 'state-machine-safety', 'leader-completeness'] },
  // A deposed leader answers ReadIndex without a heartbeat round.
  { bug: 'stale-leader-reads', profile: 'partitions', nodes: 5, caughtBy: ['stale-read'] },
  // A deposed leader ignores higher terms in replies and keeps confirming reads.
  { bug: 'no-step-down-on-higher-term', profile: 'partitions', nodes: 5, caughtBy: ['stale-read', 'election-safety'] },
  // A follower votes twice in one term.
  { bug: 'double-vote', profile: 'mixed', nodes: 5, caughtBy: ['one-vote-per-term', 'election-safety'] },
  // Dissertation ch. 4. The 2015 bug: new leaders change the voters before their no-op commits, so an old leader's
  // uncommitted configuration and a new leader's committed one have disjoint majorities. Its own profile on four
  // voters makes that interleaving common enough (6 of seeds 1..100, the first at 12; on membership-elections with
  // five servers it was about 1 seed in 150).
  {
    bug: 'config-change-before-own-term-commit', profile: 'membership-2015', nodes: 4, withinSeeds: 60, mayWedge: true,
    caughtBy: ['committed-configuration-lost', 'leader-completeness', 'state-machine-safety', 'committed-entry-lost', 'log-matching', 'election-safety'],
  },
  // Two uncommitted changes add up to a two-server change: old and newest majorities need not overlap.
  // Since the simulator runs the nodes' Ready pipeline with timed syncs (issue 14) the interleaving is rarer: first
  // caught at seed 56 (within 50 before).
  {
    bug: 'two-pending-config-changes', profile: 'membership', nodes: 5, mayWedge: true, withinSeeds: 60,
    caughtBy: ['committed-configuration-lost', 'leader-completeness', 'state-machine-safety', 'committed-entry-lost', 'log-matching', 'election-safety'],
  },
  // Leaders count with the committed configuration while a newer one is in their log: commits that a majority of
  // the newer configuration does not hold.
  {
    bug: 'config-applied-on-commit', profile: 'membership', nodes: 5, mayWedge: true,
    caughtBy: ['committed-entry-lost', 'committed-configuration-lost', 'leader-completeness', 'state-machine-safety', 'log-matching', 'election-safety'],
  },
  // The runtime layer (src/runtime/ready-pipeline.ts): a leader applies what only its own unsynced count committed.
  // Caught the moment it applies past the commit index it can stand behind (its durable log), or when a crash then
  // loses the entry; slow disks make a follower's acknowledgement arrive before the leader's own sync completes.
  { bug: 'apply-before-durable', profile: 'slow-disks', nodes: 5, withinSeeds: 5, caughtBy: ['state-machine-safety', 'committed-entry-lost'] },
];

function options(bugCase: BugCase, seed: number, bugs: readonly BugName[]): FuzzOptions {
  return { seed, seconds: 10, nodes: bugCase.nodes, profile: bugCase.profile, bugs };
}

describe('planted bugs are caught', () => {
  it('covers every planted bug', () => {
    expect(CASES.map((c) => c.bug).sort()).toEqual([...KNOWN_BUGS].sort());
  });

  it.each(CASES)(`$bug is caught within its seed budget ($profile, $nodes nodes), and those seeds pass without it`, (bugCase) => {
    const budget = bugCase.withinSeeds ?? WITHIN_SEEDS;
    let caught: FuzzResult | null = null;
    for (let seed = 1; seed <= budget && caught === null; seed++) {
      const result = runFuzzSeed(options(bugCase, seed, [bugCase.bug]));
      if (result.failure !== null && !(bugCase.mayWedge === true && result.failure.kind === 'liveness')) caught = result;
    }
    expect(caught, `${bugCase.bug} was not caught in seeds 1..${budget}`).not.toBeNull();
    const failure = (caught as FuzzResult).failure;
    const seed = (caught as FuzzResult).seed;
    expect(failure?.kind, `seed ${seed}: ${failure?.message}`).toBe('invariant');
    expect(bugCase.caughtBy, `seed ${seed}: ${failure?.message}`).toContain(failure?.invariant);
    for (let clean = 1; clean <= seed; clean++) {
      const result = runFuzzSeed(options(bugCase, clean, []));
      expect(result.failure, `seed ${clean} fails without ${bugCase.bug}: ${result.failure?.message}`).toBeNull();
    }
  });
});
