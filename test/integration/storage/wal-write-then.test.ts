// Wal.writeThen: the node's write path. A write the WAL can do at once is written and synced inside the call, and its
// callback runs there, after the fdatasync: a follower's acknowledgement then leaves right after its sync instead of
// after the rest of that run's work. Writes issued after it in the same run still share the next sync (group
// commit). A callback that throws does not fail the WAL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWal } from '../../../src/node/storage';
import type { Persist } from '../../../src/raft/types';
import { entry, makeTempDir, removeDir } from './wal-test-support';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('write-then');
});
afterEach(async () => {
  await removeDir(dir);
});

/** The entries' indices a fresh open of the WAL recovers (the WAL under test closed first). */
async function recoveredIndices(): Promise<number[]> {
  const { wal, recovered } = await openWal(dir);
  await wal.close();
  return recovered.entries.map((e) => e.index);
}

function append(index: number, mustSync = true): Persist {
  return { snapshot: null, hardState: null, entries: [entry(index, 1)], mustSync };
}

describe('writeThen', () => {
  it('calls back inside the call, once the write is synced, and the write survives a reopen', async () => {
    const { wal } = await openWal(dir);
    const outcomes: (string | null)[] = [];
    wal.writeThen(append(1), (error) => outcomes.push(error?.message ?? null));
    expect(outcomes).toEqual([null]);
    expect(wal.stats()).toMatchObject({ writes: 1, syncs: 1 });
    await wal.close();
    expect(await recoveredIndices()).toEqual([1]);
  });

  it('calls back in order, and a write issued from a callback completes after the one that called it', async () => {
    const { wal } = await openWal(dir);
    const order: number[] = [];
    wal.writeThen(append(1), () => {
      order.push(1);
      wal.writeThen(append(2), () => order.push(2));
      order.push(1.5);
    });
    await wal.close(); // flushes whatever was still queued
    expect(order).toEqual([1, 1.5, 2]);
    expect(await recoveredIndices()).toEqual([1, 2]);
  });

  it('later writes of the same run share one sync, called back after it', async () => {
    const { wal } = await openWal(dir);
    const done: number[] = [];
    for (let index = 1; index <= 4; index++) wal.writeThen(append(index), () => done.push(index));
    expect(done).toEqual([1]); // the first at once; the others queued behind it
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toEqual([1, 2, 3, 4]);
    expect(wal.stats()).toMatchObject({ writes: 4, syncs: 2 });
    await wal.close();
  });

  it('a refused write is called back with its error inside the call and changes nothing', async () => {
    const { wal } = await openWal(dir);
    const outcomes: string[] = [];
    wal.writeThen(append(1), () => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    wal.writeThen(append(5), (error) => outcomes.push(error?.message ?? 'no error')); // a gap: not contiguous
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).not.toBe('no error');
    wal.writeThen(append(2), (error) => outcomes.push(error?.message ?? 'ok'));
    expect(outcomes[1]).toBe('ok');
    await wal.close();
    expect(await recoveredIndices()).toEqual([1, 2]);
  });

  it('an exception in a callback is thrown on its own and does not fail the WAL', async () => {
    const { wal } = await openWal(dir);
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => void uncaught.push(error);
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onUncaught);
    try {
      wal.writeThen(append(1), () => {
        throw new Error('the caller broke');
      });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.removeListener('uncaughtException', onUncaught);
      for (const listener of listeners) process.on('uncaughtException', listener);
    }
    expect(uncaught.map((error) => (error as Error).message)).toEqual(['the caller broke']);
    await expect(wal.write(append(2))).resolves.toBeUndefined();
    await wal.close();
    expect(await recoveredIndices()).toEqual([1, 2]);
  });
});
