// Child process for wal-process-crash.test.ts: node --import tsx wal-crash-child.ts <dir> <seed> <writes>
// Replays the seeded workload into the WAL with mustSync, a few writes in flight at a time (so group commit is in
// play), and prints "ack <n>" once the n-th write is durable. The parent SIGKILLs it at a random moment.

import { openWal } from '../../../src/node/storage';
import { makeRng, makeWorkload } from './wal-test-support';

async function main(): Promise<void> {
  const [dir, seedText, writesText] = process.argv.slice(2);
  if (dir === undefined || seedText === undefined || writesText === undefined) {
    throw new Error('usage: wal-crash-child.ts <dir> <seed> <writes>');
  }
  const seed = Number(seedText);
  const { persists } = makeWorkload(seed, Number(writesText), true);
  const rng = makeRng(seed ^ 0x5bd1e995);
  const { wal } = await openWal(dir);
  let acked = 0;
  let next = 0;
  while (next < persists.length) {
    const inFlight = Math.min(rng.int(1, 8), persists.length - next);
    const writes = persists.slice(next, next + inFlight).map((persist) =>
      wal.write(persist).then(() => {
        acked++;
        // stdout to a pipe is synchronous on Linux: once the parent reads this line, the write was durable.
        process.stdout.write(`ack ${acked}\n`);
      }),
    );
    next += inFlight;
    await Promise.all(writes);
  }
  await wal.close();
  process.stdout.write('done\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
