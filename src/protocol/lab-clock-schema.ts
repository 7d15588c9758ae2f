// The lab clock's frames as zod schemas, for the lab's boundaries and its events (a node checks them without zod:
// lab-clock.ts, whose rules these are).
import { z } from 'zod';
import { MAX_NETWORK_DELAY_MS, MAX_TIME_SCALE, MIN_TIME_SCALE, NETWORK_DELAY_ORDER_PROBLEM, STEP_KINDS } from './lab-clock';

export const labClockSegmentSchema = z.strictObject({
  anchorNs: z.number().nonnegative(),
  labMs: z.number().nonnegative(),
  timeScale: z.number().min(MIN_TIME_SCALE).max(MAX_TIME_SCALE),
  frozen: z.boolean(),
});

export const networkDelaySchema = z.tuple([z.number().min(0).max(MAX_NETWORK_DELAY_MS), z.number().min(0).max(MAX_NETWORK_DELAY_MS)])
  .refine(([min, max]) => min <= max, NETWORK_DELAY_ORDER_PROBLEM);

export const stepKindSchema = z.enum(STEP_KINDS);
