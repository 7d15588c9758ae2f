// The election timeout range, as every boundary accepts it: [min, max] ms with min <= max. Equal ends are a fixed
// timeout without randomness — legal, and the worst case of the paper's Figure 16 (150–150 ms) — so nothing refuses
// them; an inverted range is refused with the same sentence at every boundary. The check here is the node's (no
// zod); the lab's schema is election-timeout-schema.ts, and the two agree (test/unit/protocol/hand-checks.test.ts).
import { integer, pair, refined, type Check } from './check';

export const MIN_ELECTION_TIMEOUT_MS = 10;
export const MAX_ELECTION_TIMEOUT_MS = 60_000;

export const ELECTION_TIMEOUT_ORDER_PROBLEM = 'electionTimeoutMs: min must not exceed max (equal: a fixed timeout)';

const boundMs = integer(MIN_ELECTION_TIMEOUT_MS, MAX_ELECTION_TIMEOUT_MS);

export const checkElectionTimeoutRange: Check<[number, number]> =
  refined(pair(boundMs, boundMs), ([minMs, maxMs]) => minMs <= maxMs, ELECTION_TIMEOUT_ORDER_PROBLEM);
