// The lab clock: one time line, in lab milliseconds, that every node process, the lab and the UI read the same way.
// Slow motion, freezing and stepping are all changes of this one clock, so timers and message latency slow down
// and stop together. The lab owns it and sends each change as a segment: "from machine time anchorNs on, lab time
// is labMs plus the real time since then divided by timeScale" (or stands still at labMs while frozen). The machine's
// monotonic clock is shared by every process (src/shared/monotonic-clock.ts), so every process computes the same lab time.
// The checks here are a node's (no zod); the lab's schemas are lab-clock-schema.ts, and the two agree
// (test/unit/protocol/hand-checks.test.ts).
import { boolean, finite, object, pair, refined, type Check } from './check';

export const MIN_TIME_SCALE = 1;
export const MAX_TIME_SCALE = 100;
/** The cluster-wide network delay may not reach an election timeout (§5.6: broadcastTime ≪ electionTimeout). */
export const MAX_NETWORK_DELAY_MS = 5_000;

export interface LabClockSegment {
  /** Machine monotonic time (ns) at which this segment starts. */
  anchorNs: number;
  /** Lab time (ms) at anchorNs. */
  labMs: number;
  timeScale: number;
  /** Frozen: lab time stands still at labMs; no timer fires and every message waits at its receiver. */
  frozen: boolean;
}

export const checkLabClockSegment: Check<LabClockSegment> = object<LabClockSegment>({
  anchorNs: finite(0),
  labMs: finite(0),
  timeScale: finite(MIN_TIME_SCALE, MAX_TIME_SCALE),
  frozen: boolean,
});

/** [min, max] lab ms added to every peer message at its sender; [0, 0] adds nothing. */
export type NetworkDelayMs = readonly [number, number];

export const NETWORK_DELAY_ORDER_PROBLEM = 'network delay: min must not exceed max';

const delayMs = finite(0, MAX_NETWORK_DELAY_MS);
export const checkNetworkDelay: Check<[number, number]> =
  refined(pair(delayMs, delayMs), ([min, max]) => min <= max, NETWORK_DELAY_ORDER_PROBLEM);

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
export const STEP_KINDS = ['timer', 'deliver', 'none'] as const;

export interface StepResult {
  readonly kind: (typeof STEP_KINDS)[number];
  /** The node that acted (the timer's owner or the message's receiver); null when nothing was pending. */
  readonly node: number | null;
  /** The delivered message's id. */
  readonly messageId: string | null;
  /** Lab time after the step. */
  labMs: number;
  /** One sentence for the student, e.g. "S2's election timer fired at 1234 ms". */
  readonly description: string;
}

/** What a student can do with a message that waits at its receiver. */
export const HELD_MESSAGE_ACTIONS = ['deliver', 'drop', 'duplicate'] as const;
export type HeldMessageAction = (typeof HELD_MESSAGE_ACTIONS)[number];
