// Benchmark (not a test): npx tsx src/node/storage/bench-wal.ts [singleWrites] [concurrentSeconds]
// Prints append+fdatasync latency for one writer, group-commit throughput for 64 concurrent writers, and replay speed.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Persist } from '../../raft/types';
import { openWal, type Wal } from './index';

const COMMAND = JSON.stringify({ op: 'put', key: 'user:42', value: 'x'.repeat(64) });

function append(index: number): Persist {
  return { snapshot: null, hardState: null, entries: [{ index, term: 1, command: COMMAND }], mustSync: true };
}

function percentileMs(sortedMs: readonly number[], fraction: number): number {
  const position = Math.min(sortedMs.length - 1, Math.floor(fraction * sortedMs.length));
  return sortedMs[position] ?? Number.NaN;
}

async function singleWriter(wal: Wal, writes: number): Promise<void> {
  const latenciesMs: number[] = [];
  for (let index = 1; index <= writes; index++) {
    const startedMs = performance.now();
    await wal.write(append(index));
    latenciesMs.push(performance.now() - startedMs);
  }
  latenciesMs.sort((a, b) => a - b);
  console.log(
    `single writer: ${writes} appends+fdatasync  p50 ${percentileMs(latenciesMs, 0.5).toFixed(3)} ms` +
      `  p99 ${percentileMs(latenciesMs, 0.99).toFixed(3)} ms  syncs/write ${(wal.stats().syncs / writes).toFixed(2)}`,
  );
}

async function concurrentWriters(wal: Wal, writers: number, durationMs: number): Promise<void> {
  const before = wal.stats();
  let nextIndex = before.lastIndex + 1;
  const deadlineMs = performance.now() + durationMs;
  const writer = async (): Promise<void> => {
    while (performance.now() < deadlineMs) await wal.write(append(nextIndex++));
  };
  const startedMs = performance.now();
  await Promise.all(Array.from({ length: writers }, writer));
  const elapsedS = (performance.now() - startedMs) / 1000;
  const after = wal.stats();
  const writes = after.writes - before.writes;
  const syncs = after.syncs - before.syncs;
  console.log(
    `${writers} concurrent writers: ${(writes / elapsedS).toFixed(0)} writes/s, ${(syncs / elapsedS).toFixed(0)} ` +
      `syncs/s, ${(syncs / writes).toFixed(3)} syncs/write (${(writes / syncs).toFixed(1)} writes per fdatasync)`,
  );
}

async function replaySpeed(dir: string): Promise<void> {
  const { wal, report } = await openWal(dir);
  const megabytes = report.validBytes / (1024 * 1024);
  console.log(
    `replay: ${report.records} records, ${megabytes.toFixed(1)} MiB in ${report.durationMs.toFixed(1)} ms ` +
      `(${(megabytes / (report.durationMs / 1000)).toFixed(0)} MiB/s)`,
  );
  await wal.close();
}

async function main(): Promise<void> {
  const singleWrites = Number(process.argv[2] ?? 2000);
  const concurrentSeconds = Number(process.argv[3] ?? 3);
  const dir = await mkdtemp(join(tmpdir(), 'raft-lab-bench-wal-'));
  try {
    const { wal } = await openWal(dir);
    await singleWriter(wal, singleWrites);
    await concurrentWriters(wal, 64, concurrentSeconds * 1000);
    await wal.close();
    await replaySpeed(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
