// Progress of a run in its own units (trials, or seconds of load) and the time it should still take, from the
// average pace so far.
import type { ExperimentProgress } from '../../protocol/experiments';

export class ProgressClock {
  private readonly startedMs = performance.now();
  private done = 0;
  private current = '';

  constructor(private readonly total: number) {}

  advance(units: number): void {
    this.done = Math.min(this.total, this.done + units);
  }

  describe(current: string): void {
    this.current = current;
  }

  snapshot(): ExperimentProgress {
    const elapsedMs = performance.now() - this.startedMs;
    return { done: this.done, total: this.total, elapsedMs, etaMs: etaMs(this.done, this.total, elapsedMs), current: this.current };
  }
}

export function etaMs(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || total <= 0) return null;
  return Math.max(0, (elapsedMs / done) * (total - done));
}
