// The workload form in human units, and its conversion to the lab's WorkloadSpec (clamped to what the lab accepts).
import type { KvOpName, WorkloadSpec } from '../../../../src/protocol/lab-api';

export interface WorkloadDraft {
  ratePerSecond: number;
  clients: number;
  keys: number;
  /** Percent per operation; normalised by the lab. */
  mix: Record<KvOpName, number>;
}

/** The operations in the form's order. */
export const KV_OPS: readonly KvOpName[] = ['get', 'put', 'cas', 'delete'];

export const DEFAULT_WORKLOAD: Readonly<WorkloadDraft> = {
  ratePerSecond: 20,
  clients: 4,
  keys: 3,
  mix: { get: 50, put: 30, cas: 10, delete: 10 },
};

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}

/**
 * The spec to send, or an error to show when the draft cannot be run. `ops`: the operations the nodes know (a
 * student's own nodes speak lin-kv, which has no delete); the others are not sent. The shares sent add up to 1, in the
 * proportions of the percents shown, so what the panel says the mix is (sentMixText) is what runs.
 */
export function draftToSpec(draft: WorkloadDraft, ops: readonly KvOpName[] = KV_OPS):
  { ok: true; spec: WorkloadSpec } | { ok: false; error: string } {
  const percents: Partial<Record<KvOpName, number>> = {};
  let total = 0;
  for (const op of ops) {
    const percent = clamp(draft.mix[op], 0, 100);
    if (percent > 0) {
      percents[op] = percent;
      total += percent;
    }
  }
  if (total <= 0) {
    return { ok: false, error: ops.includes('delete') ? 'Give at least one operation a share of the mix.'
      : 'Give get, put or cas a share of the mix (lin-kv has no delete).' };
  }
  const mix: Partial<Record<KvOpName, number>> = {};
  for (const [op, percent] of Object.entries(percents) as [KvOpName, number][]) mix[op] = percent / total;
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

/** The mix a spec runs, in whole percents: "get 56% · put 33% · cas 11%". */
export function sentMixText(spec: WorkloadSpec): string {
  return KV_OPS.filter((op) => (spec.mix[op] ?? 0) > 0).map((op) => `${op} ${Math.round((spec.mix[op] ?? 0) * 100)}%`).join(' · ');
}
