// @vitest-environment happy-dom
// The store's frame loop in a busy lab (publish-stages.ts): the cluster's view is published every ~50 ms as before,
// the secondary panels' view follows in a later frame, at most ten times a second, and catches up once events stop;
// a quiet lab publishes everything in one frame, as before. Frames are driven by hand on a fake clock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { PANEL_PUBLISH_INTERVAL_MS } from '../../../renderer/src/stores/publish-stages';
import { EventStream, appendEntries, snapshotOf } from './event-builders';
import { fakeLabApi } from './fake-lab-api';
import { FRAME_MS, frameDriver } from '../frame-driver';

interface FrameRecord { readonly atMs: number; readonly viewSeq: number; readonly panelSeq: number; readonly same: boolean }

/** `perFrame` message events (sends and receives between S1 and S2) for each of `frames` frames. */
function traffic(stream: EventStream, frames: number, perFrame: number): EventStream['events'][] {
  const batches: EventStream['events'][] = [];
  for (let frame = 0; frame < frames; frame += 1) {
    const from = stream.events.length;
    for (let i = 0; i < perFrame / 2; i += 1) {
      const id = `m${frame}-${i}`;
      const message = appendEntries(1, 2, 1);
      stream.send(id, message);
      stream.receive(id, message);
    }
    batches.push(stream.events.slice(from));
  }
  return batches;
}

async function run(perFrame: number, frames: number, quietFrames: number, frameMs = FRAME_MS): Promise<FrameRecord[]> {
  const clock = frameDriver(frameMs);
  const stream = new EventStream().startCluster(3, 1);
  const lab = fakeLabApi(snapshotOf({ nextSeq: stream.events.length }), stream.events);
  const store = useLabStore();
  await store.attach(lab.api);
  const records: FrameRecord[] = [];
  const record = (): void => { records.push({ atMs: clock.nowMs, viewSeq: store.view.seq, panelSeq: store.panelView.seq, same: store.view === store.panelView }); };
  for (const batch of traffic(stream, frames, perFrame)) {
    lab.emit(batch);
    clock.frame();
    record();
  }
  for (let frame = 0; frame < quietFrames; frame += 1) {
    clock.frame();
    record();
  }
  return records;
}

describe('lab store frame stages', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('a busy lab tells the panels in frames of their own, ten times a second, and catches them up when events stop', async () => {
    const records = await run(100, 120, 12); // 6,000 events/s for 2 s, then quiet
    const busy = records.slice(30, 120); // 1.5 s, once the event rate is known
    const publishFrames = busy.filter((record, i) => i > 0 && record.viewSeq !== busy[i - 1]!.viewSeq);
    const panelFrames = busy.filter((record, i) => i > 0 && record.panelSeq !== busy[i - 1]!.panelSeq);
    expect(publishFrames.length).toBeGreaterThanOrEqual(20); // the cluster's view: 15-20 a second, as before
    expect(panelFrames.length).toBeGreaterThanOrEqual(11); // the panels: up to 10 a second
    expect(panelFrames.length).toBeLessThanOrEqual(15);
    // Never in a frame of a publish, and never more often than PANEL_PUBLISH_INTERVAL_MS (less half a frame).
    expect(panelFrames.filter((record) => publishFrames.includes(record))).toEqual([]);
    for (let i = 1; i < panelFrames.length; i += 1) {
      expect(panelFrames[i]!.atMs - panelFrames[i - 1]!.atMs).toBeGreaterThan(PANEL_PUBLISH_INTERVAL_MS - FRAME_MS / 2);
    }
    expect(busy.some((record) => record.panelSeq < record.viewSeq)).toBe(true);
    const last = records.at(-1)!;
    expect(last.panelSeq).toBe(last.viewSeq);
    expect(last.same).toBe(true);
  });

  // A loaded machine: frames of 25-50 ms, so every frame publishes and no frame of the panels' own comes between.
  for (const fps of [40, 30, 20]) {
    it(`at ${fps} frames a second a busy lab still tells the panels at least four times a second, and catches them up`, async () => {
      const frameMs = 1000 / fps;
      const perFrame = Math.round(6000 / fps); // 6,000 events/s
      const records = await run(perFrame, fps * 2, 12, frameMs);
      const busy = records.slice(Math.round(fps / 2)); // 1.5 s, once the event rate is known
      const panelFrames = busy.filter((record, i) => i > 0 && record.panelSeq !== busy[i - 1]!.panelSeq && record.atMs <= busy[0]!.atMs + 1500);
      expect(panelFrames.length, `panel updates in 1.5 s at ${fps} fps`).toBeGreaterThanOrEqual(6);
      expect(panelFrames.length).toBeLessThanOrEqual(16);
      const last = records.at(-1)!;
      expect(last.panelSeq).toBe(last.viewSeq);
      expect(last.same).toBe(true);
    });
  }

  it('a quiet lab publishes the panels with the cluster, in the same frame', async () => {
    const records = await run(4, 90, 6); // 240 events/s
    expect(records.every((record) => record.same)).toBe(true);
    expect(new Set(records.map((record) => record.viewSeq)).size).toBeGreaterThan(20);
  });
});
