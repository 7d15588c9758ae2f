// "Now" on the lab's shared monotonic clock, for animation. At the live edge it advances every animation frame:
// the browser's clock plus an offset learned from the newest event times (an event is seen after it happened, so
// the largest offset observed is the best estimate). Anywhere else (scrubbing, replay, paused view) it is the view's
// own moment, so the picture is exactly the recorded one.
//
// A frame's moment is its own timestamp (the vsync it is drawn for), not the time its callback happens to run, which
// varies with what ran before it (a long task when the vsync came, other frame callbacks): positions taken from
// performance.now() moved a message by uneven steps from frame to frame although the frames are shown evenly.
import { onBeforeUnmount, ref, watch, type Ref } from 'vue';

const NS_PER_MS = 1_000_000;
/** About 30 frames a second: smooth enough for a timer arc or a crawling message, half the work of 60. */
const MIN_FRAME_GAP_MS = 30;

export function useLabClock(viewAtNs: Ref<number>, live: Ref<boolean>): Ref<number> {
  const nowNs = ref(viewAtNs.value);
  let offsetNs: number | null = null;
  let frame: number | null = null;
  let lastDrawnMs = -Infinity;

  const browserNowNs = (): number => performance.now() * NS_PER_MS;

  function learnOffset(atNs: number): void {
    const observed = atNs - browserNowNs();
    offsetNs = offsetNs === null ? observed : Math.max(offsetNs, observed);
  }

  function tick(frameMs: number = performance.now()): void {
    frame = null;
    if (!live.value) return;
    if (frameMs - lastDrawnMs >= MIN_FRAME_GAP_MS) {
      lastDrawnMs = frameMs;
      const frameNs = frameMs * NS_PER_MS;
      // Never behind the newest event: the view must not show messages "before" they were sent.
      nowNs.value = Math.max(viewAtNs.value, frameNs + (offsetNs ?? viewAtNs.value - browserNowNs()));
    }
    frame = requestAnimationFrame(tick);
  }

  function stop(): void {
    if (frame !== null) cancelAnimationFrame(frame);
    frame = null;
  }

  watch([viewAtNs, live], ([atNs, isLive]) => {
    if (!isLive) {
      stop();
      nowNs.value = atNs;
      return;
    }
    if (atNs > 0) learnOffset(atNs);
    if (frame === null) tick();
  }, { immediate: true });

  onBeforeUnmount(stop);
  return nowNs;
}
