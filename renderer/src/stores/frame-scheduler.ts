// Runs a callback on the next animation frame, or after a short timeout when frames stop (a hidden tab gets no
// frames, and events must not pile up unapplied meanwhile).
const HIDDEN_TAB_FALLBACK_MS = 100;

export interface FrameScheduler {
  /** Schedules `run` once; further calls before it runs are ignored. */
  request(): void;
  cancel(): void;
}

export function createFrameScheduler(run: (nowMs: number) => void): FrameScheduler {
  let frameHandle: number | null = null;
  let timerHandle: ReturnType<typeof setTimeout> | null = null;
  const hasFrames = typeof requestAnimationFrame === 'function';
  const cancel = (): void => {
    if (frameHandle !== null && hasFrames) cancelAnimationFrame(frameHandle);
    if (timerHandle !== null) clearTimeout(timerHandle);
    frameHandle = null;
    timerHandle = null;
  };
  const fire = (): void => {
    if (frameHandle === null && timerHandle === null) return;
    cancel();
    run(typeof performance === 'object' ? performance.now() : Date.now());
  };
  return {
    request() {
      if (frameHandle !== null || timerHandle !== null) return;
      if (hasFrames) frameHandle = requestAnimationFrame(fire);
      timerHandle = setTimeout(fire, HIDDEN_TAB_FALLBACK_MS);
    },
    cancel,
  };
}
