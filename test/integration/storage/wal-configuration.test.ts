// Configurations on disk (dissertation ch. 4): configuration entries and a snapshot's configuration are written to
// the WAL and the snapshot file and come back on recovery, through compaction too; files written before membership
// changes (entries as [term, command], a four-field snapshot reference, a header without "config") still load; a
// damaged configuration is refused with the reason.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openWal, WAL_FILE_NAME } from '../../../src/node/storage';
import { encodeFrame } from '../../../src/node/storage/record-frame';
import { decodeRecordPayload } from '../../../src/node/storage/record-payload';
import { writeSnapshotFile } from '../../../src/node/storage/snapshot-file';
import { WAL_MAGIC } from '../../../src/node/storage/wal-files';
import type { Configuration, Entry, Persist } from '../../../src/raft/types';
import { entry, makeTempDir, removeDir } from './wal-test-support';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('configuration');
});
afterEach(async () => {
  await removeDir(dir);
});

const LEARNER_4: Configuration = { voters: [1, 2, 3], learners: [4], outgoing: [] };
const VOTER_4: Configuration = { voters: [1, 2, 3, 4], learners: [], outgoing: [] };
const JOINT: Configuration = { voters: [2, 3, 4], learners: [], outgoing: [1, 2, 3] };

const configEntry = (index: number, term: number, config: Configuration): Entry => ({ index, term, command: null, config });

function append(list: Entry[]): Persist {
  return { snapshot: null, hardState: { term: 2, votedFor: 1 }, entries: list, mustSync: true };
}

describe('WAL configurations', () => {
  it('configuration entries survive a reopen and a compaction of the file, beside ordinary entries', async () => {
    const { wal } = await openWal(dir);
    const log = [entry(1, 1), configEntry(2, 2, LEARNER_4), entry(3, 2), configEntry(4, 2, VOTER_4), configEntry(5, 2, JOINT)];
    await wal.write(append(log));
    await wal.close();
    const first = await openWal(dir);
    expect(first.recovered.entries).toEqual(log);
    await first.wal.compact();
    await first.wal.close();
    const second = await openWal(dir);
    expect(second.recovered.entries).toEqual(log);
    await second.wal.close();
  });

  it("a snapshot's configuration is stored in the WAL's reference and the snapshot file, and recovered", async () => {
    const { wal } = await openWal(dir);
    await wal.write(append([entry(1, 1), configEntry(2, 2, LEARNER_4), entry(3, 2), entry(4, 2)]));
    await wal.write({ snapshot: { lastIncludedIndex: 3, lastIncludedTerm: 2, data: 'kv after 3', config: LEARNER_4 },
      hardState: null, entries: [], mustSync: false });
    await wal.close();
    const reopened = await openWal(dir);
    expect(reopened.recovered.snapshot).toEqual({ lastIncludedIndex: 3, lastIncludedTerm: 2, data: 'kv after 3', config: LEARNER_4 });
    expect(reopened.recovered.entries).toEqual([entry(4, 2)]);
    await reopened.wal.compact(); // rewrites the reference (with its configuration) into a new file
    await reopened.wal.close();
    const compacted = await openWal(dir);
    expect(compacted.recovered.snapshot?.config).toEqual(LEARNER_4);
    await compacted.wal.close();
  });

  it('files written before membership changes still load, with no configuration anywhere', async () => {
    // By hand, as the old writer did: "s" with four fields, entries as [term, command], a header without "config".
    await writeSnapshotFile(dir, { index: 2, term: 1, generation: 1, bytes: 3 }, 'old');
    const records = ['{"h":[1,1],"i":1,"e":[[1,"a"],[1,null],[1,"c"]]}', '{"s":[2,1,1,3]}']
      .map((payload) => encodeFrame(payload));
    await writeFile(join(dir, WAL_FILE_NAME), Buffer.concat([WAL_MAGIC, ...records]));
    const { wal, recovered } = await openWal(dir);
    expect(recovered.snapshot).toEqual({ lastIncludedIndex: 2, lastIncludedTerm: 1, data: 'old' });
    expect(recovered.entries).toEqual([{ index: 3, term: 1, command: 'c' }]);
    expect(Object.hasOwn(recovered.entries[0]!, 'config')).toBe(false);
    await wal.close();
  });

  it('a damaged configuration is refused with the reason', () => {
    const decode = (payload: string) => () => decodeRecordPayload(Buffer.from(payload, 'utf8'));
    expect(decode('{"i":1,"e":[[1,null,{"voters":[1,1],"learners":[],"outgoing":[]}]]}')).toThrow(/lists S1 twice/);
    expect(decode('{"i":1,"e":[[1,"x",{"voters":[1],"learners":[],"outgoing":[]}]]}')).toThrow(/carries a command/);
    expect(decode('{"i":1,"e":[[1,null,{"voters":[1],"learners":[]}]]}')).toThrow(/not voters, learners and outgoing/);
    expect(decode('{"s":[2,1,1,3,{"voters":[2],"learners":[2],"outgoing":[]}]}')).toThrow(/both a voter and a learner/);
  });
});
