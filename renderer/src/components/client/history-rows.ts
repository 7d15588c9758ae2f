// The recorded history as table rows: newest last, at most MAX_HISTORY_ROWS of them, with the operations of a
// linearizability violation flagged. Times are shown relative to the first recorded call.
import type { HistoryEntryView, LinearizabilityVerdict } from '../../../../src/protocol/lab-api';
import { clientOpKey } from '../../model/timeline-types';

export const MAX_HISTORY_ROWS = 200;
const NS_PER_MS = 1_000_000;

export interface HistoryRow {
  readonly index: number;
  readonly opKey: string;
  readonly client: number;
  readonly op: string;
  readonly key: string;
  readonly argument: string;
  readonly callMs: number;
  readonly durationMs: number | null;
  readonly status: HistoryEntryView['status'];
  readonly inViolation: boolean;
}

function argumentOf(entry: HistoryEntryView): string {
  if (entry.op === 'cas') return `${entry.from ?? ''} → ${entry.to ?? ''}`;
  if (entry.op === 'get') return entry.status === 'ok' ? `→ ${entry.value ?? '(absent)'}` : '';
  if (entry.op === 'put') return entry.value ?? '';
  return '';
}

/** Indexes into `history` of the violation's operations. */
export function violationIndexes(verdict: LinearizabilityVerdict | null): ReadonlySet<number> {
  return new Set(verdict?.violation?.opIndexes ?? []);
}

/** The op keys (see clientOpKey) of the violation's operations, for the timeline to highlight. */
export function violationOpKeys(history: readonly HistoryEntryView[], verdict: LinearizabilityVerdict | null): string[] {
  return [...violationIndexes(verdict)].flatMap((index) => {
    const entry = history[index];
    return entry ? [clientOpKey(entry.client, entry.call)] : [];
  });
}

export function historyRows(history: readonly HistoryEntryView[], verdict: LinearizabilityVerdict | null,
  maxRows: number = MAX_HISTORY_ROWS): HistoryRow[] {
  const flagged = violationIndexes(verdict);
  const originNs = history[0]?.call ?? 0;
  const start = Math.max(0, history.length - maxRows);
  // The violation's rows are always shown, even when they are older than the window.
  const olderFlagged = [...flagged].filter((index) => index < start).sort((a, b) => a - b);
  const indexes = [...olderFlagged, ...Array.from({ length: history.length - start }, (_, i) => start + i)];
  return indexes.flatMap((index) => {
    const entry = history[index];
    if (!entry) return [];
    return [{
      index,
      opKey: clientOpKey(entry.client, entry.call),
      client: entry.client,
      op: entry.op,
      key: entry.key,
      argument: argumentOf(entry),
      callMs: (entry.call - originNs) / NS_PER_MS,
      durationMs: entry.ret === null ? null : (entry.ret - entry.call) / NS_PER_MS,
      status: entry.status,
      inViolation: flagged.has(index),
    }];
  });
}
