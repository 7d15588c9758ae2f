// One KV linearizability run: the KV workload's clients against a cluster under a random fault schedule, then a
// calm phase in which operations still in flight can finish, then the linearizability checker on the recorded
// history. The invariant checker may be switched off, to show that the history checker alone catches a bug.

import type { BugName } from '../../raft/types';
import type { HistoryOp } from '../../check/history';
import { InvariantViolation } from '../../check/invariants';
import { checkLinearizability, type LinearizabilityResult } from '../../check/linearizability';
import { FaultSchedule, FAULT_PROFILES, QUIET_NETWORK, type FaultProfile, type FaultProfileName } from '../faults/fault-schedule';
import { KvWorkload, type KvWorkloadOptions } from './kv-workload';
import { Prng } from '../engine/prng';
import { Simulation } from '../engine/simulation';

export interface KvRunOptions {
  readonly seed: number;
  /** Default 5. */
  readonly nodes?: number;
  /** Simulated seconds of faults and client load (default 10). */
  readonly seconds?: number;
  readonly bugs?: readonly BugName[];
  /** Default 'partitions'. */
  readonly profile?: FaultProfileName;
  readonly checkInvariants?: boolean;
  readonly workload?: Partial<KvWorkloadOptions>;
  /** Step budget of each per-key linearizability search (deterministic; default 5 million). */
  readonly maxStepsPerSearch?: number;
  /** Log compaction (§7): KV snapshot every this many applied entries (default 50; 0 = never). */
  readonly snapshotEvery?: number;
}

export const DEFAULT_KV_SNAPSHOT_EVERY = 50;
/** Entries kept behind each snapshot so that briefly lagging followers still catch up by AppendEntries. */
const KV_SNAPSHOT_KEEP = 10;

export interface KvRunResult {
  readonly seed: number;
  /** Null when the history is linearizable and no invariant broke. */
  readonly failure: string | null;
  readonly history: readonly HistoryOp[];
  readonly linearizability: LinearizabilityResult | null;
  readonly completed: number;
  readonly retries: number;
  readonly replay: string;
}

const DRAIN_MS = 3_000;

export function kvReplayCommand(options: KvRunOptions): string {
  const parts = [`npm run sim -- --kv --seed ${options.seed}`];
  if (options.nodes !== undefined && options.nodes !== 5) parts.push(`--nodes ${options.nodes}`);
  if (options.seconds !== undefined && options.seconds !== 10) parts.push(`--seconds ${options.seconds}`);
  if (options.profile !== undefined && options.profile !== 'partitions') parts.push(`--profile ${options.profile}`);
  if (options.bugs !== undefined && options.bugs.length > 0) parts.push(`--bugs ${options.bugs.join(',')}`);
  if (options.checkInvariants === false) parts.push('--no-invariants');
  if (options.snapshotEvery !== undefined && options.snapshotEvery !== DEFAULT_KV_SNAPSHOT_EVERY) parts.push(`--snapshot-every ${options.snapshotEvery}`);
  return parts.join(' ');
}

export function runKvSeed(options: KvRunOptions): KvRunResult {
  const faultMs = (options.seconds ?? 10) * 1000;
  const replay = kvReplayCommand(options);
  const root = new Prng(options.seed);
  const profile: FaultProfile = FAULT_PROFILES[options.profile ?? 'partitions'];
  const cluster = profile.cluster ?? {};
  const simulation = new Simulation({
    seed: options.seed,
    nodes: options.nodes ?? 5,
    bugs: options.bugs ?? [],
    network: QUIET_NETWORK,
    traceCapacity: 0,
    checkInvariants: options.checkInvariants ?? true,
    replayHint: replay,
    snapshotEveryEntries: options.snapshotEvery ?? DEFAULT_KV_SNAPSHOT_EVERY,
    snapshotKeepEntries: KV_SNAPSHOT_KEEP,
    ...(cluster.maxEntriesPerMessage === undefined ? {} : { maxEntriesPerMessage: cluster.maxEntriesPerMessage }),
    ...(cluster.deliverAcrossRestart === undefined ? {} : { deliverAcrossRestart: cluster.deliverAcrossRestart }),
    ...(cluster.electionTimeoutMs === undefined ? {} : { electionTimeoutMs: cluster.electionTimeoutMs }),
    ...(cluster.fsyncDelayMs === undefined ? {} : { fsyncDelayMs: cluster.fsyncDelayMs }),
  });
  const faults = new FaultSchedule(simulation, profile, root.fork('faults'), faultMs);
  const workload = new KvWorkload(simulation, root.fork('kv-clients'), options.workload);
  let failure: string | null = null;
  try {
    faults.start();
    workload.start(faultMs);
    simulation.runUntil(faultMs);
    faults.stop();
    simulation.network.heal();
    simulation.network.configure(QUIET_NETWORK);
    for (const id of simulation.members) if (!simulation.isAlive(id)) simulation.restart(id);
    simulation.runFor(DRAIN_MS);
    workload.stop();
  } catch (error) {
    if (!(error instanceof InvariantViolation)) throw error;
    failure = error.message;
    workload.stop();
  }
  const history = workload.history();
  let linearizability: LinearizabilityResult | null = null;
  if (failure === null) {
    linearizability = checkLinearizability(history, {
      maxStepsPerSearch: options.maxStepsPerSearch ?? 5_000_000,
      // Deterministic budget: steps only, never the wall clock.
      now: () => 0,
      timeoutMs: 1,
      shrinkTimeoutMs: 1,
    });
    if (!linearizability.ok) {
      const violation = linearizability.violation;
      failure = linearizability.timedOut && violation === undefined
        ? `linearizability check ran out of its step budget (seed ${options.seed}); replay: ${replay}`
        : `history is not linearizable on key ${violation?.key ?? '?'}: ${violation?.explanation ?? ''}\n  replay: ${replay}`;
    }
  }
  return { seed: options.seed, failure, history, linearizability, completed: workload.completed, retries: workload.retries, replay };
}
