// One fuzz run: a cluster under a random fault schedule with clients proposing commands and issuing ReadIndex
// reads, the invariant checker watching every step; then a calm phase that checks the cluster recovers (a leader
// is elected and a final command reaches every node). The fuzz test, the planted-bug tests and the CLI all call
// this one function, so a failing seed printed by one replays exactly in the others.

import type { BugName, MembershipMode, NodeId } from '../../raft/types';
import { InvariantViolation, type InvariantName } from '../../check/invariants';
import { FaultSchedule, FAULT_PROFILES, QUIET_NETWORK, type FaultProfile, type FaultProfileName } from '../faults/fault-schedule';
import { Prng } from '../engine/prng';
import { Simulation, type MessageStats } from '../engine/simulation';
import type { TraceListener, TraceRecord } from '../engine/trace';

export interface FuzzOptions {
  readonly seed: number;
  /** Default 5. */
  readonly nodes?: number;
  /** Simulated seconds of faults (default 20); the recovery phase comes on top. */
  readonly seconds?: number;
  readonly bugs?: readonly BugName[];
  /** Default 'mixed'. */
  readonly profile?: FaultProfileName;
  readonly preVote?: boolean;
  readonly checkQuorum?: boolean;
  /** How membership churn changes configurations (default 'single-server'; 'joint': paper §6). */
  readonly membershipMode?: MembershipMode;
  /** Run the invariant checker (default true; off to see what a planted bug does past the first violation). */
  readonly checkInvariants?: boolean;
  /** Check that the healed cluster commits a final command on every node (default true). */
  readonly checkLiveness?: boolean;
  /** Trace records to keep for the report (default 0: none). */
  readonly traceCapacity?: number;
  /** Sees every trace record of the run as it happens (e.g. to hash a whole run). */
  readonly onTrace?: TraceListener;
}

export type FuzzFailureKind = 'invariant' | 'liveness' | 'error';

export interface FuzzFailure {
  readonly kind: FuzzFailureKind;
  readonly invariant: InvariantName | null;
  readonly message: string;
  readonly atMs: number;
}

export interface FuzzResult {
  readonly seed: number;
  readonly failure: FuzzFailure | null;
  readonly simulatedMs: number;
  readonly steps: number;
  readonly proposals: number;
  readonly reads: number;
  /** Length of the committed log observed by the checker. */
  readonly committed: number;
  readonly messages: MessageStats;
  /** The command that replays this run. */
  readonly replay: string;
  /** The retained trace tail (empty unless traceCapacity > 0). */
  readonly trace: readonly TraceRecord[];
}

const BATCH_SIZES = [1, 2, 3, 8, 64, 64] as const;
/** Log compaction per seed (§7): 0 = never; small thresholds make lagging and restarted followers need InstallSnapshot. */
const SNAPSHOT_EVERY = [0, 3, 5, 10, 25] as const;
const SNAPSHOT_KEEP = [0, 0, 2, 10] as const;
/** Small chunks split even the simulator's tiny snapshots (Figure 13's offset/done). */
const SNAPSHOT_CHUNK_CHARS = [2, 5, 64, 256 * 1024] as const;
/** Flow control per seed: tiny windows keep followers at a full window (and their heartbeats doing the repair). */
const INFLIGHT_MESSAGES = [1, 2, 4, 64] as const;
const INFLIGHT_BYTES = [8, 64, 1024 * 1024, 1024 * 1024] as const;
const CLIENT_INTERVAL_MS: readonly [number, number] = [5, 80];
const READ_FRACTION = 0.25;
const RECOVERY_SETTLE_MS = 2_000;
const LIVENESS_BUDGET_MS = 15_000;
const LIVENESS_POLL_MS = 50;

export function replayCommand(options: FuzzOptions): string {
  const parts = [`npm run sim -- --seed ${options.seed}`];
  if (options.nodes !== undefined && options.nodes !== 5) parts.push(`--nodes ${options.nodes}`);
  if (options.seconds !== undefined && options.seconds !== 20) parts.push(`--seconds ${options.seconds}`);
  if (options.profile !== undefined && options.profile !== 'mixed') parts.push(`--profile ${options.profile}`);
  if (options.bugs !== undefined && options.bugs.length > 0) parts.push(`--bugs ${options.bugs.join(',')}`);
  if (options.preVote === true) parts.push('--pre-vote');
  if (options.checkQuorum === true) parts.push('--check-quorum');
  if (options.membershipMode === 'joint') parts.push('--joint');
  return parts.join(' ');
}

export function runFuzzSeed(options: FuzzOptions): FuzzResult {
  const nodes = options.nodes ?? 5;
  const faultMs = (options.seconds ?? 20) * 1000;
  const replay = replayCommand(options);
  const root = new Prng(options.seed);
  const variation = root.fork('variation');
  const profile: FaultProfile = FAULT_PROFILES[options.profile ?? 'mixed'];
  const cluster = profile.cluster ?? {};
  const maxEntriesPerMessage = cluster.maxEntriesPerMessage ?? variation.pick(BATCH_SIZES);
  const deliverAcrossRestart = cluster.deliverAcrossRestart ?? variation.chance(0.5);
  // Drawn after the older variations, so that those stay what they were for every seed.
  const snapshotEveryEntries = variation.pick(SNAPSHOT_EVERY);
  const snapshotKeepEntries = variation.pick(SNAPSHOT_KEEP);
  const maxSnapshotChunkChars = variation.pick(SNAPSHOT_CHUNK_CHARS);
  const maxInflightMessages = variation.pick(INFLIGHT_MESSAGES);
  const maxInflightBytes = variation.pick(INFLIGHT_BYTES);
  const simulation = new Simulation({
    seed: options.seed,
    nodes,
    bugs: options.bugs ?? [],
    preVote: options.preVote ?? false,
    checkQuorum: options.checkQuorum ?? false,
    ...(options.membershipMode === undefined ? {} : { membershipMode: options.membershipMode }),
    network: QUIET_NETWORK,
    // Per seed: sometimes small AppendEntries batches (long catch-ups, partial acknowledgements) and messages
    // that outlive a restart of their receiver.
    maxEntriesPerMessage,
    deliverAcrossRestart,
    // Planted-bug runs keep their logs whole: each bug is documented (and tested) against uncompacted Raft.
    snapshotEveryEntries: (options.bugs ?? []).length > 0 ? 0 : snapshotEveryEntries,
    snapshotKeepEntries,
    maxSnapshotChunkChars,
    maxInflightMessages,
    maxInflightBytes,
    ...(cluster.electionTimeoutMs === undefined ? {} : { electionTimeoutMs: cluster.electionTimeoutMs }),
    ...(cluster.fsyncDelayMs === undefined ? {} : { fsyncDelayMs: cluster.fsyncDelayMs }),
    traceCapacity: options.traceCapacity ?? 0,
    replayHint: replay,
    ...(options.checkInvariants === false ? { checkInvariants: false } : {}),
  });
  if (options.onTrace !== undefined) simulation.onTrace(options.onTrace);
  const faults = new FaultSchedule(simulation, profile, root.fork('faults'), faultMs);
  const clients = new FuzzClients(simulation, root.fork('clients'), faultMs);
  let failure: FuzzFailure | null = null;
  try {
    faults.start();
    clients.start();
    simulation.runUntil(faultMs);
    faults.stop();
    recover(simulation);
    simulation.runFor(RECOVERY_SETTLE_MS);
    if (options.checkLiveness ?? true) {
      const problem = checkLiveness(simulation, `final-${options.seed}`);
      if (problem !== null) failure = { kind: 'liveness', invariant: null, message: `${problem}\n  replay: ${replay}`, atMs: simulation.nowMs };
    }
    simulation.fullCheck();
  } catch (error) {
    failure = toFailure(error, simulation.nowMs, replay);
  }
  return {
    seed: options.seed,
    failure,
    simulatedMs: simulation.nowMs,
    steps: simulation.stepCount,
    proposals: clients.proposals,
    reads: clients.reads,
    committed: simulation.checker?.committedLength ?? 0,
    messages: simulation.stats,
    replay,
    trace: simulation.trace.records(),
  };
}

function toFailure(error: unknown, atMs: number, replay: string): FuzzFailure {
  if (error instanceof InvariantViolation) return { kind: 'invariant', invariant: error.invariant, message: error.message, atMs };
  const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  return { kind: 'error', invariant: null, message: `${message}\n  replay: ${replay}`, atMs };
}

/** Ends every fault: links up, calm network, every node running. */
function recover(simulation: Simulation): void {
  simulation.network.heal();
  for (const id of simulation.members) simulation.network.setConnected(id, true);
  simulation.network.configure(QUIET_NETWORK);
  for (const id of simulation.members) if (!simulation.isAlive(id)) simulation.restart(id);
  simulation.noteFault('recovery: all links up, all nodes running');
}

/** Null when a final command reaches every node's state machine in time; otherwise what went wrong. */
function checkLiveness(simulation: Simulation, command: string): string | null {
  const startMs = simulation.nowMs;
  let target: { index: number; term: number } | null = null;
  while (simulation.nowMs - startMs < LIVENESS_BUDGET_MS) {
    const leader = currentLeader(simulation);
    if (target === null || (leader !== null && simulation.status(leader).term > target.term && !holds(simulation, leader, target.index, command))) {
      if (leader !== null) {
        const result = simulation.propose(leader, command);
        if (result !== null && result.ok) target = { index: result.index, term: result.term };
      }
    }
    // Every server of the leader's configuration (a removed server no longer receives the log).
    const config = leader === null ? null : simulation.status(leader).config;
    const servers = config === null ? simulation.members : [...new Set([...config.voters, ...config.learners, ...config.outgoing])];
    if (target !== null && servers.every((id) => applied(simulation, id, target as { index: number }, command))) return null;
    simulation.runFor(LIVENESS_POLL_MS);
  }
  const states = simulation.members.map((id) => {
    const status = simulation.status(id);
    return `S${id} ${status.role} t${status.term} commit=${status.commitIndex} applied=${status.lastApplied} last=${status.lastLogIndex}`;
  });
  return `liveness: after recovery, command "${command}" did not reach every node within ${LIVENESS_BUDGET_MS} ms` +
    ` (${target === null ? 'no leader accepted it' : `proposed at index ${target.index}, term ${target.term}`}); ${states.join('; ')}`;
}

function currentLeader(simulation: Simulation): NodeId | null {
  let best: NodeId | null = null;
  for (const id of simulation.leaders()) {
    if (best === null || simulation.status(id).term > simulation.status(best).term) best = id;
  }
  return best;
}

function holds(simulation: Simulation, id: NodeId, index: number, command: string): boolean {
  return simulation.entryAt(id, index)?.command === command;
}

function applied(simulation: Simulation, id: NodeId, target: { index: number }, command: string): boolean {
  return simulation.status(id).lastApplied >= target.index && holds(simulation, id, target.index, command);
}

/** Clients that keep proposing unique commands and issuing reads, mostly at the node that leads. */
class FuzzClients {
  proposals = 0;
  reads = 0;
  private sequence = 0;

  constructor(
    private readonly simulation: Simulation,
    private readonly random: Prng,
    private readonly untilMs: number,
  ) {}

  start(): void {
    this.scheduleNext();
  }

  private scheduleNext(): void {
    const delayMs = this.random.between(CLIENT_INTERVAL_MS[0], CLIENT_INTERVAL_MS[1]);
    if (this.simulation.nowMs + delayMs >= this.untilMs) return;
    this.simulation.schedule(delayMs, () => {
      this.act();
      this.scheduleNext();
    });
  }

  private act(): void {
    const sim = this.simulation;
    const leaders = sim.leaders();
    const alive = sim.members.filter((id) => sim.isAlive(id));
    if (alive.length === 0) return;
    const target = leaders.length > 0 && this.random.chance(0.85) ? this.random.pick(leaders) : this.random.pick(alive);
    this.sequence++;
    if (this.random.chance(READ_FRACTION)) {
      this.reads++;
      sim.readIndex(target, `r${this.sequence}`);
    } else {
      this.proposals++;
      sim.propose(target, `c${this.sequence}`);
    }
  }
}
