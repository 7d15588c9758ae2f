// Limits on one search so the checker never hangs: a wall-clock deadline (through an injected clock, so tests can
// control it), a step count, and the memo's memory. Running out of any of them yields "timeout", never "ok".

export interface SearchBudget {
  /** Current time in ms (any monotonic origin). */
  readonly now: () => number;
  /** Give up once now() >= deadlineMs. */
  readonly deadlineMs: number;
  /** Give up after this many search steps. */
  readonly maxSteps: number;
  /** Give up when the memo (its arena and hash table, memo.ts) holds this many 32-bit words. */
  readonly maxMemoWords: number;
}

/** Steps between clock reads: reading the clock on every step would dominate a fast search. */
export const CLOCK_CHECK_INTERVAL_STEPS = 4096;

/** 32 Mi words = 128 MiB of memo. */
export const DEFAULT_MAX_MEMO_WORDS = 32 * 1024 * 1024;
