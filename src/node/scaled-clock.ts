// Slow motion: the core's clock runs `timeScale` times slower than the machine's, so every timeout (and, in the
// transport, every injected delay) is multiplied by the time scale. Changing the scale never makes time go back.
import { monotonicNowMs } from './clock';

export class ScaledClock {
  private baseRealMs: number;
  private baseCoreMs: number;

  constructor(private scale: number, now: () => number = monotonicNowMs) {
    this.now = now;
    this.baseRealMs = now();
    this.baseCoreMs = 0;
  }

  private readonly now: () => number;

  get timeScale(): number {
    return this.scale;
  }

  /** The core's time, ms (starts at 0). */
  coreNowMs(): number {
    return this.baseCoreMs + (this.now() - this.baseRealMs) / this.scale;
  }

  /** How long to wait, in real ms, until the core's clock reaches `coreMs`. */
  realDelayUntilMs(coreMs: number): number {
    return Math.max(0, (coreMs - this.coreNowMs()) * this.scale);
  }

  /** The real monotonic time (ms) at which the core's clock reads `coreMs`. */
  realTimeOfMs(coreMs: number): number {
    return this.baseRealMs + (coreMs - this.baseCoreMs) * this.scale;
  }

  setTimeScale(scale: number): void {
    if (!(scale >= 1 && scale <= 100)) throw new RangeError(`time scale must be within 1..100, got ${scale}`);
    this.baseCoreMs = this.coreNowMs();
    this.baseRealMs = this.now();
    this.scale = scale;
  }
}
