// Runtime schemas for what a session file's header carries: the cluster settings and the base LabSnapshot.
// (The protocol defines LabSnapshot as a type only; these check an untrusted file against it.)
import { z } from 'zod';
import { linkFaultsSchema } from '../../../src/protocol/link-faults-schema';
import { networkDelaySchema } from '../../../src/protocol/lab-clock-schema';

const nodeId = z.number().int().min(1).max(25);
const count = z.number().int().nonnegative();

export const clusterSettingsSchema = z.object({
  nodeCount: z.number().int().min(1).max(25),
  electionTimeoutMs: z.tuple([z.number().positive(), z.number().positive()]),
  heartbeatMs: z.number().positive(),
  timeScale: z.number().min(1).max(100),
  /** Absent from sessions saved before the lab clock. */
  networkDelayMs: networkDelaySchema.optional(),
  timerSeed: z.number().int().nonnegative().optional(),
  startPaused: z.boolean().optional(),
  preVote: z.boolean(),
  checkQuorum: z.boolean(),
  bugs: z.array(z.string().max(64)).max(16),
  /** Absent from sessions saved before joint consensus ran on the real cluster. */
  membershipMode: z.enum(['single-server', 'joint']).optional(),
});

const nodeViewSchema = z.object({
  id: nodeId,
  status: z.enum(['starting', 'running', 'paused', 'crashed', 'stopped']),
  pid: z.number().int().nullable(),
  peerEndpoint: z.string().max(256).nullable(),
  role: z.enum(['follower', 'precandidate', 'candidate', 'leader']),
  term: count,
  votedFor: nodeId.nullable(),
  leaderId: nodeId.nullable(),
  commitIndex: count,
  lastApplied: count,
  lastLogIndex: count,
});

export const labSnapshotSchema = z.object({
  phase: z.enum(['stopped', 'starting', 'running', 'stopping']),
  settings: clusterSettingsSchema,
  nodes: z.array(nodeViewSchema).max(25),
  blockedLinks: z.array(z.tuple([nodeId, nodeId])).max(25 * 25),
  linkFaults: z.record(z.string().regex(/^\d{1,2}->\d{1,2}$/), linkFaultsSchema),
  atNs: z.number().nonnegative(),
  nextSeq: count,
  clock: z.object({ frozen: z.boolean(), labMs: z.number().nonnegative() }).optional(),
});

const logEntrySchema = z.object({ index: z.number().int().positive(), term: count, command: z.string().max(70_000).nullable() });

/** Optional header extension: each node's log tail and KV state at the base (the snapshot has no logs). */
export const baseNodesSchema = z.record(z.string().regex(/^\d{1,2}$/), z.object({
  log: z.array(logEntrySchema).max(10_000),
  kv: z.record(z.string().max(256), z.string().max(70_000)),
  sessions: z.record(z.string().max(256), z.number().int().nonnegative()).optional(),
  appliedIndex: count.optional(),
  /** KV restored from a kv-state event at this index (KvShadow.restoredAt); absent in sessions from before it. */
  restoredAt: count.optional(),
  /** The restored KV was too large to send (NodeViewState.kvTooLargeAt). */
  kvTooLargeAt: count.optional(),
}));
