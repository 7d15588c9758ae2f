// Empirical distribution of trial times. A censored trial (no value within the cap) still counts in the
// denominator, so a CDF with censored trials stops short of 100%: the missing part is honest, not hidden.
import type { Point } from './svg-figure';

/** Staircase points (x = ms, y = fraction of all trials at or below x), starting at (first value, 0). */
export function cdfPoints(values: readonly (number | null)[]): Point[] {
  const finite = values.filter((value): value is number => value !== null && Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return [];
  const total = values.length;
  const points: Point[] = [[finite[0] ?? 0, 0]];
  finite.forEach((value, index) => points.push([value, (index + 1) / total]));
  return points;
}
