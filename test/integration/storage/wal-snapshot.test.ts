// Snapshots in the WAL (§7): the snapshot file is durable before the record that refers to it, recovery reads and
// verifies it, a crash between the two leaves an orphan that the next open deletes, damage is refused loudly.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openWal, snapshotFileName, WalCorruptionError, WAL_FILE_NAME } from '../../../src/node/storage';
import { readSnapshotFile, SNAPSHOT_DATA_FRAME_BYTES, SNAPSHOT_MAGIC, writeSnapshotFile } from '../../../src/node/storage/snapshot-file';
import { readFrame } from '../../../src/node/storage/record-frame';
import type { Entry, Persist } from '../../../src/raft/types';
import { entry, makeTempDir, removeDir } from './wal-test-support';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('snapshot');
});
afterEach(async () => {
  await removeDir(dir);
});

function entries(first: number, last: number, term: number): Entry[] {
  return Array.from({ length: last - first + 1 }, (_, offset) => entry(first + offset, term));
}

function append(list: Entry[], hardStateTerm: number | null = null): Persist {
  return { snapshot: null, hardState: hardStateTerm === null ? null : { term: hardStateTerm, votedFor: 1 }, entries: list, mustSync: true };
}

function snapshotAt(index: number, term: number, data: string, list: Entry[] = []): Persist {
  return { snapshot: { lastIncludedIndex: index, lastIncludedTerm: term, data }, hardState: null, entries: list, mustSync: false };
}

async function snapshotFiles(): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.snap')).sort();
}

describe('WAL snapshots', () => {
  it('a snapshot taken here drops the entries it covers and survives reopen with the entries after it', async () => {
    const { wal } = await openWal(dir);
    await wal.write(append(entries(1, 10, 1), 1));
    await wal.write(snapshotAt(6, 1, 'state after 6: naïve 日本 🚀'));
    expect(wal.stats()).toMatchObject({ snapshotIndex: 6, lastIndex: 10, snapshots: 1 });
    await wal.write(append(entries(11, 12, 1)));
    await wal.close();
    expect(await snapshotFiles()).toEqual(['snapshot-6-1.snap']);

    const { wal: reopened, recovered, report } = await openWal(dir);
    expect(recovered).toEqual({ hardState: { term: 1, votedFor: 1 },
      snapshot: { lastIncludedIndex: 6, lastIncludedTerm: 1, data: 'state after 6: naïve 日本 🚀' }, entries: entries(7, 12, 1) });
    expect(report).toMatchObject({ snapshotIndex: 6, lastIndex: 12, removedSnapshotFiles: [] });
    await reopened.close();
  });

  it('a newer snapshot replaces the older one, whose file is deleted once the new reference is durable', async () => {
    const { wal } = await openWal(dir);
    await wal.write(append(entries(1, 20, 2), 2));
    await wal.write(snapshotAt(5, 2, 'five'));
    await wal.write(snapshotAt(15, 2, 'fifteen'));
    expect(await snapshotFiles()).toEqual(['snapshot-15-2.snap']);
    await wal.close();
    const { wal: reopened, recovered } = await openWal(dir);
    expect(recovered.snapshot).toEqual({ lastIncludedIndex: 15, lastIncludedTerm: 2, data: 'fifteen' });
    expect(recovered.entries).toEqual(entries(16, 20, 2));
    await reopened.close();
  });

  it('an installed snapshot that does not match the log (Figure 13) drops the whole log; its suffix follows', async () => {
    const { wal } = await openWal(dir);
    await wal.write(append(entries(1, 8, 1), 3));
    // The leader's snapshot ends at 6 in term 3; our entry 6 has term 1: nothing of ours after it can be kept.
    await wal.write(snapshotAt(6, 3, 'leader state', entries(7, 7, 3)));
    expect(wal.stats()).toMatchObject({ snapshotIndex: 6, lastIndex: 7 });
    // One past our end: everything goes, nothing follows.
    await wal.write(snapshotAt(30, 3, 'later leader state'));
    expect(wal.stats()).toMatchObject({ snapshotIndex: 30, lastIndex: 30 });
    await wal.close();
    const { wal: reopened, recovered } = await openWal(dir);
    expect(recovered).toEqual({ hardState: { term: 3, votedFor: 1 },
      snapshot: { lastIncludedIndex: 30, lastIncludedTerm: 3, data: 'later leader state' }, entries: [] });
    await reopened.close();
  });

  it('a snapshot larger than one WAL record (16 MiB) round-trips through its file', async () => {
    const { wal } = await openWal(dir);
    await wal.write(append(entries(1, 3, 1), 1));
    const big = 'é🚀x'.repeat(3 * 1024 * 1024); // 21 MiB of UTF-8, with pairs split across 1 MiB frames somewhere
    await wal.write(snapshotAt(2, 1, big));
    await wal.close();
    const { wal: reopened, recovered } = await openWal(dir);
    expect(recovered.snapshot?.data === big).toBe(true);
    expect(recovered.entries).toEqual(entries(3, 3, 1));
    await reopened.close();
  });

  it('a snapshot file is written in frames of at most 64 KiB of data, characters never split, read back whole', async () => {
    // Each frame is encoded into one reused buffer: no UTF-8 copy of the whole data is made (docs/benchmarks.md).
    const ref = { index: 9, term: 2, generation: 1, bytes: 0 };
    const data = `x${'é🚀日'.repeat(40_000)}`; // 3-, 4- and 2-byte characters, so frame ends fall mid-character
    const sized = { ...ref, bytes: Buffer.byteLength(data, 'utf8') };
    await expect(writeSnapshotFile(dir, ref, data)).rejects.toThrow(`its reference says 0`);
    await writeSnapshotFile(dir, sized, data);
    const bytes = await readFile(join(dir, snapshotFileName(sized)));
    const payloads: Buffer[] = [];
    for (let offset = SNAPSHOT_MAGIC.length; offset < bytes.length;) {
      const frame = readFrame(bytes, offset);
      if (!frame.ok) throw new Error(`frame at ${offset}: ${frame.reason}`);
      payloads.push(frame.payload);
      offset = frame.nextOffset;
    }
    const dataFrames = payloads.slice(1);
    expect(dataFrames.length).toBeGreaterThanOrEqual(Math.ceil(sized.bytes / SNAPSHOT_DATA_FRAME_BYTES));
    expect(dataFrames.reduce((sum, payload) => sum + payload.length, 0)).toBe(sized.bytes);
    for (const payload of dataFrames) {
      expect(payload.length).toBeLessThanOrEqual(SNAPSHOT_DATA_FRAME_BYTES);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(payload)).not.toThrow();
    }
    expect(await readSnapshotFile(dir, sized)).toBe(data);
  });

  it('refuses a snapshot that does not move forward, or entries rewriting the compacted prefix, changing nothing', async () => {
    const { wal } = await openWal(dir);
    await wal.write(append(entries(1, 10, 1), 1));
    await wal.write(snapshotAt(6, 1, 'six'));
    await expect(wal.write(snapshotAt(6, 1, 'six again'))).rejects.toThrow(/does not follow/);
    await expect(wal.write(snapshotAt(4, 1, 'older'))).rejects.toThrow(/does not follow/);
    await expect(wal.write(append([entry(5, 2)]))).rejects.toThrow(/compacted/);
    await expect(wal.write(snapshotAt(0, 1, 'zero'))).rejects.toThrow(/invalid/);
    expect(wal.stats()).toMatchObject({ snapshotIndex: 6, lastIndex: 10 });
    await wal.close();
    const { wal: reopened, recovered } = await openWal(dir);
    expect(recovered.snapshot?.data).toBe('six');
    expect(recovered.entries).toEqual(entries(7, 10, 1));
    await reopened.close();
  });

  it('writes racing compactions and snapshots all land in order', async () => {
    const { wal } = await openWal(dir, { compactAfterSnapshotMinBytes: 1 });
    await wal.write(append(entries(1, 1, 1), 1));
    const pending: Promise<void>[] = [];
    for (let index = 2; index <= 200; index++) {
      pending.push(wal.write(append([entry(index, 1)])));
      if (index % 25 === 0) pending.push(wal.write(snapshotAt(index - 5, 1, `state ${index - 5}`)));
      if (index % 40 === 0) pending.push(wal.compact());
    }
    await Promise.all(pending);
    expect(wal.stats().compactions).toBeGreaterThan(0);
    await wal.close();
    expect(await snapshotFiles()).toHaveLength(1);
    const { wal: reopened, recovered } = await openWal(dir);
    expect(recovered.snapshot).toMatchObject({ lastIncludedIndex: 195, data: 'state 195' });
    expect(recovered.entries).toEqual(entries(196, 200, 1));
    await reopened.close();
  });

  it('after a snapshot the WAL file is compacted down to the entries after it', async () => {
    const { wal } = await openWal(dir, { compactAfterSnapshotMinBytes: 64 * 1024 });
    const command = 'x'.repeat(200);
    for (let index = 1; index <= 2000; index++) {
      await wal.write({ ...append([entry(index, 1, command)], index === 1 ? 1 : null), mustSync: false });
      if (index % 500 === 0) await wal.write(snapshotAt(index - 10, 1, `state ${index - 10}`));
    }
    const stats = wal.stats();
    expect(stats.compactions).toBeGreaterThan(0);
    expect(stats.endBytes).toBeLessThan(200 * 1024);
    expect(stats.fileBytes).toBeLessThanOrEqual(stats.endBytes + 1024 * 1024); // one preallocation step at most
    await wal.close();
    const { wal: reopened, recovered } = await openWal(dir);
    expect(recovered.snapshot?.lastIncludedIndex).toBe(1990);
    expect(recovered.entries.map((e) => e.index)).toEqual(Array.from({ length: 10 }, (_, i) => 1991 + i));
    await reopened.close();
  });
});

describe('WAL snapshots: crashes and damage', () => {
  async function walWithSnapshot(): Promise<string> {
    const { wal } = await openWal(dir);
    await wal.write(append(entries(1, 10, 1), 1));
    await wal.write(snapshotAt(6, 1, 'x'.repeat(3 * 1024 * 1024)));
    await wal.close();
    return join(dir, 'snapshot-6-1.snap');
  }

  it('a crash after the snapshot file but before its record: the orphan file is deleted, the old state recovered', async () => {
    const { wal } = await openWal(dir);
    await wal.write(append(entries(1, 10, 1), 1));
    await wal.close();
    const orphan = { index: 8, term: 1, generation: 1, bytes: 5 };
    await writeSnapshotFile(dir, orphan, 'eight');
    await writeFile(join(dir, 'snapshot.tmp'), 'half a snapshot');
    const { wal: reopened, recovered, report } = await openWal(dir);
    expect(recovered).toEqual({ hardState: { term: 1, votedFor: 1 }, entries: entries(1, 10, 1) });
    expect([...report.removedSnapshotFiles].sort()).toEqual([snapshotFileName(orphan), 'snapshot.tmp']);
    expect(await snapshotFiles()).toEqual([]);
    await reopened.close();
  });

  it('a missing snapshot file is corruption naming the file; nothing is changed', async () => {
    const path = await walWithSnapshot();
    const walBefore = await readFile(join(dir, WAL_FILE_NAME));
    await writeFile(join(dir, 'unrelated.snap.bak'), 'x');
    await removeDir(path);
    const error: unknown = await openWal(dir).then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(WalCorruptionError);
    expect((error as WalCorruptionError).path).toBe(path);
    expect((error as Error).message).toMatch(/cannot be read/);
    expect((await readFile(join(dir, WAL_FILE_NAME))).equals(walBefore)).toBe(true);
  });

  it('a flipped byte in the snapshot file is corruption naming the file and the damaged frame', async () => {
    const path = await walWithSnapshot();
    const original = await readFile(path);
    for (const position of [3, 20, 1024 * 1024 + 100, original.length - 1]) {
      const damaged = Buffer.from(original);
      damaged[position]! ^= 0x01;
      await writeFile(path, damaged);
      const error: unknown = await openWal(dir).then(() => null, (caught: unknown) => caught);
      expect(error, `byte ${position}`).toBeInstanceOf(WalCorruptionError);
      const corruption = error as WalCorruptionError;
      expect(corruption.path).toBe(path);
      expect(corruption.offset, `byte ${position}`).toBeLessThanOrEqual(position);
      expect(await snapshotFiles(), 'the damaged file is left in place').toEqual(['snapshot-6-1.snap']);
    }
    await writeFile(path, original.subarray(0, original.length - 10));
    await expect(openWal(dir)).rejects.toThrow(WalCorruptionError);
    await writeFile(path, original);
    const { wal, recovered } = await openWal(dir);
    expect(recovered.snapshot?.lastIncludedIndex).toBe(6);
    await wal.close();
  });
});
