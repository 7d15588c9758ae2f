import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openWal, WAL_FILE_NAME } from '../../../src/node/storage';
import { replayWalBytes } from '../../../src/node/storage/replay';
import { WAL_MAGIC } from '../../../src/node/storage/wal-files';
import { copySnapshotFiles, makeRng, makeTempDir, makeWorkload, mirrorViewOf, removeDir, testSeed } from './wal-test-support';

const WORKLOADS = 8;
const WRITES_PER_WORKLOAD = 80;
const CUTS_PER_WORKLOAD = 60;
const REOPENS_PER_WORKLOAD = 5;

let root: string;
beforeAll(async () => {
  root = await makeTempDir('crashpoints');
});
afterAll(async () => {
  await removeDir(root);
});

/**
 * The two shapes a crash leaves: a file from before preallocation ends where the write was cut; a preallocated file
 * keeps its length, and the bytes the write did not get to are still the zeros written there before.
 */
const CRASH_SHAPES = {
  truncated: (file: Buffer, cut: number, dataEnd: number): Buffer => file.subarray(0, Math.min(cut, dataEnd)),
  zeroed: (file: Buffer, cut: number, dataEnd: number): Buffer => Buffer.from(file).fill(0, cut, dataEnd),
} as const;

describe('crash at a random byte', () => {
  it('recovers exactly the state after the last write wholly on disk (a prefix of the history)', async () => {
    const baseSeed = testSeed();
    for (let run = 0; run < WORKLOADS; run++) {
      const seed = (baseSeed + run) >>> 0;
      const replay = `seed ${seed} (replay all with RAFT_LAB_SEED=${baseSeed})`;
      const workload = makeWorkload(seed, WRITES_PER_WORKLOAD);
      const source = join(root, `source-${seed}`);
      // A small preallocation step, so the workload's writes also cross the file's growth many times.
      const { wal } = await openWal(source, { preallocateBytes: 512 });
      // Every snapshot file the workload wrote: a cut can land before the record that made an older one obsolete
      // (the WAL deletes it only once that record is durable, which a cut file pretends it was not).
      const snapshotFiles = join(root, `snapshots-${seed}`);
      await mkdir(snapshotFiles);
      const endOffsets: number[] = [];
      for (const persist of workload.persists) {
        // No fdatasync needed: the file is read back, not crashed; this keeps the test fast.
        await wal.write({ ...persist, mustSync: false });
        endOffsets.push(wal.stats().endBytes);
        if (persist.snapshot !== null) await copySnapshotFiles(source, snapshotFiles);
      }
      const { fileBytes, extensions } = wal.stats();
      await wal.close();
      const file = await readFile(join(source, WAL_FILE_NAME));
      const dataEnd = endOffsets[endOffsets.length - 1]!;
      expect(file.length, replay).toBe(fileBytes);
      expect(extensions, replay).toBeGreaterThan(0);
      expect(file.subarray(dataEnd).every((byte) => byte === 0), `${replay}: zeros after the data`).toBe(true);

      const rng = makeRng(seed);
      for (let cutNumber = 0; cutNumber < CUTS_PER_WORKLOAD; cutNumber++) {
        const cut = rng.int(WAL_MAGIC.length, dataEnd);
        const wholeWrites = endOffsets.filter((end) => end <= cut).length;
        const lastWholeEnd = wholeWrites === 0 ? WAL_MAGIC.length : endOffsets[wholeWrites - 1]!;
        for (const [shape, crash] of Object.entries(CRASH_SHAPES)) {
          const context = `${replay}, ${shape} at byte ${cut} of ${dataEnd}`;
          const crashed = crash(file, cut, dataEnd);
          // Clean when nothing of the next write is on disk (a zeroed cut can also keep only its zero bytes).
          const cleanCut = cut === lastWholeEnd || (shape === 'zeroed' && crashed.subarray(lastWholeEnd, cut).every((byte) => byte === 0));
          // Every cut through the pure replay; a few through a real reopen (which also cuts the file and fsyncs).
          const replayed = replayWalBytes(crashed, 'cut.wal');
          const mirror = replayed.mirror;
          expect({ hardState: mirror.hardState, snapshotIndex: mirror.snapshotIndex, snapshotTerm: mirror.snapshot?.term ?? 0,
            entries: mirror.entries }, context).toEqual(mirrorViewOf(workload.states[wholeWrites]!));
          expect(replayed.tornTail === null, context).toBe(cleanCut);
          expect(replayed.validBytes, context).toBe(lastWholeEnd);
          if (cutNumber >= REOPENS_PER_WORKLOAD) continue;
          const node = join(root, `node-${seed}-${cutNumber}-${shape}`);
          await mkdir(node);
          await writeFile(join(node, WAL_FILE_NAME), crashed);
          await copySnapshotFiles(snapshotFiles, node);
          const { wal: reopened, recovered, report } = await openWal(node, { preallocateBytes: 512 });
          expect(recovered, context).toEqual(workload.states[wholeWrites]);
          expect(report.tornTail === null, context).toBe(cleanCut);
          expect(report.validBytes, context).toBe(lastWholeEnd);
          const after = await readFile(join(node, WAL_FILE_NAME));
          expect(after.length, context).toBe(report.fileBytes);
          expect(after.subarray(lastWholeEnd).every((byte) => byte === 0), `${context}: zeros after the intact prefix`).toBe(true);
          await reopened.close();
          await removeDir(node);
        }
      }
    }
  });
});
