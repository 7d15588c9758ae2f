// How the compare-and-sets of a run went. A cas that never succeeds tests nothing of its atomicity, so a chaos run
// reports the share that took effect (clients cas from the value they last read or wrote: workload-ops.ts).
import type { HistoryOp } from '../../check/history';

export interface CasStats {
  readonly attempts: number;
  readonly ok: number;
  /** The value did not match `from`: definitely not applied. */
  readonly fail: number;
  /** The client gave up: it may or may not have been applied. */
  readonly unknown: number;
  /** ok / attempts (null without attempts). */
  readonly okShare: number | null;
}

export function casStats(ops: readonly HistoryOp[]): CasStats {
  const cas = ops.filter((op) => op.op === 'cas');
  const count = (status: HistoryOp['status']): number => cas.filter((op) => op.status === status).length;
  const ok = count('ok');
  return { attempts: cas.length, ok, fail: count('fail'), unknown: count('unknown'), okShare: cas.length === 0 ? null : ok / cas.length };
}

/** One line for a person: "cas: 120 attempts, 61 ok (51%), 55 failed, 4 unknown". */
export function describeCasStats(stats: CasStats): string {
  const share = stats.okShare === null ? '' : ` (${Math.round(stats.okShare * 100)}%)`;
  return `cas: ${stats.attempts} attempts, ${stats.ok} ok${share}, ${stats.fail} failed, ${stats.unknown} unknown`;
}
