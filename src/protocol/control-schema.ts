// Control frames as zod schemas. The lab decodes what its nodes send with these (node→lab). The lab→node schema is
// the same rules as control.ts's hand-written check, which is what a node decodes with: a node process does not
// load zod (docs/benchmarks.md); the two agree (test/unit/protocol/hand-checks.test.ts).
import { z } from 'zod';
import { isBugName } from '../raft/planted-bugs';
import {
  CONTROL_PROTOCOL_VERSION, decodeControlFrame, EVENT_DETAILS, MAX_CONTROL_FRAME_BYTES, MAX_STEP_MESSAGES, STEP_ACTIONS,
  type LabToNodeFrame, type NodeConfig,
} from './control';
import { electionTimeoutRangeSchema } from './election-timeout-schema';
import { labClockSegmentSchema, networkDelaySchema } from './lab-clock-schema';
import { faultTableSchema } from './link-faults-schema';
import { decodeWithSchema } from './schema-helpers';
import { MAX_MESSAGE_ID_CHARS, type Decoded } from './validate';

const nodeId = z.number().int().min(1).max(25);
const secret = z.string().min(16).max(128);

export const nodeHelloSchema = z.strictObject({
  v: z.literal(CONTROL_PROTOCOL_VERSION),
  secret,
  type: z.literal('hello'),
  node: nodeId,
  pid: z.number().int().positive(),
  peerEndpoint: z.string().regex(/^tcp:\/\/127\.0\.0\.1:\d{1,5}$/),
  /** Where KV clients reach this node. */
  clientEndpoint: z.string().regex(/^tcp:\/\/127\.0\.0\.1:\d{1,5}$/),
  atNs: z.number().nonnegative(),
  /** What the node recovered from its write-ahead log at start. */
  recovered: z.strictObject({ term: z.number().int().nonnegative(), lastIndex: z.number().int().nonnegative(),
    /** Last index of the recovered snapshot (0: none); entries up to it are in the snapshot, not the log. */
    snapshotIndex: z.number().int().nonnegative().optional(),
    /** The vote recovered with the term (what keeps a restarted server from voting twice in it); absent from older nodes. */
    votedFor: nodeId.nullable().optional(),
    tornTailBytes: z.number().int().nonnegative() }),
});

/** Events a node reports: each is validated again by the lab (as a LabEvent of this node) before it is used. */
export const nodeEventsSchema = z.strictObject({
  v: z.literal(CONTROL_PROTOCOL_VERSION),
  secret,
  type: z.literal('events'),
  node: nodeId,
  pid: z.number().int().positive(),
  events: z.array(z.record(z.string(), z.unknown())).max(5000),
});

/** The node applied the fault table the lab numbered `version` (so the lab's setPartition/healAll can wait for it). */
export const nodeFaultsAppliedSchema = z.strictObject({
  v: z.literal(CONTROL_PROTOCOL_VERSION),
  secret,
  type: z.literal('faults-applied'),
  node: nodeId,
  pid: z.number().int().positive(),
  version: z.number().int().nonnegative(),
});

const messageId = z.string().min(1).max(MAX_MESSAGE_ID_CHARS);
const requestId = z.number().int().nonnegative();

/** Answer to a `query` while frozen: what this node would do next, in lab time. */
export const nodePendingSchema = z.strictObject({
  v: z.literal(CONTROL_PROTOCOL_VERSION), secret, type: z.literal('pending'), node: nodeId, pid: z.number().int().positive(),
  queryId: requestId,
  /** When the core's next timer (election or heartbeat) fires; null before Raft runs. */
  nextTimerMs: z.number().nonnegative().nullable(),
  /** The held message due first. */
  nextHeld: z.strictObject({ id: messageId, deliverAtMs: z.number().nonnegative() }).nullable(),
});

/** A `step` is done and its effects are durable and sent: `sent` lists the frames it handed to the network. */
export const nodeStepDoneSchema = z.strictObject({
  v: z.literal(CONTROL_PROTOCOL_VERSION), secret, type: z.literal('step-done'), node: nodeId, pid: z.number().int().positive(),
  stepId: requestId,
  sent: z.array(z.strictObject({ id: messageId, to: nodeId })).max(MAX_STEP_MESSAGES),
  /** Why the step could not be done (e.g. the message is no longer held); null when it was. */
  error: z.string().max(1024).nullable(),
  /** A `duplicate` step: the id of the new copy, held beside the original. */
  copyId: messageId.optional(),
});

/** While frozen: these frames arrived and wait in this node's inbox (so the lab knows a step's messages landed). */
export const nodeHeldSchema = z.strictObject({
  v: z.literal(CONTROL_PROTOCOL_VERSION), secret, type: z.literal('held'), node: nodeId, pid: z.number().int().positive(),
  ids: z.array(messageId).min(1).max(MAX_STEP_MESSAGES),
});

/** A configuration change the lab asked a node to propose (dissertation ch. 4): add a learner, promote it, remove. */
export const membershipChangeSchema = z.strictObject({ type: z.enum(['add', 'promote', 'remove']), node: nodeId });

/** How a node answered a `membership` frame. */
export const membershipAnswerSchema = z.strictObject({
  ok: z.boolean(),
  /** The configuration entry's index when appended. */
  index: z.number().int().positive().nullable(),
  /** Who leads, as far as the node knows (itself when it refused as leader). */
  leaderHint: nodeId.nullable(),
  /** Why it was refused (the core's reason); null when appended. */
  error: z.string().max(2048).nullable(),
});
export type MembershipAnswer = z.infer<typeof membershipAnswerSchema>;

export const nodeMembershipDoneSchema = z.strictObject({
  v: z.literal(CONTROL_PROTOCOL_VERSION), secret, type: z.literal('membership-done'), node: nodeId, pid: z.number().int().positive(),
  changeId: requestId,
  answer: membershipAnswerSchema,
});

/**
 * How a node answered a `transfer` frame (dissertation §3.10): whether its core began handing leadership over (it
 * then reports the rest as leadership-transfer events), or why not (the core's reason: not the leader, not a voter).
 */
export const transferAnswerSchema = z.strictObject({
  ok: z.boolean(),
  leaderHint: nodeId.nullable(),
  error: z.string().max(2048).nullable(),
});
export type TransferAnswer = z.infer<typeof transferAnswerSchema>;

export const nodeTransferDoneSchema = z.strictObject({
  v: z.literal(CONTROL_PROTOCOL_VERSION), secret, type: z.literal('transfer-done'), node: nodeId, pid: z.number().int().positive(),
  transferId: requestId,
  answer: transferAnswerSchema,
});

export const nodeToLabSchema = z.discriminatedUnion('type', [nodeHelloSchema, nodeEventsSchema, nodeFaultsAppliedSchema,
  nodePendingSchema, nodeStepDoneSchema, nodeHeldSchema, nodeMembershipDoneSchema, nodeTransferDoneSchema]);
export type NodeToLabFrame = z.infer<typeof nodeToLabSchema>;

const endpoint = z.string().regex(/^tcp:\/\/127\.0\.0\.1:\d{1,5}$/);

/** Everything a node needs to run Raft; sent once all members have reported their endpoints. */
export const nodeConfigSchema = z.strictObject({
  members: z.record(z.string().regex(/^\d{1,2}$/), endpoint),
  /**
   * The bootstrap configuration's voters (RaftConfig.members), used until the log or a snapshot holds a configuration.
   * Absent: every member (a cluster as started). Empty for a server added by a membership change: it waits to hear
   * from a leader (dissertation §4.2.1).
   */
  bootstrapMembers: z.array(nodeId).max(25).optional(),
  /** How configurations change (RaftConfig.membershipMode); absent: one server at a time (dissertation ch. 4). */
  membershipMode: z.enum(['single-server', 'joint']).optional(),
  /** min == max: a fixed timeout; an inverted range is refused here, before the core would assert on it. */
  electionTimeoutMs: electionTimeoutRangeSchema,
  heartbeatMs: z.number().int().min(5).max(30_000),
  /** The lab clock as it stands (a node restarted while the cluster is frozen starts frozen). */
  clock: labClockSegmentSchema,
  networkDelayMs: networkDelaySchema,
  preVote: z.boolean(),
  checkQuorum: z.boolean(),
  bugs: z.array(z.string().refine(isBugName, 'unknown planted bug')).max(16),
  /** The cluster's compaction policy (ClusterSettings.snapshotEveryEntries); absent: the node's own. */
  snapshotEveryEntries: z.number().int().min(0).max(1_000_000).optional(),
  snapshotKeepEntries: z.number().int().min(0).max(1_000_000).optional(),
  randomSeed: z.number().int().nonnegative(),
  faults: faultTableSchema,
  eventDetail: z.enum(EVENT_DETAILS),
});

const base = { v: z.literal(CONTROL_PROTOCOL_VERSION), secret };

export const labToNodeSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...base, type: z.literal('shutdown') }),
  z.strictObject({ ...base, type: z.literal('configure'), config: nodeConfigSchema }),
  /** A member moved (restarted on a new port). */
  z.strictObject({ ...base, type: z.literal('peers'), members: z.record(z.string().regex(/^\d{1,2}$/), endpoint) }),
  /** `version` (absent from older labs) is echoed in a faults-applied frame once the table is in force. */
  z.strictObject({ ...base, type: z.literal('faults'), faults: faultTableSchema, version: z.number().int().nonnegative().optional() }),
  /** The lab clock changed (slow motion, freeze, run, a step's new time) or the network delay did. */
  z.strictObject({ ...base, type: z.literal('clock'), clock: labClockSegmentSchema, networkDelayMs: networkDelaySchema }),
  /** While frozen: report what you would do next (answered with `pending`). */
  z.strictObject({ ...base, type: z.literal('query'), queryId: requestId }),
  /**
   * Do one thing now and answer `step-done` once its effects are durable and sent: fire the core's due timer,
   * deliver / drop / duplicate a held message, or time out now (the election timer fires at once).
   */
  z.strictObject({ ...base, type: z.literal('step'), stepId: requestId, action: z.enum(STEP_ACTIONS), messageId: messageId.optional() }),
  /** Propose a configuration change (only a leader appends it); answered with `membership-done`. */
  z.strictObject({ ...base, type: z.literal('membership'), changeId: requestId, change: membershipChangeSchema }),
  /** Hand leadership to `to` (only a leader can; dissertation §3.10); answered with `transfer-done`. */
  z.strictObject({ ...base, type: z.literal('transfer'), transferId: requestId, to: nodeId }),
]);


type AssertAssignable<Sub extends Super, Super> = [Sub, Super];
export type ControlSchemasMatchTypes = [
  AssertAssignable<z.infer<typeof nodeConfigSchema>, NodeConfig>,
  AssertAssignable<NodeConfig, z.infer<typeof nodeConfigSchema>>,
  AssertAssignable<z.infer<typeof labToNodeSchema>, LabToNodeFrame>,
  AssertAssignable<LabToNodeFrame, z.infer<typeof labToNodeSchema>>,
];

export function decodeNodeToLab(bytes: Uint8Array, expectedSecret: string): Decoded<NodeToLabFrame> {
  return decodeControlFrame(decodeWithSchema(bytes, nodeToLabSchema, MAX_CONTROL_FRAME_BYTES, 'control frame'), expectedSecret);
}
