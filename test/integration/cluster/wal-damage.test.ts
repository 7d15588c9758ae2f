// Damage to a node's write-ahead log, seen from the whole lab. A torn tail (a crash cut the last write short) is
// cut away with a report and the node carries on. A damaged record in the middle is corruption: the node refuses
// to start, says which file and where, and nothing else in the cluster is hurt.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WAL_FILE_NAME } from '../../../src/node/storage';
import { FRAME_HEADER_BYTES, readFrame } from '../../../src/node/storage/record-frame';
import { replayWalBytes } from '../../../src/node/storage/replay';
import { WAL_MAGIC } from '../../../src/node/storage/wal-files';
import type { LabEvent } from '../../../src/protocol/events';
import type { NodeId } from '../../../src/raft/types';
import { isProcessAlive } from '../../helpers/lab-process';
import { closeAllLabs, CLUSTER_DEADLINE_MS, ClusterLab, eventually, putRetryingUnknown } from './cluster-harness';

afterEach(closeAllLabs);

/** A node that cannot start must make restartNode fail about as fast as the process dies, not at a far deadline. */
const RESTART_FAILURE_DEADLINE_MS = 5_000;

type ErrorEvent = Extract<LabEvent, { type: 'error' }>;
const errorOf = (node: NodeId, pattern: RegExp) => (event: LabEvent): event is ErrorEvent =>
  event.type === 'error' && event.node === node && pattern.test(event.message);

/** Start offsets of the WAL's records, in file order (the zeros of the preallocated space after them end the list). */
function recordOffsets(bytes: Buffer): number[] {
  const offsets: number[] = [];
  let offset = WAL_MAGIC.length;
  while (offset < bytes.length && !bytes.subarray(offset).every((byte) => byte === 0)) {
    const frame = readFrame(bytes, offset);
    if (!frame.ok) throw new Error(`unexpected damage at ${offset} before the test damaged anything: ${frame.reason}`);
    offsets.push(offset);
    offset = frame.nextOffset;
  }
  return offsets;
}

/** A running cluster with some history, and a crashed follower whose WAL the test may now damage. */
async function crashedFollower(): Promise<{ lab: ClusterLab; follower: NodeId; walPath: string }> {
  const lab = await ClusterLab.start({ nodeCount: 3 });
  await lab.waitForLeader();
  let lastWrite = 0;
  for (let i = 0; i < 6; i += 1) lastWrite = (await putRetryingUnknown(lab, `k${i}`, `v${i}`)).index ?? 0;
  // The leader as agreed after the writes (one sent again went to a new leader): the crashed node must be a follower.
  const leader = await lab.waitForLeader();
  const follower = (await lab.snapshot()).nodes.find((node) => node.id !== leader.id)?.id as NodeId;
  // Up to the last write at least: the lab's views may still show both as they were before it (equal, but earlier).
  await eventually(async () => {
    const commit = (await lab.node(follower)).commitIndex;
    return commit >= lastWrite && commit === (await lab.node(leader.id)).commitIndex ? true : null;
  }, CLUSTER_DEADLINE_MS, `S${follower} to catch up to ${lastWrite} before the crash`, () => lab.describe());
  await lab.controller.crashNode(follower);
  return { lab, follower, walPath: join(lab.controller.dataRoot, `node-${follower}`, WAL_FILE_NAME) };
}

async function expectClusterServes(lab: ClusterLab, among: readonly NodeId[], key: string): Promise<void> {
  await lab.waitForLeader({ among });
  expect(await lab.put(key, 'still-works')).toMatchObject({ status: 'ok' });
  expect(await lab.get(key)).toMatchObject({ status: 'ok', value: 'still-works' });
}

describe('a damaged write-ahead log in a running lab', () => {
  it('a torn tail is cut away and reported, and the node rejoins', async () => {
    const { lab, follower, walPath } = await crashedFollower();
    const intact = readFileSync(walPath);
    const dataEnd = replayWalBytes(intact, walPath).validBytes;
    expect(intact.length, 'the WAL is preallocated').toBeGreaterThan(dataEnd + 200);
    const torn = Buffer.alloc(FRAME_HEADER_BYTES + 10, 0x7b); // a header promising 100 bytes, then only 10 of them
    torn.writeUInt32LE(100, 0);
    const damaged = Buffer.from(intact);
    torn.copy(damaged, dataEnd); // where the next record would go, in the zeros the node preallocated
    writeFileSync(walPath, damaged);

    const restartedAt = lab.mark();
    await lab.controller.restartNode(follower);
    const report = await lab.waitForEvent(restartedAt, errorOf(follower, /torn tail/), `S${follower} to report the torn tail`);
    expect(report.message).toContain(walPath);
    // The torn write spans what its header announced; the zeros after it are free space, not torn bytes.
    expect(report.message).toContain(`cut a torn tail of ${FRAME_HEADER_BYTES + 100} bytes at offset ${dataEnd}`);

    const everyone = (await lab.snapshot()).nodes.map((node) => node.id);
    await expectClusterServes(lab, everyone, 'after-torn-tail');
    await eventually(async () => ((await lab.controller.getNodeDetail(follower)).kv['after-torn-tail'] === 'still-works' ? true : null),
      CLUSTER_DEADLINE_MS, `S${follower} to apply a write made after its recovery`);
    // The intact prefix is exactly what it was; the torn bytes are gone (new records may follow).
    const after = readFileSync(walPath);
    expect(after.subarray(0, dataEnd).equals(intact.subarray(0, dataEnd))).toBe(true);
    expect(recordOffsets(after).length).toBeGreaterThanOrEqual(recordOffsets(intact).length);
  });

  it('mid-log corruption stops that node with the file and offset, and nothing else', async () => {
    const { lab, follower, walPath } = await crashedFollower();
    const offsets = recordOffsets(readFileSync(walPath));
    expect(offsets.length, 'records in the WAL').toBeGreaterThanOrEqual(3);
    const damagedRecord = offsets[Math.floor(offsets.length / 2) - 1] as number; // has intact records after it
    const corrupt = readFileSync(walPath);
    const flipAt = damagedRecord + FRAME_HEADER_BYTES + 1;
    corrupt.writeUInt8(corrupt.readUInt8(flipAt) ^ 0x01, flipAt); // one bit of the payload: the CRC no longer matches
    writeFileSync(walPath, corrupt);
    const others = (await lab.snapshot()).nodes.filter((node) => node.id !== follower);

    const restartedAt = lab.mark();
    const restart = lab.controller.restartNode(follower).then(() => 'resolved', (error: Error) => `rejected: ${error.message}`);
    const report = await lab.waitForEvent(restartedAt, errorOf(follower, /corrupt/i), `S${follower} to report the corruption`);
    expect(report.message).toContain(walPath);
    expect(report.message).toContain(`offset ${damagedRecord}`);
    const stopped = await eventually(async () => {
      const node = await lab.node(follower);
      return node.status === 'crashed' ? node : null;
    }, CLUSTER_DEADLINE_MS, `S${follower} to be shown as crashed`);
    expect(stopped.pid).toBeNull();
    const failedPid = lab.eventsSince(restartedAt, (event): event is Extract<LabEvent, { type: 'node-status' }> =>
      event.type === 'node-status' && event.node === follower && event.status === 'starting')[0]?.pid;
    expect(failedPid).toBeTypeOf('number');
    expect(isProcessAlive(failedPid as number)).toBe(false);
    expect(readFileSync(walPath).equals(corrupt), 'the damaged file is left exactly as it was').toBe(true);

    // Nothing else crashed: the same processes still run and still serve.
    for (const node of others) {
      expect(await lab.node(node.id)).toMatchObject({ status: 'running', pid: node.pid });
      expect(isProcessAlive(node.pid as number)).toBe(true);
    }
    await expectClusterServes(lab, others.map((node) => node.id), 'after-corruption');

    const outcome = await Promise.race([restart, new Promise<string>((resolve) =>
      setTimeout(() => resolve(`still pending another ${RESTART_FAILURE_DEADLINE_MS} ms after the node had exited`), RESTART_FAILURE_DEADLINE_MS).unref())]);
    expect(outcome, 'restartNode of a node that cannot start').toMatch(/^rejected: /);
  });
});
