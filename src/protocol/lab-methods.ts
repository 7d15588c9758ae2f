// The LabApi's commands as data, so that each bridge (Electron IPC, WebSocket) validates the same way:
// a method name from this table and parameters that pass its schema, or a clear error and no effect.
import { z } from 'zod';
import { MAX_HEADLESS_NODES } from './lab-api';
import type { LabApi } from './lab-api';
import { electionTimeoutRangeSchema } from './election-timeout-schema';
import { linkFaultsSchema } from './link-faults-schema';
import { isBugName } from '../raft/planted-bugs';
import { HELD_MESSAGE_ACTIONS, MAX_TIME_SCALE, MIN_TIME_SCALE } from './lab-clock';
import { networkDelaySchema } from './lab-clock-schema';
import { MAX_MESSAGE_ID_CHARS } from './validate';
import { implementationSchema, membershipModeSchema } from './events';
import { experimentSpecSchema, MAX_FIG16_RANGES, MAX_FIG16_TRIALS } from './experiments';

const nodeId = z.number().int().min(1).max(MAX_HEADLESS_NODES);
const kvText = z.string().max(64 * 1024);
const kvKey = z.string().min(1).max(256);
/** A snapshot policy's count (see ClusterSettings.snapshotEveryEntries); the node's own bound. */
const snapshotEntries = z.number().int().min(0).max(1_000_000);

export const clusterSettingsPatchSchema = z.strictObject({
  nodeCount: z.number().int().min(1).max(MAX_HEADLESS_NODES).optional(),
  electionTimeoutMs: electionTimeoutRangeSchema.optional(),
  heartbeatMs: z.number().int().min(5).max(30_000).optional(),
  timeScale: z.number().min(MIN_TIME_SCALE).max(MAX_TIME_SCALE).optional(),
  networkDelayMs: networkDelaySchema.optional(),
  timerSeed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  startPaused: z.boolean().optional(),
  preVote: z.boolean().optional(),
  checkQuorum: z.boolean().optional(),
  bugs: z.array(z.string().max(64).refine(isBugName, 'unknown planted bug')).max(16).optional(),
  snapshotEveryEntries: snapshotEntries.optional(),
  snapshotKeepEntries: snapshotEntries.optional(),
  implementation: implementationSchema.optional(),
  membershipMode: membershipModeSchema.optional(),
});

export const clientRequestSchema = z.strictObject({
  op: z.enum(['get', 'put', 'delete', 'cas']),
  key: kvKey,
  value: kvText.optional(),
  from: kvText.optional(),
  to: kvText.optional(),
  node: nodeId.optional(),
  timeoutMs: z.number().int().min(10).max(120_000).optional(),
}).superRefine((request, context) => {
  if (request.op === 'put' && request.value === undefined) context.addIssue({ code: 'custom', message: 'put needs a value' });
  if (request.op === 'cas' && (request.from === undefined || request.to === undefined)) {
    context.addIssue({ code: 'custom', message: 'cas needs from and to' });
  }
});

export const workloadSpecSchema = z.strictObject({
  ratePerSecond: z.number().min(0.1).max(5000),
  clients: z.number().int().min(1).max(64),
  keys: z.number().int().min(1).max(1000),
  mix: z.strictObject({
    get: z.number().min(0).max(1).optional(),
    put: z.number().min(0).max(1).optional(),
    delete: z.number().min(0).max(1).optional(),
    cas: z.number().min(0).max(1).optional(),
  }).refine((mix) => Object.values(mix).some((share) => (share ?? 0) > 0), 'the mix needs at least one operation'),
  requestTimeoutMs: z.number().int().min(10).max(120_000).optional(),
});

const partitionSchema = z.array(z.array(nodeId).max(MAX_HEADLESS_NODES)).min(1).max(MAX_HEADLESS_NODES);

export const labMethodParams = {
  getSnapshot: z.tuple([]),
  startCluster: z.tuple([clusterSettingsPatchSchema]),
  stopCluster: z.tuple([]),
  crashNode: z.tuple([nodeId]),
  restartNode: z.tuple([nodeId]),
  pauseNode: z.tuple([nodeId]),
  resumeNode: z.tuple([nodeId]),
  wipeNode: z.tuple([nodeId]),
  addServer: z.tuple([]),
  removeServer: z.tuple([nodeId]),
  promoteServer: z.tuple([nodeId]),
  transferLeadership: z.tuple([nodeId]),
  setPartition: z.tuple([partitionSchema]),
  setLinkFaults: z.tuple([nodeId, nodeId, linkFaultsSchema.partial().strict()]),
  healAll: z.tuple([]),
  setTimeScale: z.tuple([z.number().min(MIN_TIME_SCALE).max(MAX_TIME_SCALE)]),
  setNetworkDelay: z.tuple([networkDelaySchema]),
  freezeCluster: z.tuple([]),
  resumeCluster: z.tuple([]),
  stepCluster: z.tuple([]),
  timeoutNode: z.tuple([nodeId]),
  heldMessage: z.tuple([nodeId, z.string().min(1).max(MAX_MESSAGE_ID_CHARS), z.enum(HELD_MESSAGE_ACTIONS)]),
  clientRequest: z.tuple([clientRequestSchema]),
  startWorkload: z.tuple([workloadSpecSchema]),
  stopWorkload: z.tuple([]),
  getWorkload: z.tuple([]),
  getNodeDetail: z.tuple([nodeId]),
  getRecentEvents: z.tuple([z.number().int().min(1).max(100_000)]),
  listExercises: z.tuple([]),
  getExercise: z.tuple([z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(64)]),
  listDemos: z.tuple([]),
  getDemo: z.tuple([z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(64)]),
  startExperiment: z.tuple([experimentSpecSchema]),
  getExperiment: z.tuple([z.number().int().min(0).max(MAX_FIG16_TRIALS * MAX_FIG16_RANGES)]),
  cancelExperiment: z.tuple([]),
} as const satisfies Record<Exclude<keyof LabApi, 'subscribe'>, z.ZodType>;

export type LabMethod = keyof typeof labMethodParams;
export type CallableLabApi = Omit<LabApi, 'subscribe'>;

export function isLabMethod(name: unknown): name is LabMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(labMethodParams, name);
}

export class LabCallError extends Error {}

/** Validate an untrusted call and run it on the real API. Throws LabCallError (and changes nothing) on bad input. */
export async function dispatchLabCall(api: CallableLabApi, method: unknown, params: unknown): Promise<unknown> {
  if (!isLabMethod(method)) throw new LabCallError(`unknown lab method: ${String(method).slice(0, 64)}`);
  const parsed = labMethodParams[method].safeParse(params);
  if (!parsed.success) {
    throw new LabCallError(`invalid parameters for ${method}: ${z.prettifyError(parsed.error)}`);
  }
  const fn = api[method] as (...args: unknown[]) => Promise<unknown>;
  return fn.apply(api, parsed.data as unknown[]);
}
