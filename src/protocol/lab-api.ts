// The one interface between the UI and the lab. The renderer codes against `LabApi`; the Electron preload
// (IPC) and the web-mode WebSocket bridge both carry exactly these methods, and the lab controller implements them.
// Every method's parameters are validated where they cross a process boundary (see lab-methods.ts).
import type { BugName, MembershipMode, NodeId, ProgressState, Role } from '../raft/types';
import type { ConfigurationView, LabEvent } from './events';
import type { LinkFaults } from './link-faults';
import type { Demo, DemoSummary, Exercise, ExerciseSummary } from './exercise/schema';
import type { ExperimentSpec, ExperimentState } from './experiments';
import { NO_NETWORK_DELAY, TEACHING_NETWORK_DELAY, type HeldMessageAction, type NetworkDelayMs, type StepResult } from './lab-clock';

export type { HeldMessageAction, NetworkDelayMs, StepResult } from './lab-clock';

export type NodeStatus = 'starting' | 'running' | 'paused' | 'crashed' | 'stopped';

export interface NodeView {
  readonly id: NodeId;
  readonly status: NodeStatus;
  readonly pid: number | null;
  /** ZeroMQ endpoint the node's peers connect to; null until the node reported in. */
  readonly peerEndpoint: string | null;
  readonly role: Role;
  readonly term: number;
  readonly votedFor: NodeId | null;
  readonly leaderId: NodeId | null;
  readonly commitIndex: number;
  readonly lastApplied: number;
  readonly lastLogIndex: number;
  /**
   * The configuration in effect at this server (dissertation §4.1: the latest in its log, committed or not; a
   * server may be in a different one than the leader). Absent or null until it reported one (and in recordings from
   * before membership changes).
   */
  readonly config?: ConfigurationView | null;
  /** The latest configuration this server has committed; absent or null until it reported one. */
  readonly committedConfig?: ConfigurationView | null;
  /** A learner (§4.2.1): it receives the log but neither votes nor counts toward a majority. Absent: false. */
  readonly learner?: boolean;
}

export interface ClusterSettings {
  readonly nodeCount: number;
  readonly electionTimeoutMs: readonly [number, number];
  readonly heartbeatMs: number;
  /** Slow motion: every timeout and injected delay is multiplied by this (1 = real time, up to 100). */
  readonly timeScale: number;
  /** Lab ms added at the sender to every peer message, drawn in [min, max] (the lab clock: slowed and frozen too). */
  readonly networkDelayMs: NetworkDelayMs;
  /**
   * Seed of the election timers: node i draws its timeouts from (timerSeed, i), so a session stepped the same way
   * from the same seed reaches the same states.
   */
  readonly timerSeed: number;
  /**
   * Start with the lab clock stopped, before any timer has run: stepped from there with the same timer seed, the
   * cluster goes through the same states every time (demos, reproducible exercises). Absent: false.
   */
  readonly startPaused?: boolean;
  /** Raft extensions (dissertation §9.6 pre-vote, §6.2 check-quorum). */
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  /** Planted bugs: instructor section only; empty for students. */
  readonly bugs: readonly BugName[];
  /**
   * Log compaction (§7) at a small scale, for exercises: a node takes a snapshot every this many applied entries and
   * keeps `snapshotKeepEntries` entries before it in its log. Absent: the node's own policy (every 2,000 entries
   * keeping 1,000, or RAFT_LAB_SNAPSHOT_EVERY_ENTRIES / _KEEP_ENTRIES); 0 turns compaction off.
   */
  readonly snapshotEveryEntries?: number;
  readonly snapshotKeepEntries?: number;
  /** What runs behind each node: the lab's Raft (absent: the same), or a student's own (docs/byo-raft.md). */
  readonly implementation?: Implementation;
  /**
   * How the lab's Raft changes its configuration: one server at a time (dissertation ch. 4), or by joint consensus
   * (paper §6, Figure 11: C_old,new, then C_new). Absent: single-server (and in recordings from before the choice).
   */
  readonly membershipMode?: MembershipMode;
}

/**
 * The lab's own Raft; the example Raft that speaks Maelstrom's protocol (assets/byo/example-raft.mjs); or a student's
 * executable speaking it, with its arguments. The last two run behind relay nodes (src/node/maelstrom).
 */
export type Implementation =
  | { readonly kind: 'raft' }
  | { readonly kind: 'example' }
  | { readonly kind: 'executable'; readonly bin: string; readonly args: readonly string[] };

/** True when the nodes are a student's own (or the example): roles and logs are known only from what they report. */
export function isOwnImplementation(implementation: Implementation | undefined): boolean {
  return implementation !== undefined && implementation.kind !== 'raft';
}

export type KvOpName = 'get' | 'put' | 'delete' | 'cas';

export interface ClientRequest {
  readonly op: KvOpName;
  readonly key: string;
  /** put */
  readonly value?: string;
  /** cas */
  readonly from?: string;
  readonly to?: string;
  /** Node to send to first (the client follows leader hints from there); default: the known leader. */
  readonly node?: NodeId;
  /** Give up (outcome unknown for writes) after this long; default 5000 ms (times the time scale). */
  readonly timeoutMs?: number;
}

export interface ClientResult {
  /** ok: done; fail: definitely not applied (cas mismatch); unknown: timed out, may or may not have happened. */
  readonly status: 'ok' | 'fail' | 'unknown';
  /** get: the value read (null = absent); cas/put: the value now stored when known. */
  readonly value: string | null;
  /** Node that answered, if any. */
  readonly servedBy: NodeId | null;
  readonly latencyMs: number;
  /** Why it failed or is unknown, in words. */
  readonly error: string | null;
  /** Log index of the write (writes only, when known); for a get, the read index it was served at. */
  readonly index: number | null;
  /** A get whose value the lab's safety monitor proved stale: it missed a write committed before it was called. */
  readonly stale?: boolean;
}

export interface WorkloadSpec {
  /** Operations started per second across all clients. */
  readonly ratePerSecond: number;
  readonly clients: number;
  readonly keys: number;
  /** Share of each operation, e.g. {get: 0.5, put: 0.3, cas: 0.1, delete: 0.1}; normalised. */
  readonly mix: Readonly<Partial<Record<KvOpName, number>>>;
  /**
   * How long a client tries one operation (lab ms, as a client request's timeoutMs; default the client's own) before
   * it gives up and records the operation as unknown.
   */
  readonly requestTimeoutMs?: number;
}

export interface HistoryEntryView {
  readonly client: number;
  readonly op: KvOpName;
  readonly key: string;
  readonly value?: string | null;
  readonly from?: string;
  readonly to?: string;
  readonly call: number;
  readonly ret: number | null;
  readonly status: 'ok' | 'fail' | 'unknown';
}

export interface WorkloadReport {
  readonly running: boolean;
  readonly spec: WorkloadSpec | null;
  readonly ops: number;
  readonly ok: number;
  readonly fail: number;
  readonly unknown: number;
  /** Recorded history, newest last (bounded; `truncated` says if older operations were dropped). */
  readonly history: readonly HistoryEntryView[];
  readonly truncated: boolean;
  /** null until checked. */
  readonly verdict: LinearizabilityVerdict | null;
}

export interface LinearizabilityVerdict {
  readonly linearizable: boolean;
  readonly timedOut: boolean;
  /** The smallest failing set of operations (indexes into `history`) and the key they touch. */
  readonly violation: { readonly key: string; readonly opIndexes: readonly number[]; readonly explanation: string } | null;
}

export interface LogEntryView {
  readonly index: number;
  readonly term: number;
  /** null for a leader's no-op entry and for a configuration entry; otherwise the command as text (KV commands are JSON). */
  readonly command: string | null;
  /** A configuration entry's configuration (dissertation ch. 4). */
  readonly config?: ConfigurationView;
}

/** A leader's view of one follower: Figure 2's nextIndex and matchIndex, and its flow control (src/raft/progress.ts). */
export interface PeerProgressView {
  readonly nextIndex: number;
  readonly matchIndex: number;
  /** Absent in recordings from before flow control. */
  readonly state?: ProgressState;
  /** AppendEntries sent in replicate state and not yet acknowledged. */
  readonly inflight?: number;
}

export interface NodeDetail {
  readonly node: NodeView;
  readonly log: readonly LogEntryView[];
  /** Leader only: per peer. */
  readonly progress: Readonly<Record<number, PeerProgressView>> | null;
  /** The node's applied key-value state. */
  readonly kv: Readonly<Record<string, string>>;
}

/** A partition as groups of nodes; nodes not listed form one more group. */
export type PartitionGroups = readonly (readonly NodeId[])[];

export type ClusterPhase = 'stopped' | 'starting' | 'running' | 'stopping';

/** The lab clock as the UI needs it (see lab-clock.ts). */
export interface LabClockView {
  /** The cluster is frozen: no timer fires, every message waits at its receiver until stepped or resumed. */
  readonly frozen: boolean;
  /** Lab time now (ms since the cluster started). */
  readonly labMs: number;
}

export interface LabSnapshot {
  readonly phase: ClusterPhase;
  readonly settings: ClusterSettings;
  readonly nodes: readonly NodeView[];
  /** Directed links currently blocked, as [from, to]. */
  readonly blockedLinks: readonly (readonly [NodeId, NodeId])[];
  /** Directed links with loss/delay/duplication, keyed "from->to". */
  readonly linkFaults: Readonly<Record<string, LinkFaults>>;
  /** Shared monotonic clock of the machine, ns, when the snapshot was taken. */
  readonly atNs: number;
  /** Seq of the next event: the snapshot already reflects every event before it. */
  readonly nextSeq: number;
  /** Absent from labs older than the lab clock. */
  readonly clock?: LabClockView;
}

export type Unsubscribe = () => void;

export interface LabApi {
  getSnapshot(): Promise<LabSnapshot>;
  startCluster(settings: Partial<ClusterSettings>): Promise<LabSnapshot>;
  stopCluster(): Promise<LabSnapshot>;
  /** SIGKILL: the process dies at once; what it had synced to disk survives. */
  crashNode(id: NodeId): Promise<void>;
  /** Start a crashed or stopped node again on the same data directory. */
  restartNode(id: NodeId): Promise<void>;
  /** SIGSTOP / SIGCONT: the process freezes with all its state, then carries on as if nothing happened. */
  pauseNode(id: NodeId): Promise<void>;
  resumeNode(id: NodeId): Promise<void>;
  /** Crash the node and delete its data directory (a disk failure); restart it with restartNode. */
  wipeNode(id: NodeId): Promise<void>;
  /**
   * Membership change (dissertation ch. 4): start a new server (a node process with an empty disk and the next unused
   * id) and propose it at the leader as a learner; the leader promotes it to voter once it has caught up (§4.2.1).
   * Resolves with the new server's id once the leader appended the change. Refused, changing nothing, when there is
   * no leader or a configuration change is pending.
   */
  addServer(): Promise<NodeId>;
  /**
   * Membership change: propose removing server `id` at the leader; once the change commits, its process stops and
   * it leaves the lab (§4.2.2; a removed leader steps down). Refused, changing nothing, when there is no leader, a
   * change is pending, or there is no such server. Rejects when the removal has not committed within 10 s (times the
   * slow motion): the server then stays in the lab, still a member, and the lab stops it if the entry commits later
   * (a `remove-server` fault event) or reports the removal lost (an `error` event) if a new leader does without it.
   * On a paused cluster it resolves once the leader appended the change; the steps that commit it finish it.
   */
  removeServer(id: NodeId): Promise<void>;
  /**
   * Membership change: promote learner `id` to voter now (dissertation §4.2.1), for a learner the leader has not
   * promoted by itself (one that was down or cut off while it joined). Resolves once the leader appended the change.
   * Refused, changing nothing, when there is no leader, a change is pending, or `id` is not a learner.
   */
  promoteServer(id: NodeId): Promise<void>;
  /**
   * Leadership transfer (dissertation §3.10): the leader stops accepting client requests, brings `to` up to date and
   * sends it TimeoutNow; `to` starts an election at once. Resolves once `to` leads (on a paused cluster, once the
   * leader has begun: stepping plays out the rest). Rejects with the reason: no leader, `to` unknown, not a voter or
   * already leading, or the transfer abandoned (the leader gives up after an election timeout) or won by another.
   */
  transferLeadership(to: NodeId): Promise<void>;
  /** Cut every link between groups, both ways (replaces earlier partitions; keeps per-link loss/delay). */
  setPartition(groups: PartitionGroups): Promise<void>;
  /** Faults on the directed link from -> to (a blocked link is a one-way partition). */
  setLinkFaults(from: NodeId, to: NodeId, faults: Partial<LinkFaults>): Promise<void>;
  /** Remove every partition and link fault. */
  healAll(): Promise<void>;
  /** Slow motion 1x..100x, applied to every node at once. */
  setTimeScale(timeScale: number): Promise<void>;
  /** The cluster-wide network delay [min, max] in lab ms, applied at once to every message sent from now on. */
  setNetworkDelay(delayMs: NetworkDelayMs): Promise<void>;
  /** Pause the cluster: the lab clock stops in every node process (not SIGSTOP: the processes keep answering). */
  freezeCluster(): Promise<void>;
  /** Run the lab clock again from where it stood. */
  resumeCluster(): Promise<void>;
  /** While frozen: advance to the next timer or message delivery of the whole cluster, in lab-time order, and do it. */
  stepCluster(): Promise<StepResult>;
  /** The server's election timer fires now (RaftScope's "time out"), frozen or not; a leader steps down first. */
  timeoutNode(id: NodeId): Promise<void>;
  /** A message waiting at its receiver `to`: deliver it now, drop it, or add a second copy. */
  heldMessage(to: NodeId, messageId: string, action: HeldMessageAction): Promise<void>;
  /** One KV operation through the real client library (sessions, retries, leader hints). */
  clientRequest(request: ClientRequest): Promise<ClientResult>;
  startWorkload(spec: WorkloadSpec): Promise<void>;
  /** Stops the workload, waits for in-flight operations and checks the history for linearizability. */
  stopWorkload(): Promise<WorkloadReport>;
  getWorkload(): Promise<WorkloadReport>;
  getNodeDetail(id: NodeId): Promise<NodeDetail>;
  /** Recent events (bounded window), e.g. to save a session. */
  getRecentEvents(limit: number): Promise<readonly LabEvent[]>;
  /** The guided exercises that ship with the lab (assets/exercises), in order. */
  listExercises(): Promise<readonly ExerciseSummary[]>;
  /** One exercise, whole (its cluster, steps, goals, hints, explanations and solutions). */
  getExercise(id: string): Promise<Exercise>;
  /**
   * Start one of the paper's experiments (Figure 16, or the write path against client count) on node processes of
   * its own, apart from the lab's cluster; answers at once. One at a time.
   */
  startExperiment(spec: ExperimentSpec): Promise<ExperimentState>;
  /** The running or last experiment: progress, and its result rows from `fromRow` on (poll with what you have). */
  getExperiment(fromRow: number): Promise<ExperimentState>;
  /** Stop the running experiment: its processes are stopped; what it measured so far stays readable. */
  cancelExperiment(): Promise<ExperimentState>;
  /** The classroom demos that ship with the lab (assets/demos), in order. */
  listDemos(): Promise<readonly DemoSummary[]>;
  /** One demo, whole (its cluster and narrated steps). */
  getDemo(id: string): Promise<Demo>;
  /** Events arrive in batches, in the lab's merged order. */
  subscribe(listener: (events: readonly LabEvent[]) => void): Unsubscribe;
}

export const DEFAULT_SETTINGS: ClusterSettings = {
  nodeCount: 3,
  electionTimeoutMs: [150, 300],
  heartbeatMs: 50,
  timeScale: 1,
  networkDelayMs: NO_NETWORK_DELAY,
  timerSeed: 1,
  preVote: false,
  checkQuorum: false,
  bugs: [],
  membershipMode: 'single-server',
};

/**
 * Settings as recorded by any lab version: recordings from before the lab clock have no network delay or timer seed
 * (they ran with neither: no delay, a random seed).
 */
export function completeSettings(recorded: Omit<ClusterSettings, 'networkDelayMs' | 'timerSeed'> &
  Partial<Pick<ClusterSettings, 'networkDelayMs' | 'timerSeed'>>): ClusterSettings {
  return { ...recorded, networkDelayMs: recorded.networkDelayMs ?? NO_NETWORK_DELAY, timerSeed: recorded.timerSeed ?? DEFAULT_SETTINGS.timerSeed };
}

/** What the lab opens with for people (web mode, the desktop app): slow enough to watch, 1x one click away. */
export const TEACHING_SETTINGS: ClusterSettings = { ...DEFAULT_SETTINGS, timeScale: 10, networkDelayMs: TEACHING_NETWORK_DELAY };

export const MAX_UI_NODES = 9;
export const MAX_HEADLESS_NODES = 25;
