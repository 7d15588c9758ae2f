// The node's wake-ups: one timer at the core's next deadline. A deadline that moves later keeps the timer already
// armed (it fires early, and the pipeline asks again); one that moves earlier re-arms it; cancel stops it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventLoopScheduler } from '../../../src/node/runtime/event-loop-scheduler';
import { LabClock } from '../../../src/node/runtime/lab-clock';

describe('EventLoopScheduler.wakeAt', () => {
  let wakes: number[];
  let clock: LabClock;
  let scheduler: EventLoopScheduler;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    wakes = [];
    clock = new LabClock({ anchorNs: 0, labMs: 0, timeScale: 1, frozen: false }, () => performance.now() * 1e6);
    scheduler = new EventLoopScheduler(clock);
  });
  afterEach(() => {
    scheduler.cancel();
    vi.useRealTimers();
  });
  const wake = (): void => void wakes.push(performance.now());

  it('keeps the armed timer when the deadline moves later, so no timer is made per input', () => {
    scheduler.wakeAt(100, wake);
    const armed = vi.getTimerCount();
    for (let deadline = 101; deadline < 200; deadline += 1) scheduler.wakeAt(deadline, wake);
    expect(vi.getTimerCount()).toBe(armed);
    vi.advanceTimersByTime(100);
    expect(wakes).toEqual([100]); // early for the last deadline (199): the pipeline asks again
    scheduler.wakeAt(199, wake);
    vi.advanceTimersByTime(99);
    expect(wakes).toEqual([100, 199]);
  });

  it('re-arms when the deadline moves earlier, and wakes only once for it', () => {
    scheduler.wakeAt(100, wake);
    scheduler.wakeAt(30, wake);
    vi.advanceTimersByTime(30);
    expect(wakes).toEqual([30]);
    vi.advanceTimersByTime(100);
    expect(wakes).toEqual([30]);
  });

  it('while the lab clock is frozen, replaces the armed timer (no wake-up from before the freeze)', () => {
    scheduler.wakeAt(100, wake);
    clock.apply({ anchorNs: performance.now() * 1e6, labMs: clock.nowMs(), timeScale: 1, frozen: true });
    scheduler.wakeAt(100, wake); // what the runtime's reschedule asks after a clock change
    vi.advanceTimersByTime(1000);
    expect(wakes).toEqual([]);
  });

  it('while frozen, arms nothing: a node whose deadline a step reached fires only when stepped, never 60 s later', () => {
    clock.apply({ anchorNs: performance.now() * 1e6, labMs: 150, timeScale: 1, frozen: true });
    scheduler.wakeAt(150, wake); // due now in lab time: another node's step moved the frozen clock here
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(120_000);
    expect(wakes).toEqual([]);
    clock.apply({ anchorNs: performance.now() * 1e6, labMs: 150, timeScale: 1, frozen: false });
    scheduler.wakeAt(150, wake); // resume: the runtime reschedules, and the due deadline fires at once
    vi.advanceTimersByTime(0);
    expect(wakes).toEqual([120_000]);
  });

  it('wakes nobody after cancel, and arms afresh after it', () => {
    scheduler.wakeAt(50, wake);
    scheduler.cancel();
    vi.advanceTimersByTime(100);
    expect(wakes).toEqual([]);
    scheduler.wakeAt(150, wake);
    vi.advanceTimersByTime(50);
    expect(wakes).toEqual([150]);
  });
});
