// A node's reading of the lab clock (src/protocol/lab-clock.ts): the core's time. The lab sends each change as a
// segment; this process reads the machine's shared monotonic clock through it, so every node agrees on lab time
// (to within the moment a change reaches each of them). Lab time never goes back here, even if a change arrives a
// little after this process already read past the new segment's start.
import { labTimeAt, machineTimeOf, type LabClockSegment } from '../../protocol/lab-clock';
import { monotonicNowNs } from '../../shared/monotonic-clock';

export class LabClock {
  private segment: LabClockSegment;
  /** The largest lab time handed out: the core's tick must never go back. */
  private floorMs = 0;

  constructor(segment: LabClockSegment, private readonly nowNs: () => number = monotonicNowNs) {
    this.segment = segment;
  }

  get frozen(): boolean {
    return this.segment.frozen;
  }

  get timeScale(): number {
    return this.segment.timeScale;
  }

  /** Lab time now, ms: what the core is ticked with. */
  nowMs(): number {
    this.floorMs = Math.max(this.floorMs, labTimeAt(this.segment, this.nowNs()));
    return this.floorMs;
  }

  /** How long to wait, in real ms, until lab time reaches labMs; Infinity while frozen (only a step moves it). */
  realDelayUntilMs(labMs: number): number {
    if (this.segment.frozen) return Infinity;
    return Math.max(0, (labMs - this.nowMs()) * this.segment.timeScale);
  }

  /** Machine time (ns) at which lab time reaches labMs, or null while frozen. For the UI's timer arcs. */
  machineTimeOfNs(labMs: number): number | null {
    return machineTimeOf(this.segment, labMs);
  }

  apply(segment: LabClockSegment): void {
    this.nowMs(); // keep what was already read as the floor
    this.segment = segment;
  }
}

/** A clock that starts running now at lab time 0 (tests, and anything without a lab). */
export function runningLabClock(timeScale = 1, nowNs: () => number = monotonicNowNs): LabClock {
  return new LabClock({ anchorNs: nowNs(), labMs: 0, timeScale, frozen: false }, nowNs);
}
