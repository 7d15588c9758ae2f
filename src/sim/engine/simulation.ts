// The deterministic simulator: a cluster of pure Raft cores driven by one virtual clock and one seeded random
// source. Everything that happens is an event in a (timeMs, sequence) ordered queue: message deliveries, core
// timers, disk flushes and scheduled callbacks (clients, fault schedules). Same seed + same calls = the same run,
// event for event.
//
// Each node runs the Ready pipeline that real node processes run (src/runtime/ready-pipeline.ts): after every input
// it drains the core's Ready batches, writes `persist` to the node's simulated disk, sends a leader's AppendEntries
// early and every other message once its write is durable, and applies committed entries once they are durable
// on that node. A sync completes after a drawn delay (fsyncDelayMs), so those gates really wait; a crash loses
// what was not yet synced. The invariant checker looks at the node after every input and every completed sync; any
// breach throws an InvariantViolation.

import { createRaftNode } from '../../raft';
import { RULE } from '../../raft/reasons';
import type {
  BugName, Entry, MembershipChange, MembershipMode, Message, NodeId, PersistedState, ProposeResult, RaftConfig, RaftNode, RaftStatus, ReadFailure,
  ReadState, Ready, TransferResult,
} from '../../raft/types';
import { InvariantChecker, type NodeSnapshot } from '../../check/invariants';
import { ReadyPipeline } from '../../runtime/ready-pipeline';
import type { SnapshotPolicyOptions } from '../../runtime/snapshot-policy';
import { EventQueue, type QueueItem } from './event-queue';
import { jsonBytes } from './message-size';
import { isRequest, Network, type DropReason, type NetworkOptions } from './network';
import { Prng } from './prng';
import { SimNode } from './sim-node';
import { SimStateMachine, type SimStateMachineContext, type SnapshotSource } from './sim-state-machine';

export type { SnapshotSource } from './sim-state-machine';
import { Trace, type TraceListener } from './trace';

export type CreateNode = (config: RaftConfig, persisted: PersistedState | null, nowMs: number) => RaftNode;

export interface SimulationOptions {
  readonly seed: number;
  /** Cluster size; nodes get ids 1..nodes. */
  readonly nodes: number;
  readonly electionTimeoutMs?: readonly [number, number];
  readonly heartbeatMs?: number;
  readonly preVote?: boolean;
  readonly checkQuorum?: boolean;
  readonly bugs?: readonly BugName[];
  readonly maxEntriesPerMessage?: number;
  /** Flow control: the leader's in-flight window per follower (core defaults 64 messages, 1 MiB). */
  readonly maxInflightMessages?: number;
  readonly maxInflightBytes?: number;
  readonly network?: Partial<NetworkOptions>;
  /** Writes not marked mustSync reach the disk after a uniform delay in this range (ms), or at the next sync. */
  readonly unsyncedFlushDelayMs?: readonly [number, number];
  /**
   * A sync (fdatasync) takes a uniform delay in this range (ms; default [0.5, 2]): writes issued meanwhile wait for the
   * next one (group commit), messages and applies that wait for them wait that long, and a crash loses them.
   */
  readonly fsyncDelayMs?: readonly [number, number];
  /** Trace records retained (default 20 000); 0 keeps none (listeners still see every record). */
  readonly traceCapacity?: number;
  /** Run the invariant checker after every step (default true). */
  readonly checkInvariants?: boolean;
  /** Shown in invariant reports, e.g. "npm run sim -- --seed 42". */
  readonly replayHint?: string;
  /**
   * Deliver messages that were in flight to a node when it restarted, to the new incarnation (as a datagram
   * network would). Default false: like 6.5840's labrpc, a restarted server never sees its predecessor's traffic.
   */
  readonly deliverAcrossRestart?: boolean;
  /** Count message bytes (UTF-8 JSON length) into stats.bytes (default false: it costs a JSON.stringify per message). */
  readonly countBytes?: boolean;
  /** Core factory; defaults to the real core. */
  readonly createNode?: CreateNode;
  /**
   * Log compaction (§7): each node snapshots its state machine every this many applied entries (0 or absent: never).
   * The state machine's data comes from setSnapshotSource (default: empty, the digest alone).
   */
  readonly snapshotEveryEntries?: number;
  /** Entries kept in the log behind a snapshot for slow followers (default 0): compaction waits until they follow it. */
  readonly snapshotKeepEntries?: number;
  /** Characters per InstallSnapshot chunk (core default 256 Ki). */
  readonly maxSnapshotChunkChars?: number;
  /** How configurations change (core default 'single-server'). */
  readonly membershipMode?: MembershipMode;
}

/** Bound on the servers one simulation may hold, added ones included (partition groups are bit masks). */
export const MAX_SIM_NODES = 30;


export interface SimulationListener {
  onApply?(node: NodeId, entries: readonly Entry[]): void;
  onReadState?(node: NodeId, readState: ReadState): void;
  onReadFailure?(node: NodeId, failure: ReadFailure): void;
  onCrash?(node: NodeId): void;
  onRestart?(node: NodeId): void;
  /**
   * The state machine of `node` must be replaced by this snapshot's (installed from the leader, or read back from
   * disk at a restart, right after onRestart); applied entries then continue at index + 1.
   */
  onSnapshot?(node: NodeId, index: number, stateMachineData: string): void;
}

export interface MessageStats {
  /** Messages handed to the network by cores. */
  sent: number;
  /** RequestVote + AppendEntries sent (6.5840 counts RPCs, i.e. requests). */
  requestsSent: number;
  /** JSON bytes of requests sent plus replies that made it onto the wire (as labrpc counts). */
  bytes: number;
  delivered: number;
  /** InstallSnapshot chunks sent (§7). */
  snapshotsSent: number;
  dropped: number;
  droppedByReason: Partial<Record<DropReason, number>>;
}

type SimEvent = QueueItem & (
  | { readonly kind: 'deliver'; readonly message: Message; readonly messageId: number; readonly toIncarnation: number }
  | { readonly kind: 'timer'; readonly node: NodeId; readonly generation: number }
  /** A sync completes: the node's writes up to sequence `through` are durable (Infinity: a lazy flush of all). */
  | { readonly kind: 'flush'; readonly node: NodeId; readonly incarnation: number; readonly through: number }
  | { readonly kind: 'call'; readonly run: () => void }
);

const QUEUE_CAPACITY = 1_000_000;
const MAX_TICKS_AT_ONE_INSTANT = 1_000;
/** Zero-latency message storms or self-rescheduling callbacks would otherwise freeze the clock forever. */
const MAX_EVENTS_AT_ONE_INSTANT = 1_000_000;
/** Re-validate the checker's incremental log mirrors with a full scan this often (steps). */
const FULL_SCAN_EVERY_STEPS = 250_000;

export class Simulation {
  readonly seed: number;
  /** Every server ever started, the bootstrap ones (1..nodes) and the ones added since (membership changes). */
  private readonly ids: NodeId[];
  readonly network: Network;
  readonly trace: Trace;
  readonly checker: InvariantChecker | null;
  readonly stats: MessageStats = { sent: 0, requestsSent: 0, bytes: 0, delivered: 0, snapshotsSent: 0, dropped: 0, droppedByReason: {} };
  /** Indexed by NodeId (slot 0 unused): the hot paths look nodes up by id on every event. */
  private readonly nodes: (SimNode | undefined)[] = [];
  private readonly queue = new EventQueue<SimEvent>(QUEUE_CAPACITY);
  private readonly restartRandom: Prng;
  private readonly diskRandom: Prng;
  private readonly listeners: SimulationListener[] = [];
  private readonly createNode: CreateNode;
  private readonly baseConfig: Omit<RaftConfig, 'id' | 'randomSeed'>;
  private readonly flushDelayMs: readonly [number, number];
  private readonly fsyncDelayMs: readonly [number, number];
  private readonly countBytes: boolean;
  private readonly deliverAcrossRestart: boolean;
  private readonly compaction: SnapshotPolicyOptions;
  private readonly bugs: readonly BugName[];
  /** What the nodes' state machines tell (the checker, the listeners); one object shared by all of them. */
  private readonly stateMachineContext: SimStateMachineContext;
  /** A node's pipeline failed (its core threw, or a check inside its effects did): rethrown after the event. */
  private fatal: Error | null = null;
  /** Without planted bugs no core may ever see an invalid message: each one is a bug of the simulator or the core. */
  private readonly refuseInvalidMessages: boolean;
  private readonly replayHint: string | undefined;
  private readonly coreSeeds: Prng;
  private snapshotSource: SnapshotSource = () => '';
  private clockMs = 0;
  private nextMessageId = 1;
  private steps = 0;
  private eventsAtThisInstant = 0;

  constructor(options: SimulationOptions) {
    if (!Number.isInteger(options.nodes) || options.nodes < 1 || options.nodes > 15) {
      throw new Error(`a simulated cluster has 1..15 nodes, got ${options.nodes}`);
    }
    this.seed = options.seed;
    this.ids = Array.from({ length: options.nodes }, (_, i) => i + 1);
    const root = new Prng(options.seed);
    this.restartRandom = root.fork('restart');
    this.diskRandom = root.fork('disk');
    this.network = new Network(this.members, options.network ?? {}, root.fork('network'));
    this.trace = new Trace(options.traceCapacity ?? 20_000);
    this.createNode = options.createNode ?? createRaftNode;
    this.countBytes = options.countBytes ?? false;
    this.deliverAcrossRestart = options.deliverAcrossRestart ?? false;
    this.compaction = compactionOptions(options.snapshotEveryEntries ?? 0, options.snapshotKeepEntries ?? 0);
    this.bugs = [...(options.bugs ?? [])];
    this.refuseInvalidMessages = (options.bugs ?? []).length === 0;
    this.replayHint = options.replayHint;
    this.flushDelayMs = options.unsyncedFlushDelayMs ?? [20, 300];
    if (!(this.flushDelayMs[0] >= 0 && this.flushDelayMs[1] >= this.flushDelayMs[0])) {
      throw new Error(`unsyncedFlushDelayMs must be a range [min, max] with 0 <= min <= max`);
    }
    this.fsyncDelayMs = options.fsyncDelayMs ?? [0.5, 2];
    if (!(this.fsyncDelayMs[0] >= 0 && this.fsyncDelayMs[1] >= this.fsyncDelayMs[0])) {
      throw new Error(`fsyncDelayMs must be a range [min, max] with 0 <= min <= max`);
    }
    const electionTimeoutMs = options.electionTimeoutMs ?? [150, 300];
    this.baseConfig = {
      members: this.members,
      electionTimeoutMs: [electionTimeoutMs[0], electionTimeoutMs[1]],
      heartbeatMs: options.heartbeatMs ?? 50,
      preVote: options.preVote ?? false,
      checkQuorum: options.checkQuorum ?? false,
      bugs: [...(options.bugs ?? [])],
      ...(options.maxEntriesPerMessage === undefined ? {} : { maxEntriesPerMessage: options.maxEntriesPerMessage }),
      ...(options.maxInflightMessages === undefined ? {} : { maxInflightMessages: options.maxInflightMessages }),
      ...(options.maxInflightBytes === undefined ? {} : { maxInflightBytes: options.maxInflightBytes }),
      ...(options.maxSnapshotChunkChars === undefined ? {} : { maxSnapshotChunkChars: options.maxSnapshotChunkChars }),
      ...(options.membershipMode === undefined ? {} : { membershipMode: options.membershipMode }),
    };
    this.coreSeeds = root.fork('core-seeds');
    this.checker = options.checkInvariants === false
      ? null
      : new InvariantChecker({ members: this.members, seed: options.seed, selfVoteOnCandidacy: false,
        ...(options.replayHint === undefined ? {} : { replayHint: options.replayHint }) });
    const checker = this.checker;
    this.stateMachineContext = {
      checker, listeners: this.listeners, withDigest: this.compaction.everyEntries > 0,
      nowMs: () => this.clockMs, snapshotSource: () => this.snapshotSource,
    };
    for (const id of this.ids) {
      const node = new SimNode(id, this.members);
      this.nodes[id] = node;
      this.startRuntime(node, this.createNode(this.configFor(node, this.coreSeeds.nextU32()), null, 0));
    }
    for (const id of this.ids) this.afterInput(this.node(id));
  }

  /** Every server ever started (bootstrap and added), in id order; a removed server stays (it keeps running). */
  get members(): readonly NodeId[] {
    return this.ids;
  }

  /**
   * Starts a new server with an empty disk, connected (dissertation §4.2.1: it joins with no configuration and waits
   * for a leader to send it the log). Nothing proposes it: call proposeMembership at the leader. Returns its id.
   */
  addNode(): NodeId {
    const id = this.ids.length + 1;
    if (id > MAX_SIM_NODES) throw new Error(`a simulation holds at most ${MAX_SIM_NODES} servers`);
    const node = new SimNode(id, []);
    this.nodes[id] = node;
    this.ids.push(id);
    this.network.addNode(id);
    this.checker?.addMember(id);
    this.startRuntime(node, this.createNode(this.configFor(node, this.coreSeeds.nextU32()), null, this.clockMs));
    node.lastTickMs = this.clockMs;
    if (this.trace.active) this.trace.add({ kind: 'fault', timeMs: this.clockMs, description: `new server S${id} started with an empty disk` });
    this.afterInput(node);
    return id;
  }

  /** Asks `node` to change the configuration (it must lead); null when the node is crashed. */
  /** Asks `node` to hand leadership to `to` (dissertation §3.10); null when the node is crashed. */
  transferLeadership(node: NodeId, to: NodeId): TransferResult | null {
    const target = this.node(node);
    if (target.core === null) return null;
    this.advanceCoreClock(target);
    const result = target.core.transferLeadership(to);
    if (this.trace.active) this.trace.add({ kind: 'fault', timeMs: this.clockMs, description: `S${node}: transfer leadership to S${to}${result.ok ? '' : ` refused: ${result.reason}`}` });
    this.afterInput(target);
    return result;
  }

  proposeMembership(node: NodeId, change: MembershipChange): ProposeResult | null {
    const target = this.node(node);
    if (target.core === null) return null;
    this.advanceCoreClock(target);
    const result = target.core.proposeMembership(change);
    if (this.trace.active) this.trace.add({ kind: 'fault', timeMs: this.clockMs, description: `S${node}: ${change.type} S${change.node}${result.ok ? ` at index ${result.index}` : ' refused'}` });
    this.afterInput(target);
    return result;
  }

  get nowMs(): number {
    return this.clockMs;
  }

  /** Events processed so far. */
  get stepCount(): number {
    return this.steps;
  }

  addListener(listener: SimulationListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  onTrace(listener: TraceListener): () => void {
    return this.trace.subscribe(listener);
  }

  /** Where snapshot data comes from (the state machine the listeners run); default: no state beyond the digest. */
  setSnapshotSource(source: SnapshotSource): void {
    this.snapshotSource = source;
  }

  // ---- time ---------------------------------------------------------------------------------------------------

  /** Advances simulated time by `ms`, processing every event due on the way. */
  runFor(ms: number): void {
    if (!(ms >= 0)) throw new Error(`runFor needs ms >= 0, got ${ms}`);
    this.runUntil(this.clockMs + ms);
  }

  runUntil(timeMs: number): void {
    if (timeMs < this.clockMs) throw new Error(`cannot run back in time from ${this.clockMs} to ${timeMs}`);
    while (true) {
      const next = this.queue.peekTimeMs();
      if (next === null || next > timeMs) break;
      this.step();
    }
    this.clockMs = timeMs;
  }

  /** Processes the next event (for step-by-step mode); returns false when nothing is scheduled. */
  step(): boolean {
    const event = this.queue.pop();
    if (event === null) return false;
    if (event.timeMs < this.clockMs) throw new Error(`event at ${event.timeMs} is in the past (${this.clockMs})`);
    if (event.timeMs === this.clockMs) {
      if (++this.eventsAtThisInstant > MAX_EVENTS_AT_ONE_INSTANT) {
        throw new Error(`${MAX_EVENTS_AT_ONE_INSTANT} events at ${this.clockMs} ms: something reschedules itself without letting time pass`);
      }
    } else {
      this.eventsAtThisInstant = 0;
    }
    this.clockMs = event.timeMs;
    this.steps++;
    switch (event.kind) {
      case 'deliver': this.deliver(event.message, event.messageId, event.toIncarnation); break;
      case 'timer': this.fireTimer(event.node, event.generation); break;
      case 'flush': this.flush(event.node, event.incarnation, event.through); break;
      case 'call': event.run(); break;
    }
    if (this.fatal !== null) throw this.fatal;
    if (this.checker !== null && this.steps % FULL_SCAN_EVERY_STEPS === 0) this.fullCheck();
    return true;
  }

  /** Time of the next scheduled event, or null. */
  nextEventTimeMs(): number | null {
    return this.queue.peekTimeMs();
  }

  /** Runs `run` at now + delayMs, in deterministic order with every other event. */
  schedule(delayMs: number, run: () => void): void {
    if (!(delayMs >= 0)) throw new Error(`schedule needs a delay >= 0, got ${delayMs}`);
    this.queue.push({ kind: 'call', run, timeMs: this.clockMs + delayMs, sequence: 0 });
  }

  // ---- client and fault controls ------------------------------------------------------------------------------

  /** Proposes a command at `node`; null when the node is crashed. */
  propose(node: NodeId, command: string): ProposeResult | null {
    const target = this.node(node);
    if (target.core === null) return null;
    this.advanceCoreClock(target);
    const result = target.core.propose(command);
    if (this.trace.active) {
      this.trace.add({ kind: 'propose', timeMs: this.clockMs, node, command, index: result.ok ? result.index : null });
    }
    this.afterInput(target);
    return result;
  }

  /** Starts a ReadIndex read at `node`; false when the node is crashed. */
  readIndex(node: NodeId, requestId: string): boolean {
    const target = this.node(node);
    if (target.core === null) return false;
    this.checker?.readStarted(requestId, this.clockMs);
    this.advanceCoreClock(target);
    target.core.readIndex(requestId);
    this.afterInput(target);
    return true;
  }

  crash(node: NodeId): void {
    const target = this.node(node);
    if (target.core === null) return;
    target.pipeline?.stop();
    target.core = null;
    target.pipeline = null;
    target.stateMachine = null;
    target.incarnation++;
    target.scheduledDeadlineMs = null;
    target.flushScheduled = false;
    target.syncInFlight = false;
    target.syncWanted = false;
    const lost = target.disk.dropUnsynced();
    this.checker?.nodeCrashed(node, this.clockMs);
    if (this.trace.active) this.trace.add({ kind: 'crash', timeMs: this.clockMs, node, unsyncedWritesLost: lost });
    for (const listener of this.listeners) listener.onCrash?.(node);
  }

  /** Restarts `node` from its durable state (crashing it first if it is up). */
  restart(node: NodeId): void {
    const target = this.node(node);
    if (target.core !== null) this.crash(node);
    const durable = target.disk.durableState();
    const isBlank = durable.hardState.term === 0 && durable.hardState.votedFor === null && durable.entries.length === 0 && durable.snapshot === null;
    target.incarnation++;
    target.lastTickMs = -1;
    target.ticksAtSameInstant = 0;
    const core = this.createNode(this.configFor(target, this.restartRandom.nextU32()), isBlank ? null : durable, this.clockMs);
    this.checker?.nodeRestarted(node, durable.hardState.term, this.clockMs);
    if (this.trace.active) {
      this.trace.add({
        kind: 'restart', timeMs: this.clockMs, node, persistedTerm: durable.hardState.term,
        persistedVotedFor: durable.hardState.votedFor, persistedEntries: durable.entries.length,
      });
    }
    const stateMachine = this.startRuntime(target, core);
    for (const listener of this.listeners) listener.onRestart?.(node);
    // The core restarts with lastApplied = the snapshot's index: the state machine restarts from the snapshot.
    if (durable.snapshot !== null && durable.snapshot !== undefined) stateMachine.restoreSnapshot(durable.snapshot);
    this.afterInput(target);
  }

  /** Adds a free-text fault note to the trace (partitions and the like are set on `network`). */
  noteFault(description: string): void {
    if (this.trace.active) this.trace.add({ kind: 'fault', timeMs: this.clockMs, description });
  }

  // ---- observation ------------------------------------------------------------------------------------------

  isAlive(node: NodeId): boolean {
    return this.node(node).alive;
  }

  /** Current status, or the last one seen before the node crashed. */
  status(node: NodeId): RaftStatus {
    return this.node(node).lastStatus;
  }

  /** In-memory log of a running node after its snapshot (status().snapshotIndex); empty while crashed. */
  log(node: NodeId): readonly Entry[] {
    const core = this.node(node).core;
    return core === null ? [] : core.log();
  }

  /**
   * The entry at `index` in a running node's log; for an index inside its snapshot, the committed entry the checker
   * observed there (a snapshot covers committed entries only). Undefined when absent or crashed.
   */
  entryAt(node: NodeId, index: number): Entry | undefined {
    const core = this.node(node).core;
    if (core === null) return undefined;
    const snapshotIndex = this.node(node).lastStatus.snapshotIndex;
    if (index <= snapshotIndex) return this.checker?.committedEntry(index);
    return core.log()[index - snapshotIndex - 1];
  }

  /** The durable entries after the durable snapshot (all of them when the log was never compacted). */
  durableLog(node: NodeId): readonly Entry[] {
    return this.node(node).disk.durableEntries();
  }

  durableState(node: NodeId): PersistedState {
    return this.node(node).disk.durableState();
  }

  /** Ids of the running nodes that currently believe they lead. */
  leaders(): NodeId[] {
    return this.ids.filter((id) => this.node(id).alive && this.node(id).lastStatus.role === 'leader');
  }

  /** Re-checks every running node's whole log against the checker (slow; end of runs and tests). */
  fullCheck(): void {
    if (this.checker === null) return;
    for (const node of this.nodes) {
      if (node === undefined || node.core === null) continue;
      this.observeDurable(node);
      this.checker.observeNode(snapshotOf(node.lastStatus, this.standingCommit(node, node.lastStatus), node.core.log(), []), this.clockMs, true);
    }
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  private configFor(node: SimNode, randomSeed: number): RaftConfig {
    return { ...this.baseConfig, members: node.bootstrapMembers, id: node.id, randomSeed };
  }

  private node(id: NodeId): SimNode {
    const node = this.nodes[id];
    if (node === undefined) throw new Error(`no node ${id} (servers ${this.ids.join(', ')})`);
    return node;
  }

  /** The core learns the current time before each input, so timers it resets are measured from now. */
  private advanceCoreClock(node: SimNode): void {
    if (node.lastTickMs < this.clockMs) {
      node.lastTickMs = this.clockMs;
      node.ticksAtSameInstant = 0;
      (node.core as RaftNode).tick(this.clockMs);
    }
  }

  private deliver(message: Message, messageId: number, toIncarnation: number): void {
    this.network.inFlight--;
    const target = this.node(message.to);
    let reason: DropReason | null = null;
    if (target.core === null) reason = 'receiver-down';
    else if (target.incarnation !== toIncarnation && !this.deliverAcrossRestart) reason = 'receiver-restarted';
    else reason = this.network.linkDownReason(message.from, message.to);
    if (reason !== null) {
      this.recordDrop(message, messageId, reason);
      return;
    }
    this.stats.delivered++;
    if (this.trace.active) this.trace.add({ kind: 'deliver', timeMs: this.clockMs, messageId, message });
    this.advanceCoreClock(target);
    (target.core as RaftNode).step(message);
    this.afterInput(target);
  }

  private fireTimer(id: NodeId, generation: number): void {
    const node = this.node(id);
    if (node.core === null || generation !== node.timerGeneration) return;
    node.scheduledDeadlineMs = null;
    if (node.core.nextDeadlineMs() > this.clockMs) {
      this.scheduleTimer(node, node.core.nextDeadlineMs()); // the deadline moved later since this wake-up was queued
      return;
    }
    if (node.lastTickMs === this.clockMs) {
      if (++node.ticksAtSameInstant > MAX_TICKS_AT_ONE_INSTANT) {
        throw new Error(`S${id} asked for ${MAX_TICKS_AT_ONE_INSTANT} ticks at ${this.clockMs} ms: its nextDeadlineMs never moves past now`);
      }
    } else {
      node.ticksAtSameInstant = 0;
    }
    node.lastTickMs = this.clockMs;
    node.core.tick(this.clockMs);
    this.afterInput(node);
  }

  /**
   * Wraps a new core of `node` (a start or a restart) in the Ready pipeline, wired to the simulated disk, network,
   * clock and state machine. Returns the incarnation's state machine.
   */
  private startRuntime(node: SimNode, core: RaftNode): SimStateMachine {
    const stateMachine = new SimStateMachine(node.id, this.stateMachineContext);
    const incarnation = node.incarnation;
    node.core = core;
    node.stateMachine = stateMachine;
    node.pipeline = new ReadyPipeline({
      core,
      storage: { write: (persist, done) => this.writeToDisk(node, persist, () => done(null)) },
      transport: { send: (message) => this.send(node, message) },
      clock: { nowMs: () => this.clockMs },
      scheduler: {
        soon: (task) => this.queue.push({ kind: 'call', run: () => { if (node.incarnation === incarnation) task(); }, timeMs: this.clockMs, sequence: 0 }),
        wakeAt: (deadlineMs) => this.scheduleTimer(node, deadlineMs),
        cancel: () => {
          node.scheduledDeadlineMs = null;
          node.timerGeneration++;
        },
      },
      stateMachine,
      snapshotPolicy: this.compaction,
      observer: {
        onReady: (ready) => this.onReady(node, ready),
        onDurable: () => undefined, // the checker reads the disk itself (observeDurable)
        onReleased: () => undefined,
        onLogCompacted: () => undefined,
        afterDrain: () => this.observe(node),
        onError: (message) => {
          // Planted bugs may truncate applied entries, so the core refuses a compaction there; correct Raft never does.
          if (this.bugs.length === 0) this.failWith(new Error(`S${node.id} at ${this.clockMs} ms: ${message} (seed ${this.seed})`));
          else this.noteFault(`S${node.id}: ${message}`);
        },
        onFatal: (error) => this.failWith(rootCause(error)),
      },
      bugs: this.bugs,
    });
    return stateMachine;
  }

  /** A check inside a node's effects failed, or its core threw: the run fails with that error (after the event). */
  private failWith(error: Error): never {
    this.fatal ??= error;
    throw error;
  }

  /**
   * The pipeline's LogStorage: the write goes to the disk's volatile buffer; a write that must be synced starts a
   * sync (or waits for the next one if one is in flight: group commit); others reach the disk by a lazy flush.
   */
  private writeToDisk(node: SimNode, persist: Ready['persist'], durable: () => void): void {
    const disk = node.disk;
    disk.write(persist, durable);
    if (!disk.hasUnsyncedWrites) return;
    if (persist.mustSync) {
      if (node.syncInFlight) node.syncWanted = true;
      else this.startSync(node);
    } else if (!node.flushScheduled) {
      node.flushScheduled = true;
      const delayMs = this.diskRandom.between(this.flushDelayMs[0], this.flushDelayMs[1]);
      this.queue.push({ kind: 'flush', node: node.id, incarnation: node.incarnation, through: Infinity, timeMs: this.clockMs + delayMs, sequence: 0 });
    }
  }

  /** An fdatasync starts now: it covers the writes issued so far and completes after a drawn delay. */
  private startSync(node: SimNode): void {
    node.syncInFlight = true;
    node.syncWanted = false;
    const [min, max] = this.fsyncDelayMs;
    const delayMs = max > min ? this.diskRandom.between(min, max) : min;
    this.queue.push({ kind: 'flush', node: node.id, incarnation: node.incarnation, through: node.disk.issuedSequence, timeMs: this.clockMs + delayMs, sequence: 0 });
  }

  private flush(id: NodeId, incarnation: number, through: number): void {
    const node = this.node(id);
    if (node.incarnation !== incarnation) return;
    if (through === Infinity) node.flushScheduled = false;
    else node.syncInFlight = false;
    const disk = node.disk;
    // The checker sees the disk before anything that waited for it happens.
    const synced = disk.sync(through, () => {
      node.observedDurableVersion = disk.durableVersion;
      this.observeDurable(node);
    });
    if (!disk.hasUnsyncedWrites) node.syncWanted = false;
    else if (node.syncWanted && !node.syncInFlight) this.startSync(node);
    if (synced > 0 && node.pipeline !== null) this.observe(node);
  }

  private observeDurable(node: SimNode): void {
    if (this.checker === null) return;
    const snapshot = node.disk.durableSnapshot();
    this.checker.observeDurableLog(node.id, node.disk.durableEntries(), this.clockMs, snapshot?.lastIncludedIndex ?? 0, snapshot?.lastIncludedTerm ?? 0);
    // A candidate's vote for itself counts once it is on disk (before that it asked nobody: see the checker's option).
    const hardState = node.disk.durableHardState();
    if (hardState.votedFor === node.id) this.checker.observeVote(node.id, hardState.term, node.id, this.clockMs);
  }

  /** After any input to `node`: its pipeline drains the core (and observe() runs after the drain). */
  private afterInput(node: SimNode): void {
    (node.pipeline as ReadyPipeline).drain();
    if (this.fatal !== null) throw this.fatal;
  }

  /** The invariant checker looks at `node` (after a drain, and after a sync released what waited for it). */
  private observe(node: SimNode): void {
    const core = node.requireCore();
    const status = core.status();
    node.lastStatus = status;
    const writes = node.logWrites;
    if (this.checker !== null) {
      if (node.disk.durableVersion !== node.observedDurableVersion) {
        node.observedDurableVersion = node.disk.durableVersion;
        this.observeDurable(node);
      }
      // A fresh core's log is whatever it recovered: the checker sees it whole once, then only the writes (and
      // again whole after a snapshot was installed, which may discard the log).
      const fresh = node.observedIncarnation !== node.incarnation || node.installedSnapshot;
      node.observedIncarnation = node.incarnation;
      const snapshot = node.snapshot;
      snapshot.role = status.role;
      snapshot.term = status.term;
      snapshot.commitIndex = this.standingCommit(node, status);
      snapshot.lastLogIndex = status.lastLogIndex;
      snapshot.snapshotIndex = status.snapshotIndex;
      snapshot.snapshotTerm = status.snapshotTerm;
      snapshot.log = fresh ? core.log() : null;
      snapshot.writes = writes;
      this.checker.observeNode(snapshot, this.clockMs);
    }
    if (writes.length > 0) writes.length = 0; // setting length costs even when unchanged
    node.installedSnapshot = false;
  }

  /**
   * The commit index `node` can stand behind, which the checker is shown: a leader's core counts its own entries as
   * soon as it appends them, but the pipeline applies and announces only what is durable here too (§10.2.1). A
   * follower's comes from a leader, which sends only a commit index that a majority's disks hold.
   */
  private standingCommit(node: SimNode, status: RaftStatus): number {
    const pipeline = node.pipeline;
    return status.role === 'leader' && pipeline !== null ? Math.min(status.commitIndex, pipeline.durableIndex) : status.commitIndex;
  }

  /** Each Ready batch of `node`, before its effects: the trace, the writes the checker is shown, invalid input. */
  private onReady(node: SimNode, ready: Ready): void {
    if (ready.persist.entries.length > 0) node.logWrites.push(ready.persist.entries);
    if (ready.snapshotToApply !== null) node.installedSnapshot = true;
    if (this.trace.active) for (const event of ready.events) this.trace.add({ kind: 'raft-event', timeMs: this.clockMs, event });
    if (this.refuseInvalidMessages) {
      // Indexed loop: for-of on the frozen empty arrays a Ready hands out takes V8's slow iterator path.
      const events = ready.events;
      for (let i = 0; i < events.length; i++) {
        const event = events[i];
        if (event?.rule === RULE.invalidMessage) {
          this.failWith(new Error(`S${node.id} was handed an invalid message at ${this.clockMs} ms without planted bugs: ${event.reason}` +
            ` (seed ${this.seed}${this.replayHint === undefined ? '' : `; replay: ${this.replayHint}`})`));
        }
      }
    }
  }

  private send(node: SimNode, message: Message): void {
    if (message.from !== node.id) throw new Error(`S${node.id} sent a message claiming to be from S${message.from}`);
    const target = this.nodes[message.to];
    if (message.to === message.from || target === undefined) throw new Error(`S${node.id} sent a message to S${message.to}`);
    const messageId = this.nextMessageId++;
    this.stats.sent++;
    const request = isRequest(message);
    if (request) this.stats.requestsSent++;
    if (message.type === 'InstallSnapshot') this.stats.snapshotsSent++;
    if (message.type === 'RequestVoteReply' && message.voteGranted && !message.preVote) {
      this.checker?.observeVote(message.from, message.term, message.to, this.clockMs);
    }
    const network = this.network;
    const dropped = network.drawFate(message);
    if (this.countBytes && (request || dropped === null)) this.stats.bytes += jsonBytes(message);
    if (dropped !== null) {
      this.recordDrop(message, messageId, dropped);
      return;
    }
    const toIncarnation = target.incarnation;
    const copies = network.fateCopies;
    for (let copy = 0; copy < copies; copy++) {
      network.inFlight++;
      const delayMs = copy === 0 ? network.fateDelayMs : network.fateDuplicateDelayMs;
      this.queue.push({ kind: 'deliver', message, messageId, toIncarnation, timeMs: this.clockMs + delayMs, sequence: 0 });
    }
    if (this.trace.active) this.trace.add({ kind: 'send', timeMs: this.clockMs, messageId, message, copies });
  }

  private recordDrop(message: Message, messageId: number, reason: DropReason): void {
    this.stats.dropped++;
    this.stats.droppedByReason[reason] = (this.stats.droppedByReason[reason] ?? 0) + 1;
    if (this.trace.active) this.trace.add({ kind: 'drop', timeMs: this.clockMs, messageId, message, reason });
  }

  private scheduleTimer(node: SimNode, deadlineMs: number): void {
    if (!Number.isFinite(deadlineMs)) {
      node.scheduledDeadlineMs = null;
      node.timerGeneration++;
      return;
    }
    // A wake-up already pending at or before the deadline re-arms itself when it fires (fireTimer): a follower's
    // election timer moves later on every heartbeat, and queueing an event per move would double the queue's work.
    if (node.scheduledDeadlineMs !== null && node.scheduledDeadlineMs <= deadlineMs) return;
    node.scheduledDeadlineMs = deadlineMs;
    node.timerGeneration++;
    this.queue.push({ kind: 'timer', node: node.id, generation: node.timerGeneration, timeMs: Math.max(deadlineMs, this.clockMs), sequence: 0 });
  }
}

function snapshotOf(status: RaftStatus, commitIndex: number, log: readonly Entry[] | null, writes: readonly (readonly Entry[])[]): NodeSnapshot {
  return {
    id: status.id, role: status.role, term: status.term, commitIndex, lastLogIndex: status.lastLogIndex,
    snapshotIndex: status.snapshotIndex, snapshotTerm: status.snapshotTerm, log, writes,
  };
}

function compactionOptions(everyEntries: number, keepEntries: number): SnapshotPolicyOptions {
  if (!(Number.isSafeInteger(everyEntries) && everyEntries >= 0 && Number.isSafeInteger(keepEntries) && keepEntries >= 0)) {
    throw new Error(`snapshotEveryEntries and snapshotKeepEntries must be integers >= 0, got ${everyEntries} and ${keepEntries}`);
  }
  return { everyEntries, keepEntries };
}

/** The error a pipeline wrapped (its "the Raft core failed on ..." message keeps the original as cause). */
function rootCause(error: Error): Error {
  let current = error;
  while (current.cause instanceof Error) current = current.cause;
  return current;
}
