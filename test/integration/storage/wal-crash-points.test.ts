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

describe('crash at a random byte', () => {
  it('recovers exactly the state after the last write wholly on disk (a prefix of the history)', async () => {
    const baseSeed = testSeed();
    for (let run = 0; run < WORKLOADS; run++) {
      const seed = (baseSeed + run) >>> 0;
      const replay = `seed ${seed} (replay all with RAFT_LAB_SEED=${baseSeed})`;
      const workload = makeWorkload(seed, WRITES_PER_WORKLOAD);
      const source = join(root, `source-${seed}`);
      const { wal } = await openWal(source);
      // Every snapshot file the workload wrote: a cut can land before the record that made an older one obsolete
      // (the WAL deletes it only once that record is durable, which a cut file pretends it was not).
      const snapshotFiles = join(root, `snapshots-${seed}`);
      await mkdir(snapshotFiles);
      const endOffsets: number[] = [];
      for (const persist of workload.persists) {
        // No fdatasync needed: the file is read back, not crashed; this keeps the test fast.
        await wal.write({ ...persist, mustSync: false });
        endOffsets.push(wal.stats().fileBytes);
        if (persist.snapshot !== null) await copySnapshotFiles(source, snapshotFiles);
      }
      await wal.close();
      const file = await readFile(join(source, WAL_FILE_NAME));
      expect(file.length, replay).toBe(endOffsets[endOffsets.length - 1]);

      const rng = makeRng(seed);
      for (let cutNumber = 0; cutNumber < CUTS_PER_WORKLOAD; cutNumber++) {
        const cut = rng.int(WAL_MAGIC.length, file.length);
        const context = `${replay}, cut at byte ${cut} of ${file.length}`;
        const wholeWrites = endOffsets.filter((end) => end <= cut).length;
        const cleanCut = cut === WAL_MAGIC.length || endOffsets.includes(cut);
        // Every cut through the pure replay; a few through a real reopen (which also cuts the file and fsyncs).
        const replayed = replayWalBytes(file.subarray(0, cut), 'cut.wal');
        const mirror = replayed.mirror;
        expect({ hardState: mirror.hardState, snapshotIndex: mirror.snapshotIndex, snapshotTerm: mirror.snapshot?.term ?? 0,
          entries: mirror.entries }, context).toEqual(mirrorViewOf(workload.states[wholeWrites]!));
        expect(replayed.tornTail === null, context).toBe(cleanCut);
        if (cutNumber >= REOPENS_PER_WORKLOAD) continue;
        const node = join(root, `node-${seed}-${cutNumber}`);
        await mkdir(node);
        await writeFile(join(node, WAL_FILE_NAME), file.subarray(0, cut));
        await copySnapshotFiles(snapshotFiles, node);
        const { wal: reopened, recovered, report } = await openWal(node);
        expect(recovered, context).toEqual(workload.states[wholeWrites]);
        expect(report.tornTail === null, context).toBe(cleanCut);
        expect(report.validBytes, context).toBe(wholeWrites === 0 ? WAL_MAGIC.length : endOffsets[wholeWrites - 1]);
        await reopened.close();
        await removeDir(node);
      }
    }
  });
});
