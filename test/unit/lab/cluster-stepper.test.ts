// The lab's choice of the next step and its own clock: the earliest thing in lab time, in a total order (so a
// stepped session replays the same way), and lab time that only jumps forward while frozen.
import { describe, expect, it } from 'vitest';
import { ClusterStepper } from '../../../src/lab/cluster-stepper';
import { LabTimeKeeper } from '../../../src/lab/lab-time-keeper';

describe('ClusterStepper.pickNext', () => {
  it('picks the earliest timer or delivery; ties: deliveries first, then the lower node id', () => {
    const pending = [
      { node: 3, nextTimerMs: 120, nextHeld: { id: 'm3', deliverAtMs: 130 } },
      { node: 2, nextTimerMs: 130, nextHeld: null },
      { node: 1, nextTimerMs: 200, nextHeld: { id: 'm1', deliverAtMs: 120 } },
    ];
    expect(ClusterStepper.pickNext(pending, 100)).toEqual({ kind: 'deliver', node: 1, atMs: 120, messageId: 'm1' });
    expect(ClusterStepper.pickNext(pending.slice(0, 2), 100)).toEqual({ kind: 'timer', node: 3, atMs: 120, messageId: null });
  });

  it('never picks a time before now, and nothing when nothing is pending', () => {
    expect(ClusterStepper.pickNext([{ node: 1, nextTimerMs: 10, nextHeld: null }], 50)?.atMs).toBe(50);
    expect(ClusterStepper.pickNext([{ node: 1, nextTimerMs: null, nextHeld: null }], 50)).toBeNull();
  });
});

describe('LabTimeKeeper', () => {
  it('starts at 0, slows down, freezes, jumps forward only while frozen, and runs on from there', () => {
    let nowNs = 5e9;
    const clock = new LabTimeKeeper(10, () => nowNs);
    nowNs += 1e9;
    expect(clock.nowMs()).toBeCloseTo(100);
    expect(() => clock.advanceTo(500)).toThrow(/frozen/);
    clock.freeze();
    nowNs += 1e9;
    expect(clock.nowMs()).toBeCloseTo(100);
    clock.advanceTo(150);
    clock.advanceTo(120);
    expect(clock.nowMs()).toBeCloseTo(150);
    clock.run();
    nowNs += 1e8;
    expect(clock.nowMs()).toBeCloseTo(160);
    expect(() => clock.setTimeScale(0)).toThrow(/time scale/);
  });
});
