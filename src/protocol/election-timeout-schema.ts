// The election timeout range as a zod schema, for the lab's boundaries (a node checks it without zod:
// election-timeout.ts, whose rules and sentence these are).
import { z } from 'zod';
import { ELECTION_TIMEOUT_ORDER_PROBLEM, MAX_ELECTION_TIMEOUT_MS, MIN_ELECTION_TIMEOUT_MS } from './election-timeout';

const boundMs = z.number().int().min(MIN_ELECTION_TIMEOUT_MS).max(MAX_ELECTION_TIMEOUT_MS);

export const electionTimeoutRangeSchema = z.tuple([boundMs, boundMs])
  .refine(([minMs, maxMs]) => minMs <= maxMs, ELECTION_TIMEOUT_ORDER_PROBLEM);
