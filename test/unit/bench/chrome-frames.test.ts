import { describe, expect, it } from 'vitest';
import { summarizeChromeFrames, traceEventsOf, type TraceEventLike } from '../../bench/chrome-frames';

/** One frame reporter (begin and end) with optional stages inside it, as Chromium's `benchmark` category records it. */
function reporter(local: string, sequence: number, state: string, atUs: number,
  stages: Readonly<Record<string, number>> = {}, extra: { forked?: boolean; affectsSmoothness?: boolean } = {}): TraceEventLike[] {
  const events: TraceEventLike[] = [{ name: 'PipelineReporter', ph: 'b', ts: atUs, pid: 1, id2: { local },
    args: { frame_reporter: { frame_sequence: sequence, state, affects_smoothness: extra.affectsSmoothness ?? state === 'STATE_DROPPED',
      ...(extra.forked ? { frame_type: 'FORKED' } : {}) } } }];
  let at = atUs;
  for (const [name, durationMs] of Object.entries(stages)) {
    events.push({ name, ph: 'b', ts: at, pid: 1, id2: { local } });
    at += durationMs * 1000;
    events.push({ name, ph: 'e', ts: at, pid: 1, id2: { local } });
  }
  events.push({ name: 'PipelineReporter', ph: 'e', ts: at, pid: 1, id2: { local } });
  return events;
}

describe('summarizeChromeFrames', () => {
  it('counts vsyncs, frames with an update and the dropped ones among them', () => {
    const events = [
      ...reporter('0x1', 1, 'STATE_PRESENTED_ALL', 0, { SendBeginMainFrameToCommit: 4, SubmitCompositorFrameToPresentationCompositorFrame: 1 }),
      ...reporter('0x1', 2, 'STATE_NO_UPDATE_DESIRED', 16_700),
      ...reporter('0x1', 3, 'STATE_DROPPED', 33_400, { SendBeginMainFrameToCommit: 6, SubmitCompositorFrameToPresentationCompositorFrame: 35 }),
      ...reporter('0x1', 4, 'STATE_PRESENTED_ALL', 90_000, { SendBeginMainFrameToCommit: 5, SubmitCompositorFrameToPresentationCompositorFrame: 2 }),
    ];
    const summary = summarizeChromeFrames(events);
    expect(summary).toMatchObject({ vsyncs: 4, withUpdate: 3, dropped: 1 });
    expect(summary.droppedShare).toBeCloseTo(1 / 3);
    expect(summary.stagesOfDropped.SubmitCompositorFrameToPresentationCompositorFrame).toEqual({ p50Ms: 35, p95Ms: 35, count: 1 });
    expect(summary.stagesOfPresented.SendBeginMainFrameToCommit).toMatchObject({ p50Ms: 5, p95Ms: 5, count: 2 });
  });

  it('counts a vsync once when its main-thread part was forked off, dropped if either part dropped an update', () => {
    const events = [
      ...reporter('0x1', 7, 'STATE_PRESENTED_ALL', 0),
      ...reporter('0x2', 7, 'STATE_DROPPED', 0, {}, { forked: true }),
      ...reporter('0x1', 8, 'STATE_NO_UPDATE_DESIRED', 16_700),
      ...reporter('0x2', 8, 'STATE_NO_UPDATE_DESIRED', 16_700, {}, { forked: true }),
    ];
    expect(summarizeChromeFrames(events)).toMatchObject({ vsyncs: 2, withUpdate: 1, dropped: 1, droppedShare: 1 });
  });

  it('does not count as dropped a frame that Chromium says does not affect smoothness', () => {
    const events = reporter('0x1', 1, 'STATE_DROPPED', 0, {}, { affectsSmoothness: false });
    expect(summarizeChromeFrames(events)).toMatchObject({ vsyncs: 1, withUpdate: 1, dropped: 0, droppedShare: 0 });
  });

  it('gives a share of 0 for a trace without any frame that had an update', () => {
    expect(summarizeChromeFrames([])).toMatchObject({ vsyncs: 0, withUpdate: 0, dropped: 0, droppedShare: 0 });
  });
});

describe('traceEventsOf', () => {
  it('reads both shapes Chromium writes, and refuses anything else', () => {
    const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
    const event = { name: 'PipelineReporter', ph: 'b', ts: 1 };
    expect(traceEventsOf(encode({ traceEvents: [event] }))).toEqual([event]);
    expect(traceEventsOf(encode([event]))).toEqual([event]);
    expect(() => traceEventsOf(encode({ events: [] }))).toThrow(/no traceEvents array/);
  });
});
