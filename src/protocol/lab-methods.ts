// The LabApi's commands as data, so that each bridge (Electron IPC, WebSocket) validates the same way:
// a method name from this table and parameters that pass its schema, or a clear error and no effect.
import { z } from 'zod';
import { MAX_HEADLESS_NODES } from './lab-api';
import type { LabApi } from './lab-api';

export const clusterSettingsPatchSchema = z.strictObject({
  nodeCount: z.number().int().min(1).max(MAX_HEADLESS_NODES).optional(),
  electionTimeoutMs: z.tuple([z.number().int().min(10).max(60_000), z.number().int().min(10).max(60_000)])
    .refine(([min, max]) => min < max, 'electionTimeoutMs: min must be below max').optional(),
  heartbeatMs: z.number().int().min(5).max(30_000).optional(),
  timeScale: z.number().min(1).max(100).optional(),
});

export const labMethodParams = {
  getSnapshot: z.tuple([]),
  startCluster: z.tuple([clusterSettingsPatchSchema]),
  stopCluster: z.tuple([]),
} as const;

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
