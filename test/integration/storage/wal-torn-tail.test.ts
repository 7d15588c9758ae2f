import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openWal, WAL_FILE_NAME } from '../../../src/node/storage';
import type { Persist } from '../../../src/raft/types';
import { applyPersist, EMPTY_STATE, entry, makeTempDir, removeDir } from './wal-test-support';

const WRITES: readonly Persist[] = [
  { snapshot: null, hardState: { term: 1, votedFor: 1 }, entries: [entry(1, 1), entry(2, 1)], mustSync: true },
  { snapshot: null, hardState: null, entries: [entry(3, 1, 'naïve "quote"')], mustSync: true },
  { snapshot: null, hardState: { term: 2, votedFor: null }, entries: [entry(3, 2, 'replaced'), entry(4, 2, null)], mustSync: true },
];
const STATE_BEFORE_LAST = WRITES.slice(0, -1).reduce(applyPersist, EMPTY_STATE);
const NEXT_WRITE: Persist = { snapshot: null, hardState: null, entries: [entry(3, 3, 'after recovery')], mustSync: true };

let root: string;
/** The WAL as a file from before preallocation would hold it: the records, nothing after them. */
let fullFile: Buffer;
/** The same records as written today: followed by zeros up to the preallocated length. */
let preallocated: Buffer;
let lastRecordStart: number;
let dataEnd: number;

beforeAll(async () => {
  root = await makeTempDir('torn');
  const source = join(root, 'source');
  const { wal } = await openWal(source);
  for (const persist of WRITES.slice(0, -1)) await wal.write(persist);
  lastRecordStart = wal.stats().endBytes;
  await wal.write(WRITES[WRITES.length - 1]!);
  dataEnd = wal.stats().endBytes;
  await wal.close();
  preallocated = await readFile(join(source, WAL_FILE_NAME));
  fullFile = preallocated.subarray(0, dataEnd);
});
afterAll(async () => {
  await removeDir(root);
});

async function openDamaged(name: string, bytes: Buffer): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir);
  await writeFile(join(dir, WAL_FILE_NAME), bytes);
  return dir;
}

/** After recovery the file holds the intact prefix and only zeros after it, durably, before anything is appended. */
async function expectCutToZeros(dir: string, fileBytes: number, context: string): Promise<void> {
  const after = await readFile(join(dir, WAL_FILE_NAME));
  expect(after.length, context).toBe(fileBytes);
  expect(after.length, context).toBeGreaterThan(lastRecordStart);
  expect(after.subarray(0, lastRecordStart).equals(fullFile.subarray(0, lastRecordStart)), context).toBe(true);
  expect(after.subarray(lastRecordStart).every((byte) => byte === 0), `${context}: zeros after the intact prefix`).toBe(true);
}

/** Recovery of a torn last record, then an append where it was, then a clean reopen with exactly that state. */
async function expectTornLastRecord(dir: string, context: string, droppedBytes?: number): Promise<void> {
  const { wal, recovered, report } = await openWal(dir);
  expect(recovered, context).toEqual(STATE_BEFORE_LAST);
  expect(report.tornTail?.offset, context).toBe(lastRecordStart);
  if (droppedBytes !== undefined) expect(report.tornTail?.droppedBytes, context).toBe(droppedBytes);
  expect(report.validBytes, context).toBe(lastRecordStart);
  await expectCutToZeros(dir, report.fileBytes, context);

  await wal.write(NEXT_WRITE);
  await wal.close();
  const reopened = await openWal(dir);
  expect(reopened.recovered, context).toEqual(applyPersist(STATE_BEFORE_LAST, NEXT_WRITE));
  expect(reopened.report.tornTail, context).toBeNull();
  await reopened.wal.close();
  await removeDir(dir);
}

describe('torn tail', () => {
  it('a cut at every byte offset inside the last record (a file from before preallocation) is cut away and reported', async () => {
    expect(fullFile.length - lastRecordStart).toBeGreaterThan(20);
    for (let cut = lastRecordStart + 1; cut < fullFile.length; cut++) {
      const dir = await openDamaged(`cut-${cut}`, fullFile.subarray(0, cut));
      await expectTornLastRecord(dir, `cut at byte ${cut} of ${fullFile.length}`, cut - lastRecordStart);
    }
  });

  it('a write torn at every byte inside the preallocated space (its first bytes, then zeros) is a torn tail', async () => {
    for (let cut = lastRecordStart + 1; cut < dataEnd; cut++) {
      const damaged = Buffer.from(preallocated);
      damaged.fill(0, cut, dataEnd);
      const dir = await openDamaged(`zeroed-from-${cut}`, damaged);
      // With its length field whole, the torn write spans the record the header announces; with only part of it,
      // it spans what that part announces.
      await expectTornLastRecord(dir, `zeros from byte ${cut}`, cut >= lastRecordStart + 4 ? dataEnd - lastRecordStart : undefined);
    }
  });

  it('a write whose middle never reached the disk (header, a zeroed stretch, its end, then zeros) is a torn tail', async () => {
    const damaged = Buffer.from(preallocated);
    damaged.fill(0, lastRecordStart + 12, dataEnd - 3);
    await expectTornLastRecord(await openDamaged('zeroed-middle', damaged), 'zeroed middle of the last record', dataEnd - lastRecordStart);
  });

  it('a flipped byte in the last record (CRC mismatch, nothing after) is a torn tail', async () => {
    for (let position = lastRecordStart; position < fullFile.length; position += 7) {
      const damaged = Buffer.from(fullFile);
      damaged[position] = damaged[position]! ^ 0x40;
      await expectTornLastRecord(await openDamaged(`flip-last-${position}`, damaged), `flip at ${position}`);
    }
  });

  it('a flipped byte after the length field of the last record, zeros after it, is a torn tail', async () => {
    for (let position = lastRecordStart + 4; position < dataEnd; position += 5) {
      const damaged = Buffer.from(preallocated);
      damaged[position] = damaged[position]! ^ 0x40;
      const dir = await openDamaged(`flip-preallocated-${position}`, damaged);
      await expectTornLastRecord(dir, `flip at ${position}`, dataEnd - lastRecordStart);
    }
  });

  it('zeros after the last record are the clean end (preallocated space), not a torn tail', async () => {
    const dir = await openDamaged('zeros', Buffer.concat([fullFile, Buffer.alloc(4096)]));
    const { wal, recovered, report } = await openWal(dir);
    expect(recovered).toEqual(WRITES.reduce(applyPersist, EMPTY_STATE));
    expect(report.tornTail).toBeNull();
    expect(report).toMatchObject({ validBytes: dataEnd, fileBytes: dataEnd + 4096 });
    await wal.write(NEXT_WRITE);
    await wal.close();
    const reopened = await openWal(dir);
    expect(reopened.recovered).toEqual(applyPersist(WRITES.reduce(applyPersist, EMPTY_STATE), NEXT_WRITE));
    await reopened.wal.close();
  });

  it('a cut exactly at a record boundary is a clean file, with or without the zeros after it', async () => {
    const zeroedLast = Buffer.from(preallocated).fill(0, lastRecordStart, dataEnd);
    for (const [name, bytes] of [['boundary', fullFile.subarray(0, lastRecordStart)], ['boundary-zeros', zeroedLast]] as const) {
      const dir = await openDamaged(name, bytes);
      const { wal, recovered, report } = await openWal(dir);
      expect(recovered, name).toEqual(STATE_BEFORE_LAST);
      expect(report.tornTail, name).toBeNull();
      expect(report.validBytes, name).toBe(lastRecordStart);
      await wal.close();
    }
  });
});

describe('stale bytes after the end are never read back', () => {
  it('a long torn record, then a shorter record written over its start, then a crash: the rest of the torn bytes stay gone', async () => {
    const torn = Buffer.from(preallocated);
    torn[dataEnd - 1] = torn[dataEnd - 1]! ^ 0x01; // the whole record on disk but its CRC fails: every byte of it stale
    const dir = await openDamaged('stale-torn', torn);
    const { wal, report } = await openWal(dir);
    expect(report.tornTail?.offset).toBe(lastRecordStart);
    await wal.write(NEXT_WRITE);
    const newEnd = wal.stats().endBytes;
    expect(newEnd - lastRecordStart, 'the new record must be shorter than the torn one for this test').toBeLessThan(dataEnd - lastRecordStart);
    // The crash: the file as the disk holds it while the WAL is still open (the write was synced).
    const crashed = await openDamaged('stale-torn-crashed', await readFile(join(dir, WAL_FILE_NAME)));
    await wal.close();
    expect((await readFile(join(crashed, WAL_FILE_NAME))).subarray(newEnd).every((byte) => byte === 0)).toBe(true);
    const reopened = await openWal(crashed);
    expect(reopened.recovered).toEqual(applyPersist(STATE_BEFORE_LAST, NEXT_WRITE));
    expect(reopened.report).toMatchObject({ tornTail: null, validBytes: newEnd });
    await reopened.wal.close();
  });

  it('write, truncate conflicting entries, crash, reopen: the truncated entries are gone', async () => {
    const dir = join(root, 'conflict');
    const { wal } = await openWal(dir);
    const first: Persist = { snapshot: null, hardState: { term: 1, votedFor: 1 },
      entries: [1, 2, 3, 4, 5].map((index) => entry(index, 1, `old ${index} ${'x'.repeat(40)}`)), mustSync: true };
    const conflict: Persist = { snapshot: null, hardState: { term: 2, votedFor: 2 }, entries: [entry(3, 2, 'new 3')], mustSync: true };
    await wal.write(first);
    await wal.write(conflict);
    const crashed = await openDamaged('conflict-crashed', await readFile(join(dir, WAL_FILE_NAME)));
    await wal.close();
    const reopened = await openWal(crashed);
    expect(reopened.recovered).toEqual(applyPersist(applyPersist(EMPTY_STATE, first), conflict));
    expect(reopened.recovered.entries.map((e) => [e.index, e.term])).toEqual([[1, 1], [2, 1], [3, 2]]);
    // And after more writes and another crash, still gone.
    await reopened.wal.write({ snapshot: null, hardState: null, entries: [entry(4, 2, 'new 4')], mustSync: true });
    const again = await openDamaged('conflict-crashed-again', await readFile(join(crashed, WAL_FILE_NAME)));
    await reopened.wal.close();
    const last = await openWal(again);
    expect(last.recovered.entries.map((e) => [e.index, e.term, e.command])).toEqual(
      [[1, 1, first.entries[0]!.command], [2, 1, first.entries[1]!.command], [3, 2, 'new 3'], [4, 2, 'new 4']]);
    await last.wal.close();
  });
});
