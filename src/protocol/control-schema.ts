// The node→lab control frames as zod schemas: the lab decodes what its nodes send with these. What a node receives
// (lab→node) is checked by control.ts's hand-written check alone: a node process does not load zod
// (docs/benchmarks.md).
import { z } from 'zod';
import { CONTROL_PROTOCOL_VERSION, decodeControlFrame, MAX_CONTROL_FRAME_BYTES, MAX_STEP_MESSAGES } from './control';
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

export function decodeNodeToLab(bytes: Uint8Array, expectedSecret: string): Decoded<NodeToLabFrame> {
  return decodeControlFrame(decodeWithSchema(bytes, nodeToLabSchema, MAX_CONTROL_FRAME_BYTES, 'control frame'), expectedSecret);
}
