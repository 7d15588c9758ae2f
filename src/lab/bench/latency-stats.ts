// Latency samples and their summary. Bounded: past the cap, reservoir sampling keeps a uniform sample.
export const MAX_SAMPLES = 200_000;

export class LatencySamples {
  private readonly samples: number[] = [];
  private seen = 0;

  add(latencyMs: number): void {
    this.seen += 1;
    if (this.samples.length < MAX_SAMPLES) this.samples.push(latencyMs);
    else {
      const slot = Math.floor(Math.random() * this.seen);
      if (slot < MAX_SAMPLES) this.samples[slot] = latencyMs;
    }
  }

  get count(): number {
    return this.seen;
  }

  summary(): LatencySummary {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (q: number): number => sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
    return { count: this.seen, p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: sorted[sorted.length - 1] ?? NaN };
  }
}

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export function formatMs(ms: number): string {
  return Number.isFinite(ms) ? `${ms.toFixed(ms < 10 ? 2 : 1)} ms` : 'n/a';
}
