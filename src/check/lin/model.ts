// The sequential specification the checker tests against: one register per key, initially absent. Values are
// interned to small integers (0 = absent) so that a model state is one number and comparing states is cheap.
import type { HistoryOp } from '../history';

/** How an operation acts on the register; `a` and `b` are interned values. */
export const STEP_WRITE = 0; // state := a (put; delete writes 0 = absent)
export const STEP_READ = 1; // legal iff state == a (ok get)
export const STEP_CAS = 2; // legal iff state == a, then state := b (ok or unknown cas)
export const STEP_NOT_EQUAL = 3; // legal iff state != a, no change (failed cas: it observed another value)
export type StepKind = typeof STEP_WRITE | typeof STEP_READ | typeof STEP_CAS | typeof STEP_NOT_EQUAL;

export const ABSENT = 0;

/** The operations of one key that take part in the search, compiled into flat arrays indexed by op id. */
export interface CompiledPartition {
  readonly key: string;
  /** The operations, sorted by call time; an op's id is its index here. */
  readonly ops: readonly HistoryOp[];
  readonly kind: Uint8Array;
  readonly argA: Int32Array;
  readonly argB: Int32Array;
  readonly callNs: Float64Array;
  /** Infinity for optional operations: they may take effect any time after their call. */
  readonly retNs: Float64Array;
  /** 1 for an `unknown` write: it may be linearized anywhere after its call, or left out. */
  readonly optional: Uint8Array;
  /**
   * 1 for a context write (see compilePartition): it must be placed within [call, ret] like any completed operation,
   * but placing it may either apply its effect or do nothing.
   */
  readonly maybe: Uint8Array;
  readonly requiredCount: number;
  /** Interned value -> text (index 0 is absent = null); see mergeUnobservedValues. */
  readonly values: readonly (string | null)[];
}

/**
 * Whether an operation constrains the search at all. A put or delete that failed did not happen; a get that failed
 * or whose answer is unknown observed nothing. Every other operation takes part.
 */
export function participates(op: HistoryOp): boolean {
  if (op.op === 'get') return op.status === 'ok';
  if (op.op === 'cas') return true; // a failed cas still observed that the value was not `from`
  return op.status !== 'fail';
}

/**
 * Compiles the ops of one key; each must participate and be on `key`. `context` holds more operations of the key
 * whose outcome is relaxed to "took effect or not": a completed write becomes a maybe-write within its interval, an
 * unknown write stays optional, and observations (gets, failed cas) are dropped. Used when shrinking: a subset that
 * fails even with the rest of the key as context is a violation no other operation can explain.
 *
 * `mergeUnobservedValues` (default true) interns every value that no operation reads or compares against as one
 * value: no operation can tell them apart (a get or cas `from` names an observed value; a failed cas only needs
 * "not from"), so merging them is exact and shrinks the search, e.g. when many unknown writes wrote unique values.
 * The explanation turns it off to name real values.
 */
export function compilePartition(
  key: string,
  required: readonly HistoryOp[],
  context: readonly HistoryOp[] = [],
  options: { readonly mergeUnobservedValues?: boolean } = {},
): CompiledPartition {
  const contextWrites = new Set(context.filter((op) => participates(op) && isWrite(op)));
  // Ids in call order: the search linearizes roughly in that order, which keeps its memo small (linearized-set.ts).
  const ops = [...required, ...contextWrites].sort((x, y) => x.call - y.call);
  const observed = options.mergeUnobservedValues === false ? null : observedValues(ops);
  let unobservedId: number | undefined;
  const count = ops.length;
  const kind = new Uint8Array(count);
  const argA = new Int32Array(count);
  const argB = new Int32Array(count);
  const callNs = new Float64Array(count);
  const retNs = new Float64Array(count);
  const optional = new Uint8Array(count);
  const maybe = new Uint8Array(count);
  const values: (string | null)[] = [null];
  const ids = new Map<string, number>();
  const intern = (value: string | null): number => {
    if (value === null) return ABSENT;
    let id = ids.get(value);
    if (id !== undefined) return id;
    if (observed !== null && !observed.has(value) && unobservedId !== undefined) return unobservedId;
    id = values.length;
    values.push(value);
    ids.set(value, id);
    if (observed !== null && !observed.has(value)) unobservedId = id;
    return id;
  };
  let requiredCount = 0;
  ops.forEach((op, i) => {
    if (op.key !== key || !participates(op)) throw new Error(`op ${i} does not belong in the partition of "${key}"`);
    const compiled = compileOp(op, intern);
    kind[i] = compiled.kind;
    argA[i] = compiled.a;
    argB[i] = compiled.b;
    callNs[i] = op.call;
    retNs[i] = op.ret ?? Infinity;
    optional[i] = op.status === 'unknown' ? 1 : 0;
    maybe[i] = contextWrites.has(op) && op.status !== 'unknown' ? 1 : 0;
    if (optional[i] === 0) requiredCount++;
  });
  return { key, ops, kind, argA, argB, callNs, retNs, optional, maybe, requiredCount, values };
}

/** Values some operation compares the register against. */
function observedValues(ops: readonly HistoryOp[]): Set<string> {
  const observed = new Set<string>();
  for (const op of ops) {
    if (op.op === 'get' && op.status === 'ok' && op.value !== null) observed.add(op.value);
    if (op.op === 'cas') observed.add(op.from);
  }
  return observed;
}

/** An operation that may change the value: a put, a delete or a cas that did not fail. */
function isWrite(op: HistoryOp): boolean {
  return op.op !== 'get' && op.status !== 'fail';
}

function compileOp(op: HistoryOp, intern: (value: string | null) => number): { kind: StepKind; a: number; b: number } {
  switch (op.op) {
    case 'put':
      return { kind: STEP_WRITE, a: intern(op.value), b: 0 };
    case 'delete':
      return { kind: STEP_WRITE, a: ABSENT, b: 0 };
    case 'get':
      if (op.status !== 'ok') throw new Error('only an ok get takes part');
      return { kind: STEP_READ, a: intern(op.value), b: 0 };
    case 'cas':
      // An unknown cas is optional: when linearized it took effect (so `from` must match); leaving it out covers
      // both "never arrived" and "arrived but did not match".
      if (op.status === 'fail') return { kind: STEP_NOT_EQUAL, a: intern(op.from), b: 0 };
      return { kind: STEP_CAS, a: intern(op.from), b: intern(op.to) };
  }
}

/** The state after applying the op in `state`, or -1 if the op cannot take effect there. */
export function stepRegister(kind: number, a: number, b: number, state: number): number {
  switch (kind) {
    case STEP_WRITE:
      return a;
    case STEP_READ:
      return state === a ? state : -1;
    case STEP_CAS:
      return state === a ? b : -1;
    case STEP_NOT_EQUAL:
      return state !== a ? state : -1;
    default:
      throw new Error(`unknown step kind ${kind}`);
  }
}
