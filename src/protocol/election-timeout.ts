// The election timeout range, as every boundary accepts it: [min, max] ms with min <= max. Equal ends are a fixed
// timeout without randomness — legal, and the worst case of the paper's Figure 16 (150–150 ms) — so nothing refuses
// them; an inverted range is refused with the same sentence at every boundary.
import { z } from 'zod';

export const MIN_ELECTION_TIMEOUT_MS = 10;
export const MAX_ELECTION_TIMEOUT_MS = 60_000;

const boundMs = z.number().int().min(MIN_ELECTION_TIMEOUT_MS).max(MAX_ELECTION_TIMEOUT_MS);

export const electionTimeoutRangeSchema = z.tuple([boundMs, boundMs])
  .refine(([minMs, maxMs]) => minMs <= maxMs, 'electionTimeoutMs: min must not exceed max (equal: a fixed timeout)');
