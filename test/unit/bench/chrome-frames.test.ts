import { describe, expect, it } from 'vitest';
import { summarizeChromeFrames, traceEventsOf, type TraceEventLike } from '../../bench/chrome-frames';

const VSYNC_US = 16_667;

/** One frame reporter as Chromium's `benchmark` category records it, with its submission `submittedAfterUs` in. */
function reporter(local: string, sequence: number, state: string, beganUs: number, submittedAfterUs: number | null): TraceEventLike[] {
  const events: TraceEventLike[] = [{ name: 'PipelineReporter', ph: 'b', ts: beganUs, pid: 1, id2: { local },
    args: { frame_reporter: { frame_sequence: sequence, state } } }];
  if (submittedAfterUs !== null) {
    events.push({ name: 'SubmitCompositorFrameToPresentationCompositorFrame', ph: 'b', ts: beganUs + submittedAfterUs, pid: 1, id2: { local } });
  }
  return events;
}

const draw = (ts: number): TraceEventLike => ({ name: 'Display::DrawAndSwap', ph: 'X', ts, pid: 2 });

describe('summarizeChromeFrames', () => {
  it('counts a frame late when the display drew it more than 1.5 vsyncs after its BeginFrame, or never', () => {
    const events = [
      ...reporter('0x1', 1, 'STATE_PRESENTED_ALL', 0, 6_000), draw(7_000), // drawn 7 ms after BeginFrame: on time
      ...reporter('0x1', 2, 'STATE_NO_UPDATE_DESIRED', VSYNC_US, null), // nothing to show
      ...reporter('0x1', 3, 'STATE_PRESENTED_ALL', 2 * VSYNC_US, 20_000), draw(2 * VSYNC_US + 30_000), // drawn 30 ms after: late
      ...reporter('0x1', 4, 'STATE_DROPPED', 4 * VSYNC_US, null), // its update never reached the display
      // Reported dropped, yet drawn 1 ms after submission (headless presentation feedback): on time.
      ...reporter('0x1', 5, 'STATE_DROPPED', 6 * VSYNC_US, 5_000), draw(6 * VSYNC_US + 6_000),
    ];
    const summary = summarizeChromeFrames(events);
    expect(summary).toMatchObject({ vsyncs: 5, withUpdate: 4, late: 2, lateShare: 0.5, lateShareOfVsyncs: 0.4, displayDraws: 3 });
    expect(summary.drawnAfterP50Ms).toBe(7);
    expect(summary.drawnAfterP95Ms).toBe(30);
  });

  it('counts a vsync once when its main-thread part was forked off, drawn at the first draw after either submission', () => {
    const events = [
      ...reporter('0x1', 7, 'STATE_PRESENTED_ALL', 0, 30_000),
      ...reporter('0x2', 7, 'STATE_PRESENTED_PARTIAL', 0, 2_000),
      draw(3_000), draw(31_000),
    ];
    expect(summarizeChromeFrames(events)).toMatchObject({ vsyncs: 1, withUpdate: 1, late: 0, drawnAfterP50Ms: 3 });
  });

  it('counts every frame with an update late in a trace without display draws (no viz category), and says so', () => {
    const summary = summarizeChromeFrames(reporter('0x1', 1, 'STATE_PRESENTED_ALL', 0, 5_000));
    expect(summary).toMatchObject({ withUpdate: 1, late: 1, displayDraws: 0 });
  });

  it('gives shares of 0 for a trace without any frame', () => {
    expect(summarizeChromeFrames([])).toMatchObject({ vsyncs: 0, withUpdate: 0, late: 0, lateShare: 0, lateShareOfVsyncs: 0 });
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
