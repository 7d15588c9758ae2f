import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
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
let fullFile: Buffer;
let lastRecordStart: number;

beforeAll(async () => {
  root = await makeTempDir('torn');
  const source = join(root, 'source');
  const { wal } = await openWal(source);
  for (const persist of WRITES.slice(0, -1)) await wal.write(persist);
  lastRecordStart = wal.stats().fileBytes;
  await wal.write(WRITES[WRITES.length - 1]!);
  await wal.close();
  fullFile = await readFile(join(source, WAL_FILE_NAME));
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

describe('torn tail', () => {
  it('a cut at every byte offset inside the last record is truncated, reported, and the WAL stays appendable', async () => {
    expect(fullFile.length - lastRecordStart).toBeGreaterThan(20);
    for (let cut = lastRecordStart + 1; cut < fullFile.length; cut++) {
      const dir = await openDamaged(`cut-${cut}`, fullFile.subarray(0, cut));
      const { wal, recovered, report } = await openWal(dir);
      const context = `cut at byte ${cut} of ${fullFile.length}`;
      expect(recovered, context).toEqual(STATE_BEFORE_LAST);
      expect(report.tornTail, context).toMatchObject({ offset: lastRecordStart, droppedBytes: cut - lastRecordStart });
      expect(report.validBytes, context).toBe(lastRecordStart);
      expect((await readFile(join(dir, WAL_FILE_NAME))).length, context).toBe(lastRecordStart);

      await wal.write(NEXT_WRITE);
      await wal.close();
      const reopened = await openWal(dir);
      expect(reopened.recovered, context).toEqual(applyPersist(STATE_BEFORE_LAST, NEXT_WRITE));
      expect(reopened.report.tornTail, context).toBeNull();
      await reopened.wal.close();
      await removeDir(dir);
    }
  });

  it('a flipped byte in the last record (CRC mismatch, nothing after) is a torn tail', async () => {
    for (let position = lastRecordStart; position < fullFile.length; position += 7) {
      const damaged = Buffer.from(fullFile);
      damaged[position] = damaged[position]! ^ 0x40;
      const dir = await openDamaged(`flip-last-${position}`, damaged);
      const { wal, recovered, report } = await openWal(dir);
      expect(recovered, `flip at ${position}`).toEqual(STATE_BEFORE_LAST);
      expect(report.tornTail?.offset, `flip at ${position}`).toBe(lastRecordStart);
      await wal.close();
      await removeDir(dir);
    }
  });

  it('zeros after the last record (file size extended, data never written) are a torn tail', async () => {
    const dir = await openDamaged('zeros', Buffer.from(fullFile));
    await appendFile(join(dir, WAL_FILE_NAME), Buffer.alloc(4096));
    const { wal, recovered, report } = await openWal(dir);
    expect(recovered).toEqual(WRITES.reduce(applyPersist, EMPTY_STATE));
    expect(report.tornTail).toMatchObject({ offset: fullFile.length, droppedBytes: 4096 });
    await wal.close();
  });

  it('a cut exactly at a record boundary is a clean file', async () => {
    const dir = await openDamaged('boundary', fullFile.subarray(0, lastRecordStart));
    const { wal, recovered, report } = await openWal(dir);
    expect(recovered).toEqual(STATE_BEFORE_LAST);
    expect(report.tornTail).toBeNull();
    await wal.close();
  });
});
