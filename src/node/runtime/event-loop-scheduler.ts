// The Ready pipeline's deferred work on a node's event loop: `soon` is setImmediate (inputs of one turn form one
// Ready batch), wake-ups are setTimeout at the real time the lab clock reaches the core's deadline (never while
// the lab clock is frozen: only a step moves it then).

import type { RuntimeScheduler } from '../../runtime/ports';
import type { LabClock } from './lab-clock';

/** Longest single timer; a longer wait re-arms (a lab clock change may move the deadline's real time anyway). */
const MAX_TIMER_MS = 60_000;

export class EventLoopScheduler implements RuntimeScheduler {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly clock: LabClock) {}

  soon(task: () => void): void {
    setImmediate(task);
  }

  wakeAt(deadlineMs: number, wake: () => void): void {
    this.cancel();
    const delayMs = this.clock.realDelayUntilMs(deadlineMs);
    this.timer = setTimeout(() => {
      this.timer = null;
      wake();
    }, Math.min(delayMs, MAX_TIMER_MS));
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
