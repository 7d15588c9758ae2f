// The workload form in human units, and its conversion to the lab's WorkloadSpec (clamped to what the lab accepts).
import type { KvOpName, WorkloadSpec } from '../../../../src/protocol/lab-api';

export interface WorkloadDraft {
  ratePerSecond: number;
  clients: number;
  keys: number;
  /** Percent per operation; normalised by the lab. */
  mix: Record<KvOpName, number>;
}

export const DEFAULT_WORKLOAD: Readonly<WorkloadDraft> = {
  ratePerSecond: 20,
  clients: 4,
  keys: 3,
  mix: { get: 50, put: 30, cas: 10, delete: 10 },
};

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}

/** The spec to send, or an error to show when the draft cannot be run. */
export function draftToSpec(draft: WorkloadDraft): { ok: true; spec: WorkloadSpec } | { ok: false; error: string } {
  const mix: Partial<Record<KvOpName, number>> = {};
  for (const [op, percent] of Object.entries(draft.mix) as [KvOpName, number][]) {
    const share = clamp(percent, 0, 100) / 100;
    if (share > 0) mix[op] = share;
  }
  if (Object.keys(mix).length === 0) return { ok: false, error: 'Give at least one operation a share of the mix.' };
  return {
    ok: true,
    spec: {
      ratePerSecond: clamp(draft.ratePerSecond, 0.1, 5000),
      clients: Math.round(clamp(draft.clients, 1, 64)),
      keys: Math.round(clamp(draft.keys, 1, 1000)),
      mix,
    },
  };
}
