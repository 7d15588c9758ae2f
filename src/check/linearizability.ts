// Linearizability checker for key-value histories (Herlihy & Wing). Keys are independent registers, and
// linearizability is compositional (a history is linearizable iff each per-object sub-history is), so each key is
// checked on its own: a search for an order of its operations that respects real time and register semantics
// (lin/search.ts). A violation is shrunk to a smallest failing set and explained in words.
//
// Outcomes: `unknown` writes may have taken effect at any time after their call, or never (they are optional in the
// search). A failed cas observed a value other than `from`. Failed puts/deletes and failed or unknown gets did
// nothing observable and are left out.
//
// The search is NP-complete in general, so it runs under a budget (wall clock through an injected clock, steps,
// memory). Running out makes a key 'timeout' and the result `timedOut`: never a false "ok".
import type { HistoryOp } from './history';
import { DEFAULT_MAX_MEMO_WORDS, type SearchBudget } from './lin/budget';
import { explainViolation } from './lin/explain';
import { compilePartition, participates } from './lin/model';
import { searchLinearization, type SearchVerdict } from './lin/search';
import { shrinkViolation } from './lin/shrink';
import { findUnwrittenObservation } from './lin/unwritten';

export interface LinearizabilityOptions {
  /** Wall-clock budget for checking all keys (default 10 s). */
  readonly timeoutMs?: number;
  /** Extra budget for shrinking a violation (default 5 s); on expiry the set found so far is reported. */
  readonly shrinkTimeoutMs?: number;
  /** Clock in ms (default performance.now); tests inject a fake one. */
  readonly now?: () => number;
  /** Step budget of each single search (default unlimited): a deterministic alternative to the clock. */
  readonly maxStepsPerSearch?: number;
  /** Memory budget of each search's memo, in 32-bit words (default 32 Mi words = 128 MiB). */
  readonly maxMemoWords?: number;
}

export type KeyVerdict = SearchVerdict;

export interface KeyCheckResult {
  readonly key: string;
  readonly verdict: KeyVerdict;
  /** Operations on the key that took part (failed writes and reads without a value are left out). */
  readonly opCount: number;
  readonly steps: number;
}

export interface LinearizabilityViolation {
  readonly key: string;
  /** A smallest failing subset of the key's operations, sorted by call time. */
  readonly ops: HistoryOp[];
  readonly explanation: string;
  /** False when shrinking ran out of budget: dropping some operation might still leave a violation. */
  readonly minimal: boolean;
}

export interface LinearizabilityResult {
  /** True only when every key was decided linearizable. */
  readonly ok: boolean;
  /** True when some key could not be decided within the budget. */
  readonly timedOut: boolean;
  /** One result per key, sorted by key. */
  readonly perKey: KeyCheckResult[];
  /** The violation on the key with the fewest operations, when any key is not linearizable. */
  readonly violation?: LinearizabilityViolation;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_SHRINK_TIMEOUT_MS = 5_000;
/** Above this many operations the explanation skips the trace (recording it costs time quadratic in the size). */
const MAX_TRACED_OPS = 2_000;

export function checkLinearizability(
  history: readonly HistoryOp[],
  options: LinearizabilityOptions = {},
): LinearizabilityResult {
  const now = options.now ?? (() => performance.now());
  const budgetUntil = (deadlineMs: number): SearchBudget => ({
    now,
    deadlineMs,
    maxSteps: options.maxStepsPerSearch ?? Number.MAX_SAFE_INTEGER,
    maxMemoWords: options.maxMemoWords ?? DEFAULT_MAX_MEMO_WORDS,
  });
  const checkBudget = budgetUntil(now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  const partitions = partitionByKey(history);
  // Small keys first, so that one hard key running out the clock leaves the others decided.
  const bySize = [...partitions.entries()].sort((x, y) => x[1].length - y[1].length || compareKeys(x[0], y[0]));
  const perKey: KeyCheckResult[] = [];
  let firstViolation: { key: string; failing: Failing } | null = null;
  for (const [key, ops] of bySize) {
    const checked = checkKey(key, ops, checkBudget);
    perKey.push(checked.result);
    if (checked.failing !== undefined && firstViolation === null) firstViolation = { key, failing: checked.failing };
  }
  perKey.sort((x, y) => compareKeys(x.key, y.key));
  const timedOut = perKey.some((result) => result.verdict === 'timeout');
  const ok = perKey.every((result) => result.verdict === 'ok');
  if (firstViolation === null) return { ok, timedOut, perKey };
  const { key, failing } = firstViolation;
  const shrinkBudget = budgetUntil(now() + (options.shrinkTimeoutMs ?? DEFAULT_SHRINK_TIMEOUT_MS));
  const violation = describeViolation(key, failing, partitions.get(key) ?? [], shrinkBudget);
  return { ok: false, timedOut, perKey, violation };
}

/** What is known to fail on a key: a lone unwritten observation, or a subset to shrink from. */
type Failing = { readonly lone: HistoryOp } | { readonly subset: readonly HistoryOp[] };

function checkKey(
  key: string,
  ops: readonly HistoryOp[],
  budget: SearchBudget,
): { result: KeyCheckResult; failing?: Failing } {
  const unwritten = findUnwrittenObservation(ops);
  if (unwritten !== null) {
    return { result: { key, verdict: 'violation', opCount: ops.length, steps: 0 }, failing: { lone: unwritten } };
  }
  const searched = searchLinearization(compilePartition(key, ops), budget);
  const result = { key, verdict: searched.verdict, opCount: ops.length, steps: searched.steps };
  if (searched.verdict !== 'violation') return { result };
  // No branch of the search looked past its last dead end: later operations cannot matter (search.ts).
  const deadEndMaxNs = searched.deadEndMaxNs ?? Infinity;
  return { result, failing: { subset: ops.filter((op) => op.call <= deadEndMaxNs) } };
}

/** The operations that take part in the search, per key, in history order. */
export function partitionByKey(history: readonly HistoryOp[]): Map<string, HistoryOp[]> {
  const partitions = new Map<string, HistoryOp[]>();
  for (const op of history) {
    let ops = partitions.get(op.key);
    if (ops === undefined) {
      ops = [];
      partitions.set(op.key, ops);
    }
    if (participates(op)) ops.push(op);
  }
  return partitions;
}

function describeViolation(
  key: string,
  failing: Failing,
  all: readonly HistoryOp[],
  budget: SearchBudget,
): LinearizabilityViolation {
  const shrunk =
    'lone' in failing
      ? { ops: [failing.lone], contextCount: all.length - 1, minimal: true }
      : shrinkViolation(key, failing.subset, all, budget);
  const sorted = [...shrunk.ops].sort((x, y) => x.call - y.call || (x.ret ?? Infinity) - (y.ret ?? Infinity));
  const partition = compilePartition(key, sorted, [], { mergeUnobservedValues: false });
  // The trace search gets its own small budget: the explanation must not be what makes the checker hang.
  const traced =
    sorted.length <= MAX_TRACED_OPS
      ? searchLinearization(partition, { ...budget, deadlineMs: budget.now() + 1_000 }, { trace: true })
      : undefined;
  const explanation = explainViolation(partition, traced?.trace, shrunk.contextCount);
  return { key, ops: sorted, explanation, minimal: shrunk.minimal };
}

function compareKeys(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
