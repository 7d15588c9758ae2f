import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { describeWal, openWal, WAL_FILE_NAME } from '../../../src/node/storage';
import { crc32c } from '../../../src/node/storage/crc32c';
import { EMPTY_STATE, entry, makeTempDir, removeDir } from './wal-test-support';
import { join } from 'node:path';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('roundtrip');
});
afterEach(async () => {
  await removeDir(dir);
});

describe('crc32c', () => {
  it('matches the published check value of CRC-32C ("123456789" -> 0xE3069283)', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('the 8-byte-at-a-time loop agrees with the bit-at-a-time definition on every length and alignment', () => {
    const bytes = Buffer.from(Array.from({ length: 96 }, (_, i) => (i * 151 + 7) & 0xff));
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= bytes.length; end++) {
        expect(crc32c(bytes, start, end), `[${start}, ${end})`).toBe(bitwiseCrc32c(bytes.subarray(start, end)));
      }
    }
  });

  it('chains: crc(a ‖ b) = crc(b, seed = crc(a))', () => {
    const bytes = Buffer.from('hello, write-ahead log');
    expect(crc32c(bytes, 7, bytes.length, crc32c(bytes, 0, 7))).toBe(crc32c(bytes));
  });
});

describe('WAL round trip', () => {
  it('a fresh directory recovers the empty state and reports a created file', async () => {
    const nested = join(dir, 'a', 'b');
    const { wal, recovered, report } = await openWal(nested);
    expect(recovered).toEqual(EMPTY_STATE);
    expect(report.createdFile).toBe(true);
    expect(report.tornTail).toBeNull();
    await wal.close();
    // A fresh file is the header and one preallocation step of zeros (default 1 MiB): free for appends.
    const preallocated = 1024 * 1024;
    expect(report.fileBytes).toBe(preallocated);
    expect(await describeWal(nested)).toEqual({ records: 0, bytes: preallocated, dataBytes: 8, freeBytes: preallocated - 8,
      snapshotIndex: 0, lastIndex: 0, term: 0, votedFor: null });
  });

  it('recovers after close exactly what was written', async () => {
    const first = await openWal(dir);
    await first.wal.write({ snapshot: null, hardState: { term: 2, votedFor: 3 }, entries: [entry(1, 1), entry(2, 2)], mustSync: true });
    await first.wal.write({ snapshot: null, hardState: null, entries: [entry(3, 2, null)], mustSync: true });
    await first.wal.close();

    const second = await openWal(dir);
    expect(second.recovered).toEqual({
      hardState: { term: 2, votedFor: 3 },
      entries: [entry(1, 1), entry(2, 2), entry(3, 2, null)],
    });
    expect(second.report).toMatchObject({ createdFile: false, records: 2, lastIndex: 3, term: 2, tornTail: null });
    await second.wal.close();
  });

  it('replays "replace the stored suffix from entries[0].index" (a follower truncating a conflict)', async () => {
    const first = await openWal(dir);
    await first.wal.write({ snapshot: null, hardState: null, entries: [entry(1, 1), entry(2, 1), entry(3, 1), entry(4, 1)], mustSync: true });
    await first.wal.write({ snapshot: null, hardState: { term: 2, votedFor: null }, entries: [entry(3, 2, 'new3')], mustSync: true });
    await first.wal.write({ snapshot: null, hardState: null, entries: [entry(4, 2, 'new4'), entry(5, 2)], mustSync: true });
    await first.wal.write({ snapshot: null, hardState: null, entries: [entry(2, 2, 'again2')], mustSync: true });
    await first.wal.close();

    const { wal, recovered } = await openWal(dir);
    expect(recovered.entries).toEqual([entry(1, 1), entry(2, 2, 'again2')]);
    expect(recovered.hardState).toEqual({ term: 2, votedFor: null });
    await wal.close();
  });

  it('keeps hard-state-only records (vote then term change, no entries)', async () => {
    const first = await openWal(dir);
    await first.wal.write({ snapshot: null, hardState: { term: 1, votedFor: null }, entries: [], mustSync: true });
    await first.wal.write({ snapshot: null, hardState: { term: 1, votedFor: 2 }, entries: [], mustSync: true });
    await first.wal.close();
    const second = await openWal(dir);
    expect(second.recovered).toEqual({ hardState: { term: 1, votedFor: 2 }, entries: [] });
    await second.wal.write({ snapshot: null, hardState: { term: 5, votedFor: null }, entries: [], mustSync: true });
    await second.wal.close();
    const third = await openWal(dir);
    expect(third.recovered.hardState).toEqual({ term: 5, votedFor: null });
    await third.wal.close();
    expect(await describeWal(dir)).toMatchObject({ records: 3, lastIndex: 0, term: 5 });
  });

  it('splits a batch too big for one record into several that replay as one', async () => {
    const big = 'x'.repeat(300_000);
    const entries = Array.from({ length: 12 }, (_, i) => entry(i + 1, 1, `${i}${big}`));
    const first = await openWal(dir);
    await first.wal.write({ snapshot: null, hardState: { term: 1, votedFor: 1 }, entries, mustSync: true });
    await first.wal.close();
    const description = await describeWal(dir);
    expect(description.records).toBeGreaterThan(1);
    const { wal, recovered } = await openWal(dir);
    expect(recovered.entries).toEqual(entries);
    await wal.close();
  });

  it('refuses writes that would store an impossible log, and leaves the state unchanged', async () => {
    const { wal } = await openWal(dir);
    await wal.write({ snapshot: null, hardState: { term: 3, votedFor: null }, entries: [entry(1, 1)], mustSync: true });
    await expect(wal.write({ snapshot: null, hardState: null, entries: [entry(3, 3)], mustSync: true })).rejects.toThrow(/gap|ends at 1/);
    await expect(
      wal.write({ snapshot: null, hardState: null, entries: [entry(2, 3), entry(4, 3)], mustSync: true }),
    ).rejects.toThrow(/contiguous/);
    await expect(
      wal.write({ snapshot: null, hardState: { term: 2, votedFor: null }, entries: [], mustSync: true }),
    ).rejects.toThrow(/went back/);
    await expect(
      wal.write({ snapshot: null, hardState: { term: 4, votedFor: null }, entries: [entry(2, 4), entry(4, 4)], mustSync: true }),
    ).rejects.toThrow(/contiguous/);
    expect(wal.stats()).toMatchObject({ lastIndex: 1, term: 3 });
    await wal.close();
    const reopened = await openWal(dir);
    expect(reopened.recovered).toEqual({ hardState: { term: 3, votedFor: null }, entries: [entry(1, 1)] });
    await reopened.wal.close();
  });

  it('rejects writes after close (and close is idempotent)', async () => {
    const { wal } = await openWal(dir);
    await Promise.all([wal.close(), wal.close()]);
    await wal.close();
    await expect(wal.write({ snapshot: null, hardState: { term: 1, votedFor: null }, entries: [], mustSync: true })).rejects.toThrow(
      /closed/,
    );
  });

  it('describeWal of a directory without a WAL is all zeros and creates nothing', async () => {
    expect(await describeWal(join(dir, 'nothing-here'))).toEqual({ records: 0, bytes: 0, dataBytes: 0, freeBytes: 0,
      snapshotIndex: 0, lastIndex: 0, term: 0, votedFor: null });
    await expect(readFile(join(dir, 'nothing-here', WAL_FILE_NAME))).rejects.toThrow(/ENOENT/);
  });
});

function bitwiseCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}
