// The lab's side of the lab clock (src/protocol/lab-clock.ts): it alone decides lab time. A new cluster starts at
// lab time 0; slow motion, freezing, running and steps each start a new segment, which the controller sends to
// every node and publishes to the UI.
import { labTimeAt, MAX_TIME_SCALE, MIN_TIME_SCALE, type LabClockSegment } from '../protocol/lab-clock';
import { monotonicNowNs } from '../shared/monotonic-clock';

export class LabTimeKeeper {
  private segment: LabClockSegment;

  constructor(timeScale: number, private readonly nowNs: () => number = monotonicNowNs) {
    this.segment = { anchorNs: nowNs(), labMs: 0, timeScale: checkedScale(timeScale), frozen: false };
  }

  get current(): LabClockSegment {
    return this.segment;
  }

  get frozen(): boolean {
    return this.segment.frozen;
  }

  nowMs(): number {
    return labTimeAt(this.segment, this.nowNs());
  }

  /** A new cluster: lab time starts again at 0, running (or stopped, to be stepped from its very start). */
  restart(timeScale: number, frozen = false): LabClockSegment {
    return this.begin(0, checkedScale(timeScale), frozen);
  }

  freeze(): LabClockSegment {
    return this.begin(this.nowMs(), this.segment.timeScale, true);
  }

  run(): LabClockSegment {
    return this.begin(this.nowMs(), this.segment.timeScale, false);
  }

  setTimeScale(timeScale: number): LabClockSegment {
    return this.begin(this.nowMs(), checkedScale(timeScale), this.segment.frozen);
  }

  /** Frozen only: lab time jumps forward to labMs (a step), never back. */
  advanceTo(labMs: number): LabClockSegment {
    if (!this.segment.frozen) throw new Error('lab time only jumps while the cluster is frozen');
    return this.begin(Math.max(this.segment.labMs, labMs), this.segment.timeScale, true);
  }

  private begin(labMs: number, timeScale: number, frozen: boolean): LabClockSegment {
    this.segment = { anchorNs: this.nowNs(), labMs, timeScale, frozen };
    return this.segment;
  }
}

function checkedScale(timeScale: number): number {
  if (!(timeScale >= MIN_TIME_SCALE && timeScale <= MAX_TIME_SCALE)) {
    throw new Error(`time scale must be ${MIN_TIME_SCALE}..${MAX_TIME_SCALE}, got ${timeScale}`);
  }
  return timeScale;
}
