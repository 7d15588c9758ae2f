import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../../../src/node/transport/bounded-queue';
import { planDelivery } from '../../../src/node/transport/delivery-plan';
import { NO_LINK_FAULTS } from '../../../src/protocol/link-faults';
import { seededRandom, testSeed } from './transport-harness';

describe('planDelivery', () => {
  it('passes a fault-free frame at once without drawing randomness', () => {
    const noRandom = (): number => {
      throw new Error('drew randomness on a fault-free link');
    };
    expect(planDelivery(NO_LINK_FAULTS, 5, noRandom)).toEqual({ fate: 'sent', copyDelaysMs: [0] });
  });

  it('lets nothing through a blocked link, whatever else is set', () => {
    expect(planDelivery({ ...NO_LINK_FAULTS, blocked: true, duplicateProbability: 1 }, 1, Math.random).fate).toBe('blocked');
  });

  it('scales delay plus jitter by the time scale and keeps each copy within [delay, delay + jitter)', () => {
    const seed = testSeed('planDelivery jitter');
    const random = seededRandom(seed);
    const faults = { ...NO_LINK_FAULTS, delayMs: 10, jitterMs: 5, duplicateProbability: 1 };
    for (let round = 0; round < 1000; round += 1) {
      const plan = planDelivery(faults, 3, random);
      expect(plan.fate).toBe('duplicated');
      expect(plan.copyDelaysMs).toHaveLength(2);
      for (const delayMs of plan.copyDelaysMs) {
        expect(delayMs, `seed=${seed}`).toBeGreaterThanOrEqual(30);
        expect(delayMs, `seed=${seed}`).toBeLessThan(45);
      }
    }
  });

  it('drops about dropProbability of the frames', () => {
    const seed = testSeed('planDelivery drop rate');
    const random = seededRandom(seed);
    const frames = 20_000;
    let dropped = 0;
    for (let round = 0; round < frames; round += 1) {
      if (planDelivery({ ...NO_LINK_FAULTS, dropProbability: 0.25 }, 1, random).fate === 'dropped') dropped += 1;
    }
    // 6 standard deviations of a binomial(20000, 0.25) is ~367 frames.
    expect(Math.abs(dropped - frames * 0.25), `seed=${seed}`).toBeLessThan(400);
  });
});

describe('BoundedQueue', () => {
  it('is FIFO across wrap-around and refuses items beyond its capacity', () => {
    const queue = new BoundedQueue<number>(3);
    expect([queue.push(1), queue.push(2), queue.push(3), queue.push(4)]).toEqual([true, true, true, false]);
    expect(queue.shift()).toBe(1);
    expect(queue.push(5)).toBe(true);
    expect([queue.shift(), queue.shift(), queue.shift(), queue.shift()]).toEqual([2, 3, 5, undefined]);
    queue.push(6);
    expect(queue.clear()).toBe(1);
    expect(queue.length).toBe(0);
    expect(() => new BoundedQueue<number>(0)).toThrow(RangeError);
  });
});
