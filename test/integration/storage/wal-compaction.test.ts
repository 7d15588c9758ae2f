import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { access, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeWal, openWal, WAL_FILE_NAME, WAL_TEMP_FILE_NAME } from '../../../src/node/storage';
import type { Persist } from '../../../src/raft/types';
import { applyPersist, copySnapshotFiles, entry, lastIndexOf, makeTempDir, makeWorkload, removeDir } from './wal-test-support';

const SEED = 20240611;
const PREALLOCATE_BYTES = 1024 * 1024; // the default

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('compact');
});
afterEach(async () => {
  await removeDir(dir);
});

describe('compaction', () => {
  it('compact() rewrites the file smaller and the state survives reopen, with later writes appended', async () => {
    const workload = makeWorkload(SEED, 300);
    const { wal } = await openWal(dir);
    for (const persist of workload.persists) await wal.write({ ...persist, mustSync: false });
    const bytesBefore = wal.stats().endBytes;
    await wal.compact();
    const stats = wal.stats();
    expect(stats.compactions).toBe(1);
    expect(stats.endBytes, `seed ${SEED}`).toBeLessThan(bytesBefore);
    // The rewritten file is preallocated too: its data, then zeros up to the next preallocation step.
    expect(stats.fileBytes % PREALLOCATE_BYTES, `seed ${SEED}`).toBe(0);
    expect(stats.fileBytes - stats.endBytes, `seed ${SEED}`).toBeGreaterThan(0);
    expect(stats.fileBytes - stats.endBytes, `seed ${SEED}`).toBeLessThanOrEqual(PREALLOCATE_BYTES);
    expect((await readFile(join(dir, WAL_FILE_NAME))).subarray(stats.endBytes).every((byte) => byte === 0)).toBe(true);
    const final = workload.states[workload.states.length - 1]!;
    const next = entry(lastIndexOf(final) + 1, final.hardState.term + 1, 'after compaction');
    const after: Persist = { snapshot: null, hardState: { term: next.term, votedFor: null }, entries: [next], mustSync: true };
    await wal.write(after);
    await wal.close();

    const { wal: reopened, recovered } = await openWal(dir);
    expect(final.snapshot, `seed ${SEED}: the workload should include snapshots`).toBeDefined();
    expect(recovered, `seed ${SEED}`).toEqual(applyPersist(final, after));
    await reopened.close();
  });

  it('compacts on its own once the file passes compactMinBytes, keeping the file bounded', async () => {
    const { wal } = await openWal(dir, { compactMinBytes: 4096, preallocateBytes: 1024 });
    // A leader re-proposing at the same few indexes: lots of bytes written, little state kept.
    for (let round = 1; round <= 400; round++) {
      const base = Math.max(1, wal.stats().lastIndex - 2);
      await wal.write({ snapshot: null, hardState: null, entries: [entry(base, 1, `r${round}`), entry(base + 1, 1)], mustSync: false });
    }
    const stats = wal.stats();
    expect(stats.compactions).toBeGreaterThan(0);
    expect(stats.endBytes).toBeLessThan(2 * 4096 + 200);
    // Disk use: the data and at most one preallocation step of zeros after it.
    expect(stats.fileBytes).toBeLessThanOrEqual(stats.endBytes + 1024);
    expect((await stat(join(dir, WAL_FILE_NAME))).size).toBe(stats.fileBytes);
    const expected = stats.lastIndex;
    await wal.close();
    const { wal: reopened, recovered } = await openWal(dir);
    expect(recovered.entries.length).toBe(expected);
    expect(recovered.entries.map((e) => e.index)).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
    await reopened.close();
  });

  it('writes racing a compaction all land, in order', async () => {
    const { wal } = await openWal(dir);
    await wal.write({ snapshot: null, hardState: { term: 1, votedFor: 1 }, entries: [entry(1, 1)], mustSync: true });
    const pending: Promise<void>[] = [];
    for (let index = 2; index <= 40; index++) {
      pending.push(wal.write({ snapshot: null, hardState: null, entries: [entry(index, 1)], mustSync: index % 3 === 0 }));
      if (index % 10 === 0) pending.push(wal.compact());
    }
    await Promise.all(pending);
    expect(wal.stats().compactions).toBeGreaterThan(0);
    await wal.close();
    const { wal: reopened, recovered } = await openWal(dir);
    expect(recovered.entries.map((e) => e.index)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    await reopened.close();
  });
});

describe('crash during compaction', () => {
  async function liveAndCompactedBytes(): Promise<{ live: Buffer; compacted: Buffer; state: unknown }> {
    const source = join(dir, 'source');
    const workload = makeWorkload(SEED + 1, 120);
    const { wal } = await openWal(source);
    for (const persist of workload.persists) await wal.write({ ...persist, mustSync: false });
    await wal.close();
    const live = await readFile(join(source, WAL_FILE_NAME));
    const again = await openWal(source);
    await again.wal.compact();
    await again.wal.close();
    const compacted = await readFile(join(source, WAL_FILE_NAME));
    return { live, compacted, state: workload.states[workload.states.length - 1] };
  }

  it('a half-written temp file (crash before the rename) is ignored and removed', async () => {
    const { live, compacted, state } = await liveAndCompactedBytes();
    for (const tempBytes of [compacted.subarray(0, compacted.length >> 1), compacted, Buffer.from('garbage')]) {
      const node = join(dir, `node-${tempBytes.length}`);
      await mkdir(node);
      await writeFile(join(node, WAL_FILE_NAME), live);
      await copySnapshotFiles(join(dir, 'source'), node);
      await writeFile(join(node, WAL_TEMP_FILE_NAME), tempBytes);
      // describeWal is read-only: it must not clean up either.
      await describeWal(node);
      await access(join(node, WAL_TEMP_FILE_NAME));

      const { wal, recovered, report } = await openWal(node);
      expect(recovered, `seed ${SEED + 1}`).toEqual(state);
      expect(report.removedTempFile).toBe(true);
      await expect(access(join(node, WAL_TEMP_FILE_NAME))).rejects.toThrow(/ENOENT/);
      expect((await readFile(join(node, WAL_FILE_NAME))).equals(live)).toBe(true);
      await wal.close();
    }
  });

  it('a crash after the rename leaves the compacted file, which recovers the same state', async () => {
    const { compacted, state } = await liveAndCompactedBytes();
    const node = join(dir, 'renamed');
    await mkdir(node);
    await writeFile(join(node, WAL_FILE_NAME), compacted);
    await copySnapshotFiles(join(dir, 'source'), node);
    const { wal, recovered, report } = await openWal(node);
    expect(recovered, `seed ${SEED + 1}`).toEqual(state);
    expect(report.removedTempFile).toBe(false);
    await wal.close();
  });
});
