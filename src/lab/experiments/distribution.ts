// Summary of trial times: quantiles over the values that arrived, with censored trials (no value within the cap)
// counted apart rather than dropped silently or counted as the cap.
import type { Distribution } from '../../protocol/experiments';

export function distribution(values: readonly (number | null)[]): Distribution {
  const finite = values.filter((value): value is number => value !== null && Number.isFinite(value)).sort((a, b) => a - b);
  const at = (q: number): number | null => finite.length === 0 ? null : finite[Math.min(finite.length - 1, Math.floor(q * finite.length))] ?? null;
  const mean = finite.length === 0 ? null : finite.reduce((sum, value) => sum + value, 0) / finite.length;
  return {
    count: values.length,
    censored: values.length - finite.length,
    minMs: finite[0] ?? null,
    p50Ms: at(0.5),
    meanMs: mean,
    p90Ms: at(0.9),
    p99Ms: at(0.99),
    maxMs: finite[finite.length - 1] ?? null,
  };
}
