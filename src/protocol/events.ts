// The lab's one event stream: node processes report, the lab orders and numbers, and the UI, the recorder and the
// checkers all consume these same records. Schemas are the single definition; types are inferred from them.
import { z } from 'zod';
import { isBugName } from '../raft/planted-bugs';
import { KV_STATE_MAX_BYTES, KV_STATE_MAX_KEYS, kvStateBytes } from './kv-state-limits';
import type { BugName, EventKind, MembershipMode, MessageType, ProgressState } from '../raft/types';
import { MAX_TIME_SCALE, MIN_TIME_SCALE } from './lab-clock';
import { labClockSegmentSchema, networkDelaySchema, stepKindSchema } from './lab-clock-schema';

const nodeId = z.number().int().min(1).max(25);
const timeNs = z.number().nonnegative();
const nodeStatus = z.enum(['starting', 'running', 'paused', 'crashed', 'stopped']);

const scalar = z.union([z.string().max(4096), z.number(), z.boolean(), z.null()]);

/** Every kind of RaftEvent the core reports (src/raft/types.ts EventKind). */
export const raftEventKindSchema = z.enum(['term-changed', 'role-changed', 'election-started', 'vote-granted', 'vote-denied',
  'vote-received', 'became-leader', 'stepped-down', 'entries-appended', 'entries-truncated', 'append-rejected', 'append-accepted',
  'commit-advanced', 'next-index-backed-off', 'message-ignored', 'proposal-accepted', 'proposal-rejected', 'read-confirmed',
  'read-failed', 'log-compacted', 'snapshot-sent', 'snapshot-installed', 'snapshot-rejected', 'snapshot-chunk-stored',
  'configuration-changed', 'learner-round', 'progress-changed', 'leadership-transfer']);

// Compile-time proof that the enums above and below list exactly the core's kinds and message types.
type SameUnion<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const RAFT_EVENT_KINDS_MATCH: SameUnion<z.infer<typeof raftEventKindSchema>, EventKind> = true;

export const raftEventViewSchema = z.object({
  kind: raftEventKindSchema,
  node: nodeId,
  term: z.number().int().nonnegative(),
  rule: z.string().max(256),
  reason: z.string().max(2048),
  data: z.record(z.string().max(64), scalar),
});

/**
 * A cluster configuration as the lab shows it (dissertation ch. 4): voters, learners (§4.2.1) and, in joint
 * consensus, the old configuration's voters (paper §6). The wire's own schema is configurationSchema in wire.ts.
 */
export const configurationViewSchema = z.object({
  voters: z.array(nodeId).max(25),
  learners: z.array(nodeId).max(25),
  outgoing: z.array(nodeId).max(25),
});
export type ConfigurationView = z.infer<typeof configurationViewSchema>;

/** A follower's flow-control state as its leader tracks it (src/raft/progress.ts). */
export const progressStateSchema = z.enum(['probe', 'replicate', 'snapshot']);
export const PROGRESS_STATES_MATCH: SameUnion<z.infer<typeof progressStateSchema>, ProgressState> = true;

/** A node's volatile Raft state, sent whenever it changes (the UI's cards and the logs view read this). */
export const nodeStateSchema = z.object({
  role: z.enum(['follower', 'precandidate', 'candidate', 'leader']),
  term: z.number().int().nonnegative(),
  votedFor: nodeId.nullable(),
  leaderId: nodeId.nullable(),
  commitIndex: z.number().int().nonnegative(),
  lastApplied: z.number().int().nonnegative(),
  lastLogIndex: z.number().int().nonnegative(),
  lastLogTerm: z.number().int().nonnegative(),
  /**
   * Last index and term of the node's snapshot (§7): its log holds snapshotIndex+1..lastLogIndex. 0 when it never
   * compacted. Optional so that recordings from before snapshots still load; nodes always send them.
   */
  snapshotIndex: z.number().int().nonnegative().optional(),
  snapshotTerm: z.number().int().nonnegative().optional(),
  /** When the election timer fires, on the shared clock (ns); null for a leader. For the timer arc. */
  electionDeadlineNs: z.number().nonnegative().nullable(),
  /** The same deadline in lab time (ms): it holds still while the cluster is frozen. Absent from older recordings. */
  electionDeadlineLabMs: z.number().nonnegative().nullable().optional(),
  /**
   * Leader only: each peer's nextIndex and matchIndex, and its flow-control state (probe / replicate / snapshot) with
   * the AppendEntries in flight to it; those two are absent in recordings from before flow control.
   */
  progress: z.record(z.string().regex(/^\d{1,2}$/), z.object({
    nextIndex: z.number().int().nonnegative(),
    matchIndex: z.number().int().nonnegative(),
    state: progressStateSchema.optional(),
    inflight: z.number().int().nonnegative().optional(),
  })).nullable(),
  /**
   * The configuration in effect at this node (the latest in its log, committed or not: dissertation §4.1) and the
   * latest committed one. Optional: recordings from before membership changes have neither.
   */
  config: configurationViewSchema.optional(),
  committedConfig: configurationViewSchema.optional(),
});
export type NodeStateView = z.infer<typeof nodeStateSchema>;

/** ClusterSettings.implementation (lab-api.ts). */
export const implementationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('raft') }),
  z.strictObject({ kind: z.literal('example') }),
  z.strictObject({ kind: z.literal('executable'), bin: z.string().min(1).max(4096), args: z.array(z.string().max(4096)).max(64).readonly() }),
]);

/** ClusterSettings.membershipMode (lab-api.ts): one server at a time (dissertation ch. 4) or joint consensus (paper §6). */
export const membershipModeSchema = z.enum(['single-server', 'joint']);
export const MEMBERSHIP_MODES_MATCH: SameUnion<z.infer<typeof membershipModeSchema>, MembershipMode> = true;

/** The settings a cluster was started with (so a recording replays at the right speed). */
export const clusterSettingsSchema = z.object({
  nodeCount: z.number().int().min(1).max(25),
  electionTimeoutMs: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  heartbeatMs: z.number().int().positive(),
  timeScale: z.number().min(MIN_TIME_SCALE).max(MAX_TIME_SCALE),
  /** Optional: recordings from before the lab clock have neither. */
  networkDelayMs: networkDelaySchema.optional(),
  timerSeed: z.number().int().nonnegative().optional(),
  startPaused: z.boolean().optional(),
  preVote: z.boolean(),
  checkQuorum: z.boolean(),
  bugs: z.array(z.custom<BugName>((value) => typeof value === 'string' && isBugName(value), 'unknown planted bug')).max(16),
  /** Optional: absent unless a cluster sets its own compaction policy. */
  snapshotEveryEntries: z.number().int().min(0).max(1_000_000).optional(),
  snapshotKeepEntries: z.number().int().min(0).max(1_000_000).optional(),
  /** Absent: the lab's own Raft (and in recordings from before it existed). */
  implementation: implementationSchema.optional(),
  /** Absent: single-server changes (and in recordings from before joint consensus ran on the real cluster). */
  membershipMode: membershipModeSchema.optional(),
});

const common = { seq: z.number().int().nonnegative(), atNs: timeNs };

export const messageTypeSchema = z.enum(['RequestVote', 'RequestVoteReply', 'AppendEntries', 'AppendEntriesReply',
  'InstallSnapshot', 'InstallSnapshotReply', 'TimeoutNow']);
export const MESSAGE_TYPES_MATCH: SameUnion<z.infer<typeof messageTypeSchema>, MessageType> = true;

/**
 * The `body.type` of a message between a student's own nodes (Maelstrom's protocol, src/protocol/maelstrom.ts): any
 * name the student chose, e.g. "request_vote".
 */
export const studentMessageTypeSchema = z.string().min(1).max(64);

/** The fields of a Raft message as shown to students (entries summarised as their terms). */
export const messageViewSchema = z.object({
  /** One of Raft's messages for the built-in Raft; for a student's own nodes, their body's type. */
  type: z.union([messageTypeSchema, studentMessageTypeSchema]),
  from: nodeId,
  to: nodeId,
  term: z.number().int().nonnegative(),
  /**
   * Every other scalar field of the message (prevLogIndex, voteGranted, success, ...). InstallSnapshot: never its
   * data, only `dataChars` (the chunk's length) besides offset, done, lastIncludedIndex and lastIncludedTerm.
   */
  fields: z.record(z.string().max(64), scalar),
  /** AppendEntries: index and term of each carried entry (bounded). */
  entries: z.array(z.object({ index: z.number().int().positive(), term: z.number().int().nonnegative() })).max(1024).optional(),
});
export type MessageView = z.infer<typeof messageViewSchema>;

/** send: handed to the network; receive: delivered to the core; drop: lost (partition, loss, full queue, invalid). */
export const messageDirectionSchema = z.enum(['send', 'receive', 'drop']);

export const logEntryViewSchema = z.object({
  index: z.number().int().positive(),
  term: z.number().int().nonnegative(),
  command: z.string().max(70_000).nullable(),
  /** A configuration entry's configuration (its command is null). */
  config: configurationViewSchema.optional(),
});

export { KV_STATE_MAX_BYTES, KV_STATE_MAX_KEYS, kvStateBytes } from './kv-state-limits';

const kvStateEntriesSchema = z.array(z.tuple([z.string().max(KV_STATE_MAX_BYTES), z.string().max(KV_STATE_MAX_BYTES)]))
  .max(KV_STATE_MAX_KEYS)
  .refine((entries) => kvStateBytes(entries) <= KV_STATE_MAX_BYTES, `kv-state entries exceed ${KV_STATE_MAX_BYTES} bytes`)
  .refine((entries) => entries.every(([key], i) => i === 0 || (entries[i - 1] as [string, string])[0] < key), 'kv-state keys must be sorted and unique');

export const faultActionSchema = z.enum(['crash', 'restart', 'pause', 'resume', 'wipe', 'partition', 'link', 'heal', 'time-scale',
  'add-server', 'remove-server', 'promote-server', 'transfer-leadership']);

export const labEventSchema = z.discriminatedUnion('type', [
  z.object({ ...common, type: z.literal('cluster-phase'), phase: z.enum(['stopped', 'starting', 'running', 'stopping']),
    settings: clusterSettingsSchema.optional() }),
  z.object({ ...common, type: z.literal('node-status'), node: nodeId, status: nodeStatus, pid: z.number().int().nullable(), reason: z.string().max(1024) }),
  z.object({ ...common, type: z.literal('node-alive'), node: nodeId, pid: z.number().int().positive(), peerEndpoint: z.string().max(256) }),
  z.object({ ...common, type: z.literal('raft'), node: nodeId, event: raftEventViewSchema }),
  z.object({ ...common, type: z.literal('node-state'), node: nodeId, state: nodeStateSchema }),
  z.object({ ...common, type: z.literal('error'), node: nodeId.nullable(), message: z.string().max(4096) }),
  /**
   * Something a student's own node told the lab about itself (a raft_lab_event, docs/byo-raft.md): shown in the event
   * log with its rule, when it names one.
   */
  z.object({ ...common, type: z.literal('node-note'), node: nodeId, text: z.string().max(1024), rule: z.string().max(256).nullable() }),
  /** A message seen by `node`: its send, its arrival, or its loss. `id` links a send to its receive. */
  z.object({ ...common, type: z.literal('message'), node: nodeId, direction: messageDirectionSchema, id: z.string().max(64),
    message: messageViewSchema, dropReason: z.string().max(256).nullable(),
    /** A send: the lab time (ms) the message was sent at and is due at its receiver (the network delay). */
    sentAtLabMs: z.number().nonnegative().optional(),
    deliverAtLabMs: z.number().nonnegative().optional() }),
  /** The node durably wrote these entries: any of its entries at index >= entries[0].index were replaced. */
  z.object({ ...common, type: z.literal('log-write'), node: nodeId, entries: z.array(logEntryViewSchema).max(1024) }),
  /**
   * In quiet detail, instead of log-write: the node's durable log now holds `from`..`last` (replacing whatever it held
   * from `from` on), without commands, as runs of [first index, term] (a run's term holds until the next run starts).
   * A node sends what changed since its last event right before its next one, so the lab's safety monitor can compare
   * logs without the cost of shipping every command.
   */
  z.object({ ...common, type: z.literal('log-terms'), node: nodeId, from: z.number().int().positive(),
    last: z.number().int().nonnegative(), runs: z.array(z.tuple([z.number().int().positive(), z.number().int().positive()])).max(1024) })
    .refine((event) => event.last >= event.from && event.runs[0]?.[0] === event.from &&
      event.runs.every(([start, term], i) => i === 0 || (start > (event.runs[i - 1] as [number, number])[0] &&
        term >= (event.runs[i - 1] as [number, number])[1] && start <= event.last)),
    'log-terms: runs must start at `from`, in increasing index and non-decreasing term order, within `last`'),
  /**
   * The node's whole KV state after entry `index`, sent after it restored a snapshot (installed from the leader, or
   * recovered from disk at start): the UI derives KV from applied entries and never sees a snapshot's data. Keys
   * sorted; `entries` null (with `tooLarge`) when the state exceeds the bounds above.
   */
  z.object({ ...common, type: z.literal('kv-state'), node: nodeId, index: z.number().int().nonnegative(),
    entries: kvStateEntriesSchema.nullable(), tooLarge: z.boolean() })
    .refine((event) => (event.entries === null) === event.tooLarge, 'kv-state: entries must be null exactly when tooLarge'),
  /** A fault the lab injected (for the timeline's markers). */
  z.object({ ...common, type: z.literal('fault'), action: faultActionSchema, nodes: z.array(nodeId).max(25), description: z.string().max(1024),
    /** Every directed link blocked after this fault (partitions, one-way links), when the fault changed them. */
    blockedLinks: z.array(z.tuple([nodeId, nodeId])).max(625).optional(),
    /** For a time-scale change: the new scale. */
    timeScale: z.number().min(1).max(100).optional() }),
  /**
   * The lab clock changed: slow motion, network delay, freeze, run, or a step (which says what it did). The UI
   * computes lab time from the latest segment, so messages move and timers run down in lab time.
   */
  z.object({ ...common, type: z.literal('lab-clock'), segment: labClockSegmentSchema, networkDelayMs: networkDelaySchema,
    step: z.object({ kind: stepKindSchema, node: nodeId.nullable(), messageId: z.string().max(64).nullable(),
      description: z.string().max(1024) }).optional() }),
  /**
   * The lab's safety monitor saw a Raft safety property break on the real processes (src/lab: the invariant checks of
   * src/check over the merged event stream). `bug`: the planted bug switched on that explains it, if any (the UI shows
   * it to instructors only: exercises seal their bugs).
   */
  z.object({ ...common, type: z.literal('violation'), invariant: z.string().min(1).max(64), statement: z.string().max(512),
    nodes: z.array(nodeId).max(25), terms: z.array(z.number().int().nonnegative()).max(64),
    indices: z.array(z.number().int().nonnegative()).max(64), detail: z.string().max(2048),
    bug: z.string().max(64).nullable() }),
  /** A client operation completed (from the UI's client panel or a workload). */
  z.object({ ...common, type: z.literal('client-op'), client: z.number().int().nonnegative(), op: z.enum(['get', 'put', 'delete', 'cas']),
    key: z.string().max(256), status: z.enum(['ok', 'fail', 'unknown']), value: z.string().max(70_000).nullable(),
    servedBy: nodeId.nullable(), latencyMs: z.number().nonnegative(), callNs: timeNs,
    /** A get whose value the lab's safety monitor proved stale (a newer write was acknowledged before it began). */
    stale: z.boolean().optional() }),
  /** A workload stopped: its counts and the linearizability verdict of its history (null: undecided in time). */
  z.object({ ...common, type: z.literal('workload'), ops: z.number().int().nonnegative(), ok: z.number().int().nonnegative(),
    fail: z.number().int().nonnegative(), unknown: z.number().int().nonnegative(), linearizable: z.boolean().nullable() }),
]);

export type LabEvent = z.infer<typeof labEventSchema>;
export type LabEventType = LabEvent['type'];
export type RaftEventView = z.infer<typeof raftEventViewSchema>;

/** An event before the lab has given it its place (seq) in the merged stream. */
export type UnsequencedLabEvent = LabEvent extends infer E ? (E extends LabEvent ? Omit<E, 'seq'> : never) : never;

export const labEventBatchSchema = z.array(labEventSchema).max(10_000);
