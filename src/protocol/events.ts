// The lab's one event stream: node processes report, the lab orders and numbers, and the UI, the recorder and the
// checkers all consume these same records. Schemas are the single definition; types are inferred from them.
import { z } from 'zod';

const nodeId = z.number().int().min(1).max(25);
const timeNs = z.number().nonnegative();
const nodeStatus = z.enum(['starting', 'running', 'paused', 'crashed', 'stopped']);

const scalar = z.union([z.string().max(4096), z.number(), z.boolean(), z.null()]);

export const raftEventViewSchema = z.object({
  kind: z.string().min(1).max(64),
  node: nodeId,
  term: z.number().int().nonnegative(),
  rule: z.string().max(256),
  reason: z.string().max(2048),
  data: z.record(z.string().max(64), scalar),
});

/** A node's volatile Raft state, sent whenever it changes (the UI's cards and the logs view read this). */
export const nodeStateSchema = z.object({
  role: z.enum(['follower', 'precandidate', 'candidate', 'leader']),
  term: z.number().int().nonnegative(),
  votedFor: nodeId.nullable(),
  leaderId: nodeId.nullable(),
  commitIndex: z.number().int().nonnegative(),
  lastApplied: z.number().int().nonnegative(),
  lastLogIndex: z.number().int().nonnegative(),
});
export type NodeStateView = z.infer<typeof nodeStateSchema>;

const common = { seq: z.number().int().nonnegative(), atNs: timeNs };

export const labEventSchema = z.discriminatedUnion('type', [
  z.object({ ...common, type: z.literal('cluster-phase'), phase: z.enum(['stopped', 'starting', 'running', 'stopping']) }),
  z.object({ ...common, type: z.literal('node-status'), node: nodeId, status: nodeStatus, pid: z.number().int().nullable(), reason: z.string().max(1024) }),
  z.object({ ...common, type: z.literal('node-alive'), node: nodeId, pid: z.number().int().positive(), peerEndpoint: z.string().max(256) }),
  z.object({ ...common, type: z.literal('raft'), node: nodeId, event: raftEventViewSchema }),
  z.object({ ...common, type: z.literal('node-state'), node: nodeId, state: nodeStateSchema }),
  z.object({ ...common, type: z.literal('error'), node: nodeId.nullable(), message: z.string().max(4096) }),
]);

export type LabEvent = z.infer<typeof labEventSchema>;
export type LabEventType = LabEvent['type'];
export type RaftEventView = z.infer<typeof raftEventViewSchema>;

/** An event before the lab has given it its place (seq) in the merged stream. */
export type UnsequencedLabEvent = LabEvent extends infer E ? (E extends LabEvent ? Omit<E, 'seq'> : never) : never;

export const labEventBatchSchema = z.array(labEventSchema).max(10_000);
