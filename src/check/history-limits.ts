// Bounds of the history format (see history.ts).

/** Largest time accepted (2^53 ns, about 104 days): beyond it integers are no longer exact in a JavaScript number. */
export const HISTORY_MAX_TIME_NS = 2 ** 53;
/** Longest line accepted, in characters: a cas with two maximal values, JSON-escaped, fits. */
export const HISTORY_MAX_LINE_CHARS = 1024 * 1024;
/** Default bound on the operations of one parsed history. */
export const HISTORY_DEFAULT_MAX_OPS = 1_000_000;
