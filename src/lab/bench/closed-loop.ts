// A closed-loop load: C workers, each issuing its next operation as soon as the previous one is answered, for a
// fixed time. The same driver measures Raft Lab and etcd, so their numbers compare.
import { LatencySamples, type LatencySummary } from './latency-stats';

export interface LoadResult {
  readonly opsPerSecond: number;
  readonly latency: LatencySummary;
  readonly errors: number;
  readonly seconds: number;
}

export async function runClosedLoop(workers: number, seconds: number, operation: (worker: number, n: number) => Promise<boolean>): Promise<LoadResult> {
  const samples = new LatencySamples();
  let errors = 0;
  const startedMs = performance.now();
  const untilMs = startedMs + seconds * 1000;
  await Promise.all(Array.from({ length: workers }, async (_, worker) => {
    for (let n = 0; performance.now() < untilMs; n += 1) {
      const opStartMs = performance.now();
      const ok = await operation(worker, n);
      if (ok) samples.add(performance.now() - opStartMs);
      else errors += 1;
    }
  }));
  const elapsedS = (performance.now() - startedMs) / 1000;
  return { opsPerSecond: samples.count / elapsedS, latency: samples.summary(), errors, seconds: elapsedS };
}
