// Link faults as zod schemas, for the lab's boundaries (a node checks them without zod: link-faults.ts, whose rules
// these are).
import { z } from 'zod';
import { MAX_BLOCKED_FROM, MAX_INJECTED_DELAY_MS } from './link-faults';
import { nodeIdSchema } from './schema-helpers';

export const linkFaultsSchema = z.strictObject({
  dropProbability: z.number().min(0).max(1),
  delayMs: z.number().min(0).max(MAX_INJECTED_DELAY_MS),
  jitterMs: z.number().min(0).max(MAX_INJECTED_DELAY_MS),
  duplicateProbability: z.number().min(0).max(1),
  blocked: z.boolean(),
});

export const faultTableSchema = z.strictObject({
  outbound: z.record(nodeIdSchema, linkFaultsSchema),
  blockedFrom: z.array(nodeIdSchema).max(MAX_BLOCKED_FROM),
});
