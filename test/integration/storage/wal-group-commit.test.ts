import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openWal, WAL_FILE_NAME, type Wal } from '../../../src/node/storage';
import type { Persist } from '../../../src/raft/types';
import { entry, makeTempDir, removeDir } from './wal-test-support';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('group');
});
afterEach(async () => {
  await removeDir(dir);
});

function append(index: number, mustSync = true): Persist {
  return { snapshot: null, hardState: null, entries: [entry(index, 1)], mustSync };
}

/** `writers` concurrent loops, each awaiting its own writes; indexes are taken at call time, so the log is dense. */
async function runWriters(wal: Wal, writers: number, writesPerWriter: number): Promise<void> {
  let nextIndex = 1;
  const writer = async (): Promise<void> => {
    for (let i = 0; i < writesPerWriter; i++) await wal.write(append(nextIndex++));
  };
  await Promise.all(Array.from({ length: writers }, writer));
}

describe('group commit', () => {
  it('one writer waiting on each write pays one fdatasync per write', async () => {
    const { wal } = await openWal(dir);
    for (let index = 1; index <= 20; index++) await wal.write(append(index));
    expect(wal.stats()).toMatchObject({ writes: 20, syncs: 20, batches: 20 });
    await wal.close();
  });

  it('writes issued in one go share fdatasyncs (the first is written at once, the rest queue behind it)', async () => {
    const { wal } = await openWal(dir);
    await Promise.all(Array.from({ length: 64 }, (_, i) => wal.write(append(i + 1))));
    const stats = wal.stats();
    expect(stats.writes).toBe(64);
    expect(stats.syncs).toBeLessThanOrEqual(2);
    await wal.close();
    const { wal: reopened, recovered } = await openWal(dir);
    expect(recovered.entries.map((e) => e.index)).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
    await reopened.close();
  });

  it('64 concurrent writer loops need far fewer syncs than writes, and every write lands in order', async () => {
    const { wal } = await openWal(dir);
    await runWriters(wal, 64, 10);
    const stats = wal.stats();
    expect(stats.writes).toBe(640);
    // Each batch after the first carries the writes that queued during the previous sync: about 64 per sync.
    expect(stats.syncs, `syncs per write ${stats.syncs / stats.writes}`).toBeLessThanOrEqual(640 / 8);
    await wal.close();
    const { wal: reopened, recovered } = await openWal(dir);
    expect(recovered.entries.length).toBe(640);
    await reopened.close();
  });

  it('the queue is bounded: excess writes wait their turn and still land in call order', async () => {
    const { wal } = await openWal(dir, { maxQueuedWrites: 4 });
    await Promise.all(Array.from({ length: 50 }, (_, i) => wal.write(append(i + 1))));
    const stats = wal.stats();
    expect(stats.writes).toBe(50);
    expect(stats.batches).toBeGreaterThanOrEqual(Math.ceil(50 / 4));
    await wal.close();
    const { wal: reopened, recovered } = await openWal(dir);
    expect(recovered.entries.map((e) => e.index)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    await reopened.close();
  });

  it('a batch never exceeds maxBatchBytes (unless one write alone does)', async () => {
    const { wal } = await openWal(dir, { maxBatchBytes: 64 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => wal.write(append(i + 1))));
    // Each framed append is ~30 bytes, so at most two fit in 64 bytes.
    expect(wal.stats().batches).toBeGreaterThanOrEqual(5);
    await wal.close();
  });

  it('refuses writes beyond maxWaitingWrites instead of queueing without bound', async () => {
    const { wal } = await openWal(dir, { maxQueuedWrites: 1, maxWaitingWrites: 2 });
    // Write 1 goes straight to disk, 2 fills the queue, 3 and 4 wait; 5 finds the waiting line full.
    const accepted = [1, 2, 3, 4].map((index) => wal.write(append(index)));
    await expect(wal.write(append(5))).rejects.toThrow(/waiting/);
    await Promise.all(accepted);
    expect(wal.stats().lastIndex).toBe(4);
    await wal.close();
  });
});

describe('mustSync = false', () => {
  it('writes without fdatasync', async () => {
    const { wal } = await openWal(dir);
    for (let index = 1; index <= 5; index++) await wal.write(append(index, false));
    expect(wal.stats()).toMatchObject({ writes: 5, syncs: 0 });
    await wal.close();
    const { wal: reopened, recovered } = await openWal(dir);
    expect(recovered.entries.length).toBe(5);
    await reopened.close();
  });

  it('with unsyncedHoldMs, holds the write in memory until a mustSync write flushes it', async () => {
    const { wal } = await openWal(dir, { unsyncedHoldMs: 60_000 });
    const path = join(dir, WAL_FILE_NAME);
    // The file is preallocated, so its size does not show a write: its bytes do.
    const emptyFile = await readFile(path);
    let heldDone = false;
    const held = wal.write(append(1, false)).then(() => {
      heldDone = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(heldDone).toBe(false);
    expect((await readFile(path)).equals(emptyFile)).toBe(true);
    await wal.write(append(2, true));
    await held;
    expect(wal.stats()).toMatchObject({ writes: 2, syncs: 1, batches: 1 });
    await wal.close();
  });

  it('with unsyncedHoldMs, a held write is written when the hold expires', async () => {
    const { wal } = await openWal(dir, { unsyncedHoldMs: 5 });
    await wal.write(append(1, false));
    expect(wal.stats()).toMatchObject({ writes: 1, syncs: 0 });
    await wal.close();
  });

  it('close() writes held writes out', async () => {
    const { wal } = await openWal(dir, { unsyncedHoldMs: 60_000 });
    const held = wal.write(append(1, false));
    await wal.close();
    await held;
    const { wal: reopened, recovered } = await openWal(dir);
    expect(recovered.entries.length).toBe(1);
    await reopened.close();
  });
});
