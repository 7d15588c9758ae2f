// Which of the page's frames reached the screen in time, from a Chromium trace of two light categories:
// `benchmark` (a PipelineReporter per vsync: the compositor's BeginFrame, whether the page had an update to show,
// when that frame was submitted to the display compositor) and `viz` (the display compositor's draws,
// Display::DrawAndSwap). A frame with an update is on time when the display drew after its submission and before
// the next vsync's frame would be due (BeginFrame + 1.5 vsyncs); otherwise its update missed at least one vsync.
//
// Why not the reporters' own verdict (STATE_DROPPED): in headless Chromium with software compositing (this machine
// has no GPU) a frame's presentation is reported with the display's next swap, and the page's 30 Hz animation leaves
// a vsync without damage between two frames, so frames drawn within 1 ms of their submission were reported dropped
// ~2 vsyncs later (59 of 74 "dropped" in a trace at 5,000 events/s, docs/benchmarks.md). Nor the requestAnimationFrame
// timestamps alone: they say when the main thread began a frame, not whether its update was drawn in time.

/** The fields of a Chromium trace event that this summary reads. */
export interface TraceEventLike {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly pid?: number;
  readonly id2?: { readonly local?: string };
  readonly args?: { readonly frame_reporter?: { readonly frame_sequence?: number; readonly state?: string } };
}

/** The trace categories this summary needs (both light enough to record while measuring frames). */
export const CHROME_FRAME_CATEGORIES = ['benchmark', 'viz'] as const;

const VSYNC_MS = 1000 / 60;
/** A frame drawn later than this after its BeginFrame missed the vsync it was made for. */
const ON_TIME_MS = 1.5 * VSYNC_MS;
const SUBMISSION = 'SubmitCompositorFrameToPresentationCompositorFrame';
const DISPLAY_DRAW = 'Display::DrawAndSwap';

export interface ChromeFrameSummary {
  /** Vsyncs the compositor reported a frame for. */
  readonly vsyncs: number;
  /** Of them, frames in which the page had an update to show. */
  readonly withUpdate: number;
  /** Of those, frames whose update the display did not draw in time (or never: the main thread's part came too late). */
  readonly late: number;
  /** late / withUpdate (0 when no frame had an update). */
  readonly lateShare: number;
  /** late / vsyncs: the share of all frames longer than one vsync, as a frame-time chart (idle frames included) shows. */
  readonly lateShareOfVsyncs: number;
  /** From BeginFrame to the display's draw, over frames with an update that were drawn (ms). */
  readonly drawnAfterP50Ms: number;
  readonly drawnAfterP95Ms: number;
  /** Display draws seen: none means the trace lacked the `viz` category, and every frame counts late. */
  readonly displayDraws: number;
}

interface VsyncFrame { updates: boolean; drawnAfterMs: number }

function firstAtOrAfter(sortedTs: readonly number[], ts: number): number | undefined {
  let low = 0;
  let high = sortedTs.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((sortedTs[middle] as number) < ts) low = middle + 1;
    else high = middle;
  }
  return sortedTs[low];
}

function percentileOf(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? NaN;
}

/**
 * Summarizes one trace. Every vsync has one PipelineReporter (two when the main thread's part was forked off a
 * compositor-only frame); a submission nests inside its reporter (same process and id2, later in time). A vsync has an
 * update unless all its reporters wanted none, and is drawn at the first display draw after any of its submissions.
 */
export function summarizeChromeFrames(events: readonly TraceEventLike[]): ChromeFrameSummary {
  const draws = events.filter((event) => event.ph === 'X' && event.name === DISPLAY_DRAW).map((event) => event.ts).sort((a, b) => a - b);
  const byReporter = new Map<string, TraceEventLike[]>();
  for (const event of events) {
    if ((event.ph === 'b' && event.name === SUBMISSION) || (event.ph === 'b' && event.name === 'PipelineReporter')) {
      const key = `${event.pid ?? 0}:${event.id2?.local ?? ''}`;
      let list = byReporter.get(key);
      if (!list) byReporter.set(key, list = []);
      list.push(event);
    }
  }
  const vsyncs = new Map<number, VsyncFrame>();
  for (const list of byReporter.values()) {
    list.sort((a, b) => a.ts - b.ts);
    let current: { frame: VsyncFrame; beganTs: number } | null = null;
    for (const event of list) {
      if (event.name === 'PipelineReporter') {
        const reporter = event.args?.frame_reporter;
        if (reporter?.frame_sequence === undefined) {
          current = null;
          continue;
        }
        let frame = vsyncs.get(reporter.frame_sequence);
        if (!frame) vsyncs.set(reporter.frame_sequence, frame = { updates: false, drawnAfterMs: Infinity });
        frame.updates ||= reporter.state !== 'STATE_NO_UPDATE_DESIRED';
        current = { frame, beganTs: event.ts };
        continue;
      }
      if (!current) continue;
      const drawnTs = firstAtOrAfter(draws, event.ts);
      if (drawnTs !== undefined) current.frame.drawnAfterMs = Math.min(current.frame.drawnAfterMs, (drawnTs - current.beganTs) / 1000);
    }
  }
  const withUpdate = [...vsyncs.values()].filter((frame) => frame.updates);
  const late = withUpdate.filter((frame) => frame.drawnAfterMs > ON_TIME_MS).length;
  const drawnAfterMs = withUpdate.map((frame) => frame.drawnAfterMs).filter(Number.isFinite).sort((a, b) => a - b);
  return {
    vsyncs: vsyncs.size, withUpdate: withUpdate.length, late,
    lateShare: withUpdate.length === 0 ? 0 : late / withUpdate.length,
    lateShareOfVsyncs: vsyncs.size === 0 ? 0 : late / vsyncs.size,
    drawnAfterP50Ms: percentileOf(drawnAfterMs, 0.5), drawnAfterP95Ms: percentileOf(drawnAfterMs, 0.95), displayDraws: draws.length,
  };
}

/** Reads a trace file's bytes (Chromium writes `{ traceEvents: [...] }` or a bare array), as events with the fields `T` reads. */
export function traceEventsOf<T = TraceEventLike>(bytes: Uint8Array): T[] {
  const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
  const list: unknown = Array.isArray(parsed) ? parsed : (parsed as { traceEvents?: unknown }).traceEvents;
  if (!Array.isArray(list)) throw new Error('not a Chromium trace: no traceEvents array');
  return list as T[];
}
