import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeWal, openWal, WalCorruptionError, WAL_FILE_NAME } from '../../../src/node/storage';
import { encodeFrame } from '../../../src/node/storage/record-frame';
import { entry, makeTempDir, removeDir } from './wal-test-support';

let root: string;
let fullFile: Buffer;
let middleStart: number;
let middleEnd: number;
let dataEnd: number;

beforeAll(async () => {
  root = await makeTempDir('corrupt');
  const source = join(root, 'source');
  const { wal } = await openWal(source);
  await wal.write({ snapshot: null, hardState: { term: 1, votedFor: 2 }, entries: [entry(1, 1)], mustSync: true });
  middleStart = wal.stats().endBytes;
  await wal.write({ snapshot: null, hardState: null, entries: [entry(2, 1, 'committed, must not vanish')], mustSync: true });
  middleEnd = wal.stats().endBytes;
  await wal.write({ snapshot: null, hardState: null, entries: [entry(3, 1)], mustSync: true });
  dataEnd = wal.stats().endBytes;
  await wal.close();
  fullFile = await readFile(join(source, WAL_FILE_NAME));
});
afterAll(async () => {
  await removeDir(root);
});

async function expectRefusal(name: string, damaged: Buffer, offset: number, context: string): Promise<void> {
  const dir = join(root, name);
  await mkdir(dir);
  const path = join(dir, WAL_FILE_NAME);
  await writeFile(path, damaged);
  const error: unknown = await openWal(dir).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error, context).toBeInstanceOf(WalCorruptionError);
  const corruption = error as WalCorruptionError;
  expect(corruption.message, context).toContain(path);
  expect(corruption.message, context).toContain(`offset ${offset}`);
  expect(corruption.offset, context).toBe(offset);
  expect((await readFile(path)).equals(damaged), `${context}: file must be left untouched`).toBe(true);
  await expect(describeWal(dir), context).rejects.toBeInstanceOf(WalCorruptionError);
  await removeDir(dir);
}

describe('corruption in the middle', () => {
  it('a flipped byte anywhere in a middle record throws WalCorruptionError naming file and offset', async () => {
    for (let position = middleStart; position < middleEnd; position++) {
      const damaged = Buffer.from(fullFile);
      damaged[position] = damaged[position]! ^ 0x01;
      await expectRefusal(`flip-${position}`, damaged, middleStart, `flipped byte at ${position}`);
    }
  });

  it('a zeroed middle record is corruption, not a torn tail', async () => {
    const damaged = Buffer.from(fullFile);
    damaged.fill(0, middleStart, middleEnd);
    await expectRefusal('zeroed', damaged, middleStart, 'zeroed middle record');
  });

  it('an intact record whose content is impossible (a gap in the log) is refused', async () => {
    const gap = encodeFrame('{"i":9,"e":[[1,"x"]]}');
    const damaged = Buffer.from(fullFile);
    gap.copy(damaged, dataEnd); // appended where the next record goes, in the preallocated space
    await expectRefusal('gap', damaged, dataEnd, 'record with a gap');
  });
});

describe('damage in the preallocated space', () => {
  it('the file is preallocated: zeros follow the last record to the end', () => {
    expect(fullFile.length).toBeGreaterThan(dataEnd);
    expect(fullFile.subarray(dataEnd).every((byte) => byte === 0)).toBe(true);
  });

  it('a stray non-zero byte anywhere in the zeros after the last record is corruption, not a clean end', async () => {
    // Past the 8 bytes where the next record's header goes (a byte there could be a header a crash half wrote).
    for (const position of [dataEnd + 8, dataEnd + 100, dataEnd + 4096, fullFile.length - 2]) {
      const damaged = Buffer.from(fullFile);
      damaged[position] = 0x01;
      await expectRefusal(`stray-${position}`, damaged, dataEnd, `non-zero byte at ${position}`);
    }
  });

  it('a stale intact record far in the zeros is corruption (it must never be replayed, nor silently dropped)', async () => {
    const damaged = Buffer.from(fullFile);
    encodeFrame('{"i":4,"e":[[1,"stale"]]}').copy(damaged, dataEnd + 1000);
    await expectRefusal('stale-frame', damaged, dataEnd, 'stale record in the free space');
  });

  it('a torn last record with a stray byte past its frame is corruption; inside its frame it is a torn tail', async () => {
    const damaged = Buffer.from(fullFile);
    damaged[middleEnd + 9] = damaged[middleEnd + 9]! ^ 0x01; // the last record's payload: its CRC fails
    damaged[dataEnd + 100] = 0x01;
    await expectRefusal('torn-and-stray', damaged, middleEnd, 'torn last record and a stray byte after it');
    const tornOnly = Buffer.from(fullFile);
    tornOnly[middleEnd + 9] = tornOnly[middleEnd + 9]! ^ 0x01;
    const dir = join(root, 'torn-only');
    await mkdir(dir);
    await writeFile(join(dir, WAL_FILE_NAME), tornOnly);
    const { wal, report } = await openWal(dir);
    expect(report.tornTail).toMatchObject({ offset: middleEnd, droppedBytes: dataEnd - middleEnd });
    await wal.close();
  });

  it('a file without the header is refused at offset 0', async () => {
    const damaged = Buffer.from(fullFile);
    damaged[0] = 0x78;
    await expectRefusal('header', damaged, 0, 'bad header');
  });
});
