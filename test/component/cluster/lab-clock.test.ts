// @vitest-environment happy-dom
// The cluster's animation clock (useLabClock): live, it advances with the frames' own timestamps, ~30 times a second,
// never behind the newest event; elsewhere it is the view's moment. Frames are driven by hand.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick, ref, type Ref } from 'vue';
import { mount } from '@vue/test-utils';
import { useLabClock } from '../../../renderer/src/composables/useLabClock';
import { FRAME_MS, frameDriver } from '../frame-driver';

const NS_PER_MS = 1_000_000;

function mountClock(viewAtNs: Ref<number>, live: Ref<boolean>): Ref<number> {
  let clock: Ref<number> | null = null;
  mount(defineComponent({ setup() { clock = useLabClock(viewAtNs, live); return () => h('div'); } }));
  if (!clock) throw new Error('useLabClock did not run');
  return clock;
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('useLabClock', () => {
  it('moves by the frames\' own timestamps, whatever time each callback runs at', async () => {
    const frames = frameDriver();
    // The newest event happened at browser time 1000 ms: the lab clock is 5 s ahead of the browser's.
    const viewAtNs = ref(6000 * NS_PER_MS);
    const clock = mountClock(viewAtNs, ref(true));
    const drawn: number[] = [];
    const lateness = [0.5, 6, 1, 5, 0.2, 4, 3, 0.1, 6, 2, 0.5, 5];
    for (const lateMs of lateness) {
      frames.frame(lateMs);
      drawn.push(clock.value);
    }
    await nextTick();
    const steps = drawn.slice(1).map((value, i) => (value - (drawn[i] as number)) / NS_PER_MS).filter((stepMs) => stepMs > 0);
    // ~30 frames a second (every other frame), each step exactly two frames long although callbacks ran 0.1-6 ms late.
    expect(steps.length).toBeGreaterThanOrEqual(5);
    for (const stepMs of steps) expect(stepMs).toBeCloseTo(2 * FRAME_MS, 6);
  });

  it('is never behind the newest event, and is the view\'s moment when not live', async () => {
    const frames = frameDriver();
    const viewAtNs = ref(6000 * NS_PER_MS);
    const live = ref(true);
    const clock = mountClock(viewAtNs, live);
    frames.frame(0);
    frames.frame(0);
    expect(clock.value).toBeGreaterThanOrEqual(viewAtNs.value);
    live.value = false;
    viewAtNs.value = 1234 * NS_PER_MS;
    await nextTick();
    expect(clock.value).toBe(1234 * NS_PER_MS);
    frames.frame(0);
    expect(clock.value).toBe(1234 * NS_PER_MS);
  });
});
