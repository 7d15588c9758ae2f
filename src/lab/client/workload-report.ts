// The workload as the UI sees it: counts, the recent history, and (once stopped) the linearizability verdict.
import type { HistoryEntryView, WorkloadReport, WorkloadSpec } from '../../protocol/lab-api';
import { checkLinearizability } from '../../check/linearizability';
import type { HistoryOp, HistoryRecorder } from '../../check/history';

/** What a report is made of: the lab's KV workload (workload.ts) or the lin-kv one against a student's nodes. */
export interface WorkloadSource {
  readonly history: HistoryRecorder;
  readonly isRunning: boolean;
  readonly spec: WorkloadSpec;
}

const MAX_REPORTED_OPS = 2000;
const CHECK_TIMEOUT_MS = 20_000;

export function workloadReport(workload: WorkloadSource | null, check: boolean): WorkloadReport {
  if (!workload) return { running: false, spec: null, ops: 0, ok: 0, fail: 0, unknown: 0, history: [], truncated: false, verdict: null };
  const ops = workload.history.ops();
  const shownFrom = Math.max(0, ops.length - MAX_REPORTED_OPS);
  const shown = ops.slice(shownFrom);
  let verdict: WorkloadReport['verdict'] = null;
  if (check) {
    const result = checkLinearizability(ops, { timeoutMs: CHECK_TIMEOUT_MS });
    const violation = result.violation;
    verdict = {
      linearizable: result.ok,
      timedOut: result.timedOut,
      violation: violation ? {
        key: violation.key,
        opIndexes: violation.ops.map((op) => shown.indexOf(op)).filter((index) => index >= 0),
        explanation: violation.explanation,
      } : null,
    };
  }
  return {
    running: workload.isRunning,
    spec: workload.spec,
    ops: ops.length,
    ok: ops.filter((op) => op.status === 'ok').length,
    fail: ops.filter((op) => op.status === 'fail').length,
    unknown: ops.filter((op) => op.status === 'unknown').length,
    history: shown.map(toView),
    truncated: shownFrom > 0,
    verdict,
  };
}

function toView(op: HistoryOp): HistoryEntryView {
  const base = { client: op.client, op: op.op, key: op.key, call: op.call, ret: op.ret, status: op.status };
  switch (op.op) {
    case 'put': return { ...base, value: op.value };
    case 'cas': return { ...base, from: op.from, to: op.to };
    case 'get': return 'value' in op ? { ...base, value: op.value } : base;
    case 'delete': return base;
  }
}
