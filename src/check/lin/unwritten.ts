// A fast path for the most common violation a student produces: a read (or a successful cas) that saw a value no
// operation could have written by the time it returned. Found in O(n log n) without any search, and the read alone
// is the smallest witness (whatever the other operations did, none of them wrote that value in time).
import type { HistoryOp } from '../history';

/** The first (by call) observation of a value with no writer called by its return, or null. */
export function findUnwrittenObservation(ops: readonly HistoryOp[]): HistoryOp | null {
  // Earliest call of any operation that may have written each value.
  const firstWriteNs = new Map<string, number>();
  for (const op of ops) {
    const written = op.status === 'fail' ? null : op.op === 'put' ? op.value : op.op === 'cas' ? op.to : null;
    if (written !== null) firstWriteNs.set(written, Math.min(op.call, firstWriteNs.get(written) ?? Infinity));
  }
  let found: HistoryOp | null = null;
  for (const op of ops) {
    const observed = observedValue(op);
    if (observed === null || op.ret === null) continue;
    // A writer called at the very instant the reader returned counts as concurrent, like everywhere in the checker.
    if ((firstWriteNs.get(observed) ?? Infinity) <= op.ret) continue;
    if (found === null || op.call < found.call) found = op;
  }
  return found;
}

function observedValue(op: HistoryOp): string | null {
  if (op.op === 'get' && op.status === 'ok') return op.value;
  if (op.op === 'cas' && op.status === 'ok') return op.from;
  return null;
}
