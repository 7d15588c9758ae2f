// The Ready pipeline's deferred work on a node's event loop: `soon` is setImmediate (inputs of one turn form one
// Ready batch), wake-ups are setTimeout at the real time the lab clock reaches the core's deadline (never while
// the lab clock is frozen: only a step moves it then).
//
// A timer already armed to fire no later than the new deadline is kept: the wake-up may then come early, which is
// harmless (the pipeline's onTimer ticks the core, which fires only what is due, and asks again). The deadline moves
// with nearly every input (a follower's election timer with each AppendEntries), and a fresh setTimeout plus a
// clearTimeout per Ready batch were a measurable share of a node's allocations and timer-list work per write.
// While the lab clock is frozen no timer is armed at all: a frozen node acts only on the lab's word (a step), and a
// timer kept from before the freeze, or one armed for "never" (capped at MAX_TIMER_MS), would fire a deadline that a
// step had reached without stepping this node. The runtime asks again after every clock change (resume, step).

import type { RuntimeScheduler } from '../../runtime/ports';
import type { LabClock } from './lab-clock';

/** Longest single timer; a longer wait re-arms (a lab clock change may move the deadline's real time anyway). */
const MAX_TIMER_MS = 60_000;

export class EventLoopScheduler implements RuntimeScheduler {
  private timer: NodeJS.Timeout | null = null;
  /** performance.now() when the armed timer fires. */
  private timerDueMs = Infinity;
  private wake: (() => void) | null = null;
  private readonly onTimeout = (): void => {
    this.timer = null;
    this.timerDueMs = Infinity;
    if (!this.clock.frozen) this.wake?.();
  };

  constructor(private readonly clock: LabClock) {}

  soon(task: () => void): void {
    setImmediate(task);
  }

  wakeAt(deadlineMs: number, wake: () => void): void {
    this.wake = wake;
    if (this.clock.frozen) {
      this.cancel();
      return;
    }
    const delayMs = Math.min(this.clock.realDelayUntilMs(deadlineMs), MAX_TIMER_MS);
    const dueMs = performance.now() + delayMs;
    if (this.timer !== null && this.timerDueMs <= dueMs) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerDueMs = dueMs;
    this.timer = setTimeout(this.onTimeout, delayMs);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerDueMs = Infinity;
  }
}
