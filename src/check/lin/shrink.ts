// Shrinks a non-linearizable set of operations on one key to a smallest failing subset, for a student to read.
// Delta debugging (Zeller's ddmin, complement removal): drop chunks of operations, halving the chunk size, while
// the rest is still a decided violation; finish with single-operation removals until none can be dropped, so the
// result is 1-minimal (dropping any one operation makes it pass, or undecided within the budget).
//
// "Still a violation" must not be cheaper than the real thing. Dropping a write can itself create a violation (a
// read whose writer is gone), which would make a true but misleading witness. So a subset counts as failing only if
// it fails with every dropped write kept as context that may or may not have taken effect within its interval
// (model.ts, compilePartition): then no other operation on the key can explain it away. On top of that, a value the
// subset observes (an ok get's value, the `from` of a cas that is not failed) keeps a writer in the subset whenever
// the history had one, so the witness reads as a story.
import type { HistoryOp } from '../history';
import type { SearchBudget } from './budget';
import { compilePartition } from './model';
import { searchLinearization } from './search';

export interface ShrinkResult {
  readonly ops: readonly HistoryOp[];
  /** The key's other operations, which cannot explain the violation whatever they did. */
  readonly contextCount: number;
  /** False when the budget ran out first: `ops` still fail, but some might be droppable. */
  readonly minimal: boolean;
}

/**
 * `failing` is a failing subset of `all` (the key's operations) to start from, e.g. the operations called before
 * the search's last dead end (SearchResult.deadEndMaxNs); operations not kept are context.
 */
export function shrinkViolation(
  key: string,
  failing: readonly HistoryOp[],
  all: readonly HistoryOp[],
  budget: SearchBudget,
): ShrinkResult {
  const originallyWritten = writtenValues(all);
  const stillFails = (candidate: readonly HistoryOp[]): boolean => {
    if (!keepsWriters(candidate, originallyWritten)) return false;
    const kept = new Set(candidate);
    const context = all.filter((op) => !kept.has(op));
    return searchLinearization(compilePartition(key, candidate, context), budget).verdict === 'violation';
  };
  const outOfTime = (): boolean => budget.now() >= budget.deadlineMs;
  // The starting subset is cut from a failing search, but with the rest as context it might pass: then start over.
  let current = stillFails(failing) ? failing : all;
  let chunk = Math.ceil(current.length / 2);
  // Each round either halves the chunk or (at chunk 1) removes an operation, so this bound is never reached.
  const maxRounds = 64 + current.length;
  for (let round = 0; round < maxRounds; round++) {
    let removedAny = false;
    let start = 0;
    while (start < current.length && current.length > 1) {
      if (outOfTime()) return { ops: current, contextCount: all.length - current.length, minimal: false };
      const candidate = [...current.slice(0, start), ...current.slice(start + chunk)];
      if (stillFails(candidate)) {
        current = candidate;
        removedAny = true;
      } else {
        start += chunk;
      }
    }
    if (chunk > 1) chunk = Math.max(1, Math.min(Math.ceil(chunk / 2), Math.ceil(current.length / 2)));
    else if (!removedAny) return { ops: current, contextCount: all.length - current.length, minimal: true };
  }
  throw new Error('shrinking did not converge within its round bound');
}

/** Values some operation may have written (ok or unknown puts, ok or unknown cas `to`). */
function writtenValues(ops: readonly HistoryOp[]): Set<string> {
  const written = new Set<string>();
  for (const op of ops) {
    if (op.op === 'put' && op.status !== 'fail') written.add(op.value);
    if (op.op === 'cas' && op.status !== 'fail') written.add(op.to);
  }
  return written;
}

/** Whether every value observed in `candidate` that had a writer in the full history still has one. */
function keepsWriters(candidate: readonly HistoryOp[], originallyWritten: ReadonlySet<string>): boolean {
  const written = writtenValues(candidate);
  for (const op of candidate) {
    const observed = observedValue(op);
    if (observed !== null && originallyWritten.has(observed) && !written.has(observed)) return false;
  }
  return true;
}

/**
 * The value an operation saw the key hold, if it saw one: an ok get's value, or the `from` of a cas that took
 * effect (ok) or may have (unknown). A failed cas only saw what the value was not.
 */
function observedValue(op: HistoryOp): string | null {
  if (op.op === 'get' && op.status === 'ok') return op.value;
  if (op.op === 'cas' && op.status !== 'fail') return op.from;
  return null;
}
