// Hand-driven animation frames for component tests: requestAnimationFrame and performance.now() stubbed (vi), so a
// test decides when each frame comes, which timestamp it carries and how late its callbacks run.
import { vi } from 'vitest';

export const FRAME_MS = 1000 / 60;

export interface FrameDriver {
  /** What performance.now() reads. */
  readonly nowMs: number;
  /**
   * The next frame, `frameMs` after the last: its callbacks run with the frame's timestamp while performance.now()
   * reads `lateMs` later (a callback run late within its frame).
   */
  frame(lateMs?: number): void;
}

/** Call in a test (undo with vi.restoreAllMocks() and vi.unstubAllGlobals()); the first frame comes at 1000 + frameMs. */
export function frameDriver(frameMs = FRAME_MS): FrameDriver {
  let stampMs = 1000;
  let nowMs = stampMs;
  let callbacks: FrameRequestCallback[] = [];
  vi.spyOn(performance, 'now').mockImplementation(() => nowMs);
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => callbacks.push(callback));
  vi.stubGlobal('cancelAnimationFrame', () => undefined);
  return {
    get nowMs() { return nowMs; },
    frame(lateMs = 0): void {
      stampMs += frameMs;
      nowMs = stampMs + lateMs;
      const due = callbacks;
      callbacks = [];
      for (const callback of due) callback(stampMs);
    },
  };
}
