// Which frames Chromium itself dropped: its PipelineReporter trace events (category `benchmark`, light enough to
// record during a measurement) follow each vsync's frame from the compositor's BeginFrame to presentation and say
// how it ended: presented with the page's update, presented without it (partial), dropped (the update missed its
// vsync), or no update wanted (nothing on the page changed). This is the compositor's ground truth: the frame
// recorder's requestAnimationFrame timestamps say only when the main thread began each frame, and a frame can begin
// on time and still miss its vsync in commit, raster or display compositing (on this GPU-less machine Chromium
// composites in software).

/** The fields of a Chromium trace event that this summary reads. */
export interface TraceEventLike {
  readonly name: string;
  readonly ph: string;
  readonly ts: number;
  readonly pid?: number;
  readonly id2?: { readonly local?: string };
  readonly args?: { readonly frame_reporter?: { readonly frame_sequence?: number; readonly state?: string;
    readonly frame_type?: string; readonly affects_smoothness?: boolean } };
}

/** A stage of a frame's pipeline, from BeginFrame to presentation (Chromium's names). */
const STAGES = ['BeginImplFrameToSendBeginMainFrame', 'SendBeginMainFrameToCommit', 'EndCommitToActivation',
  'EndActivateToSubmitCompositorFrame', 'SubmitCompositorFrameToPresentationCompositorFrame'] as const;
export type FrameStage = (typeof STAGES)[number];

export interface StageTimes { readonly p50Ms: number; readonly p95Ms: number; readonly count: number }

export interface ChromeFrameSummary {
  /** Vsyncs the compositor reported a frame for. */
  readonly vsyncs: number;
  /** Of them, frames in which the page had an update to show. */
  readonly withUpdate: number;
  /** Of those, frames whose update missed its vsync (Chromium's own dropped frames, those that affect smoothness). */
  readonly dropped: number;
  /** dropped / withUpdate (0 when no frame had an update). */
  readonly droppedShare: number;
  /** How long each stage took, in dropped frames and in frames presented with their update. */
  readonly stagesOfDropped: Readonly<Partial<Record<FrameStage, StageTimes>>>;
  readonly stagesOfPresented: Readonly<Partial<Record<FrameStage, StageTimes>>>;
}

type Outcome = 'presented' | 'dropped' | 'other';

/** One frame reporter's outcome: its own state (a forked reporter is the main thread's part of the same vsync). */
function outcomeOf(state: string | undefined, affectsSmoothness: boolean): Outcome {
  if (state === 'STATE_PRESENTED_ALL') return 'presented';
  if (state === 'STATE_DROPPED' && affectsSmoothness) return 'dropped';
  return 'other';
}

function percentileOf(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? NaN;
}

function stageTimes(durationsMs: ReadonlyMap<FrameStage, number[]>): Partial<Record<FrameStage, StageTimes>> {
  const times: Partial<Record<FrameStage, StageTimes>> = {};
  for (const stage of STAGES) {
    const list = [...(durationsMs.get(stage) ?? [])].sort((a, b) => a - b);
    if (list.length > 0) times[stage] = { p50Ms: percentileOf(list, 0.5), p95Ms: percentileOf(list, 0.95), count: list.length };
  }
  return times;
}

/**
 * Summarizes the PipelineReporter events of one trace. Every vsync has one reporter (two when the main thread's
 * part was forked off a compositor-only frame); a vsync counts as dropped when any of its reporters dropped an update,
 * and as having an update unless all of them wanted none.
 */
export function summarizeChromeFrames(events: readonly TraceEventLike[]): ChromeFrameSummary {
  const statesBySequence = new Map<number, { updates: boolean; dropped: boolean }>();
  // Stage events nest inside their reporter: same process and id2, in time order; a reporter's outcome is known at its begin.
  const byReporter = new Map<string, TraceEventLike[]>();
  for (const event of events) {
    if (event.ph !== 'b' && event.ph !== 'e') continue;
    if (event.name !== 'PipelineReporter' && !(STAGES as readonly string[]).includes(event.name)) continue;
    const key = `${event.pid ?? 0}:${event.id2?.local ?? ''}`;
    let list = byReporter.get(key);
    if (!list) byReporter.set(key, list = []);
    list.push(event);
  }
  const dropped = new Map<FrameStage, number[]>();
  const presented = new Map<FrameStage, number[]>();
  for (const list of byReporter.values()) {
    list.sort((a, b) => a.ts - b.ts);
    let outcome: Outcome = 'other';
    const opened = new Map<string, number>();
    for (const event of list) {
      if (event.name === 'PipelineReporter') {
        if (event.ph !== 'b') continue;
        const reporter = event.args?.frame_reporter;
        outcome = outcomeOf(reporter?.state, reporter?.affects_smoothness === true);
        if (reporter?.frame_sequence === undefined) continue;
        const seen = statesBySequence.get(reporter.frame_sequence) ?? { updates: false, dropped: false };
        seen.updates ||= reporter.state !== 'STATE_NO_UPDATE_DESIRED';
        seen.dropped ||= outcome === 'dropped';
        statesBySequence.set(reporter.frame_sequence, seen);
        continue;
      }
      if (event.ph === 'b') {
        opened.set(event.name, event.ts);
        continue;
      }
      const began = opened.get(event.name);
      opened.delete(event.name);
      if (began === undefined || outcome === 'other') continue;
      const into = outcome === 'dropped' ? dropped : presented;
      const stage = event.name as FrameStage;
      let durations = into.get(stage);
      if (!durations) into.set(stage, durations = []);
      durations.push((event.ts - began) / 1000);
    }
  }
  const frames = [...statesBySequence.values()];
  const withUpdate = frames.filter((frame) => frame.updates).length;
  const droppedCount = frames.filter((frame) => frame.dropped).length;
  return { vsyncs: frames.length, withUpdate, dropped: droppedCount, droppedShare: withUpdate === 0 ? 0 : droppedCount / withUpdate,
    stagesOfDropped: stageTimes(dropped), stagesOfPresented: stageTimes(presented) };
}

/** Reads a trace file's bytes (Chromium writes `{ traceEvents: [...] }` or a bare array). */
export function traceEventsOf(bytes: Uint8Array): TraceEventLike[] {
  const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
  const list: unknown = Array.isArray(parsed) ? parsed : (parsed as { traceEvents?: unknown }).traceEvents;
  if (!Array.isArray(list)) throw new Error('not a Chromium trace: no traceEvents array');
  return list as TraceEventLike[];
}
