// Time <-> pixels for the visible window, and the axis ticks.

export const GUTTER_PX = 56;
export const RIGHT_PAD_PX = 10;
export const AXIS_PX = 22;
export const LANE_PX = 38;
export const CLIENT_LANE_PX = 30;
/**
 * Font sizes of the lanes' names, the bands' words and a student's own message types' names: drawn at these sizes
 * (timeline-svg.ts's styles) and kept apart by them (timeline-layout.ts, text-boxes.ts).
 */
export const LABEL_FONT_PX = { lane: 12, band: 10, other: 9 } as const;

export interface TimeScale {
  readonly startNs: number;
  readonly endNs: number;
  readonly widthPx: number;
  x(timeNs: number): number;
  timeAt(xPx: number): number;
}

export function timeScale(startNs: number, endNs: number, widthPx: number): TimeScale {
  const plotPx = Math.max(1, widthPx - GUTTER_PX - RIGHT_PAD_PX);
  const spanNs = Math.max(1, endNs - startNs);
  return {
    startNs, endNs, widthPx,
    x: (timeNs) => GUTTER_PX + ((timeNs - startNs) / spanNs) * plotPx,
    timeAt: (xPx) => startNs + ((xPx - GUTTER_PX) / plotPx) * spanNs,
  };
}

const TICK_STEPS_NS = [1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8, 2e8, 5e8, 1e9, 2e9, 5e9, 1e10, 3e10, 6e10, 1.2e11, 3e11, 6e11];
const MIN_TICK_GAP_PX = 90;

/** Round ticks at least MIN_TICK_GAP_PX apart, labelled relative to `originNs`. */
export function axisTicks(scale: TimeScale, originNs: number): { x: number; label: string }[] {
  const spanNs = scale.endNs - scale.startNs;
  const plotPx = scale.widthPx - GUTTER_PX - RIGHT_PAD_PX;
  const step = TICK_STEPS_NS.find((candidate) => (candidate / spanNs) * plotPx >= MIN_TICK_GAP_PX) ?? TICK_STEPS_NS[TICK_STEPS_NS.length - 1] as number;
  const ticks: { x: number; label: string }[] = [];
  const first = Math.ceil((scale.startNs - originNs) / step) * step + originNs;
  for (let t = first; t <= scale.endNs && ticks.length < 64; t += step) {
    ticks.push({ x: scale.x(t), label: formatOffset(t - originNs, step) });
  }
  return ticks;
}

function formatOffset(offsetNs: number, stepNs: number): string {
  if (stepNs >= 1e9) return `${(offsetNs / 1e9).toFixed(stepNs >= 1e10 ? 0 : 1)} s`;
  return `${(offsetNs / 1e6).toFixed(0)} ms`;
}
