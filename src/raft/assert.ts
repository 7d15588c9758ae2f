// Invariant assertions (TIGER_STYLE): a violated invariant is a programming error, never a recoverable state.

/** Throws when `condition` is false. The message should name the invariant and the values that broke it. */
export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`raft invariant violated: ${message}`);
}

/** Throws unless `value` is a non-negative safe integer (indexes, terms, rounds). */
export function assertIndex(value: number, what: string): void {
  assert(Number.isSafeInteger(value) && value >= 0, `${what} must be a non-negative integer, got ${value}`);
}

/** For hot paths: `if (!cond) fail(...)` builds the message only when the invariant is broken. */
export function fail(message: string): never {
  throw new Error(`raft invariant violated: ${message}`);
}
