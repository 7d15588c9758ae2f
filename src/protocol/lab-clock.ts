// The lab clock: one time line, in lab milliseconds, that every node process, the lab and the UI read the same way.
// Slow motion, freezing and stepping are all changes of this one clock, so timers and message latency slow down
// and stop together. The lab owns it and sends each change as a segment: "from machine time anchorNs on, lab time
// is labMs plus the real time since then divided by timeScale" (or stands still at labMs while frozen). The machine's
// monotonic clock is shared by every process (src/shared/monotonic-clock.ts), so every process computes the same lab time.
import { z } from 'zod';

export const MIN_TIME_SCALE = 1;
export const MAX_TIME_SCALE = 100;
/** The cluster-wide network delay may not reach an election timeout (§5.6: broadcastTime ≪ electionTimeout). */
export const MAX_NETWORK_DELAY_MS = 5_000;

export const labClockSegmentSchema = z.strictObject({
  /** Machine monotonic time (ns) at which this segment starts. */
  anchorNs: z.number().nonnegative(),
  /** Lab time (ms) at anchorNs. */
  labMs: z.number().nonnegative(),
  timeScale: z.number().min(MIN_TIME_SCALE).max(MAX_TIME_SCALE),
  /** Frozen: lab time stands still at labMs; no timer fires and every message waits at its receiver. */
  frozen: z.boolean(),
});
export type LabClockSegment = z.infer<typeof labClockSegmentSchema>;

/** [min, max] lab ms added to every peer message at its sender; [0, 0] adds nothing. */
export const networkDelaySchema = z.tuple([z.number().min(0).max(MAX_NETWORK_DELAY_MS), z.number().min(0).max(MAX_NETWORK_DELAY_MS)])
  .refine(([min, max]) => min <= max, 'network delay: min must not exceed max');
export type NetworkDelayMs = readonly [number, number];

export const NO_NETWORK_DELAY: NetworkDelayMs = [0, 0];
/** The teaching default: a hop takes about 10 lab ms, far below the 150 ms election timeout, as §5.6 asks. */
export const TEACHING_NETWORK_DELAY: NetworkDelayMs = [8, 15];

/** Lab time (ms) at machine time atNs under this segment. */
export function labTimeAt(segment: LabClockSegment, atNs: number): number {
  if (segment.frozen) return segment.labMs;
  return segment.labMs + Math.max(0, atNs - segment.anchorNs) / 1e6 / segment.timeScale;
}

/** Machine time (ns) at which lab time reaches labMs under this segment; null while frozen (it never does). */
export function machineTimeOf(segment: LabClockSegment, labMs: number): number | null {
  if (segment.frozen) return null;
  return segment.anchorNs + (labMs - segment.labMs) * segment.timeScale * 1e6;
}

/** What a step did: one timer fired or one message delivered (or nothing was pending). */
export const stepKindSchema = z.enum(['timer', 'deliver', 'none']);

export interface StepResult {
  readonly kind: z.infer<typeof stepKindSchema>;
  /** The node that acted (the timer's owner or the message's receiver); null when nothing was pending. */
  readonly node: number | null;
  /** The delivered message's id. */
  readonly messageId: string | null;
  /** Lab time after the step. */
  readonly labMs: number;
  /** One sentence for the student, e.g. "S2's election timer fired at 1234 ms". */
  readonly description: string;
}

/** What a student can do with a message that waits at its receiver. */
export const HELD_MESSAGE_ACTIONS = ['deliver', 'drop', 'duplicate'] as const;
export type HeldMessageAction = (typeof HELD_MESSAGE_ACTIONS)[number];
