// A restarted node is what its write-ahead log says it was: same term, same log, before the leader brings it up to
// date. With every node killed at once, the committed data is still there after they come back one by one.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeWal, type WalDescription } from '../../../src/node/storage';
import type { LabEvent } from '../../../src/protocol/events';
import type { NodeId } from '../../../src/raft/types';
import { closeAllLabs, CLUSTER_DEADLINE_MS, ClusterLab, eventually } from './cluster-harness';

afterEach(closeAllLabs);

async function putMany(lab: ClusterLab, prefix: string, count: number): Promise<Map<string, string>> {
  const written = new Map<string, string>();
  for (let i = 0; i < count; i += 1) {
    const [key, value] = [`${prefix}-${i}`, `${prefix}-v${i}`];
    expect(await lab.put(key, value), `put ${key}`).toMatchObject({ status: 'ok' });
    written.set(key, value);
  }
  return written;
}

/** Waits until `id`'s view has every entry the leader has and has committed them (its WAL holds them then). */
async function waitCaughtUp(lab: ClusterLab, id: NodeId, leaderId: NodeId): Promise<void> {
  await eventually(async () => {
    const [node, leader] = [await lab.node(id), await lab.node(leaderId)];
    return node.lastLogIndex === leader.lastLogIndex && node.commitIndex === leader.commitIndex ? true : null;
  }, CLUSTER_DEADLINE_MS, `S${id} to catch up with S${leaderId}`, () => lab.describe());
}

const dataDirOf = (lab: ClusterLab, id: NodeId): string => join(lab.controller.dataRoot, `node-${id}`);
/** The restart note names the vote recovered with the term: what keeps the server from voting twice in it. */
const recoveredReason = (disk: WalDescription): string =>
  `node reported alive; recovered term ${disk.term} (${disk.votedFor === null ? 'no vote cast in it' : `voted for S${disk.votedFor} in it`})` +
  ` and ${disk.lastIndex} log entries from disk`;

type NodeStateEvent = Extract<LabEvent, { type: 'node-state' }>;

const isAlive = (id: NodeId) => (event: LabEvent): event is Extract<LabEvent, { type: 'node-status' }> =>
  event.type === 'node-status' && event.node === id && event.status === 'running';

describe('restart from the write-ahead log', () => {
  it('a restarted follower comes back with its old term and log, then catches up', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    const leader = await lab.waitForLeader();
    await putMany(lab, 'early', 5);
    const follower = (await lab.snapshot()).nodes.find((node) => node.id !== leader.id)?.id as NodeId;
    await waitCaughtUp(lab, follower, leader.id);
    const atCrash = await lab.node(follower);

    await lab.controller.crashNode(follower);
    // What is on its disk now, read independently of the node: at least what it last reported (it reports after
    // persisting), possibly a little more (persisted, then killed before the report went out).
    const onDisk = await describeWal(dataDirOf(lab, follower));
    expect(onDisk.term).toBeGreaterThanOrEqual(atCrash.term);
    expect(onDisk.lastIndex).toBeGreaterThanOrEqual(atCrash.lastLogIndex);
    await putMany(lab, 'missed', 5); // the follower misses these: its log is now behind the leader's
    const restartedAt = lab.mark();
    await lab.controller.restartNode(follower);

    const alive = await lab.waitForEvent(restartedAt, isAlive(follower), `S${follower} to report alive`);
    expect(alive.reason).toBe(recoveredReason(onDisk));
    const firstState = await lab.waitForEvent(restartedAt, (event): event is NodeStateEvent => event.type === 'node-state' &&
      event.node === follower, `S${follower}'s first node-state after the restart`);
    // Soft: a known product gap (reported), and the catch-up below is worth checking either way.
    expect.soft(firstState.state, 'the recovered state, before any catch-up')
      .toMatchObject({ term: onDisk.term, lastLogIndex: onDisk.lastIndex, role: 'follower' });

    await waitCaughtUp(lab, follower, leader.id);
    expect((await lab.node(follower)).lastLogIndex).toBeGreaterThan(onDisk.lastIndex);
    await eventually(async () => ((await lab.controller.getNodeDetail(follower)).kv['missed-4'] === 'missed-v4' ? true : null),
      CLUSTER_DEADLINE_MS, `S${follower} to apply what it missed`);
  });

  it('committed data survives a crash of the whole cluster and restarts one by one', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    const leader = await lab.waitForLeader();
    const written = await putMany(lab, 'durable', 10);
    const ids = (await lab.snapshot()).nodes.map((node) => node.id);
    const lastAcknowledged = (await lab.put('durable-last', 'last')).index ?? 0;
    expect(lastAcknowledged).toBeGreaterThan(0);
    written.set('durable-last', 'last');

    for (const id of ids) await lab.controller.crashNode(id);
    expect((await lab.snapshot()).nodes.every((node) => node.status === 'crashed')).toBe(true);
    const disks = new Map<NodeId, WalDescription>();
    for (const id of ids) disks.set(id, await describeWal(dataDirOf(lab, id)));
    const holders = ids.filter((id) => (disks.get(id)?.lastIndex ?? 0) >= lastAcknowledged);
    expect(holders.length, 'nodes whose disk holds the last acknowledged write').toBeGreaterThanOrEqual(2);

    for (const id of ids) {
      const restartedAt = lab.mark();
      await lab.controller.restartNode(id);
      const alive = await lab.waitForEvent(restartedAt, isAlive(id), `S${id} to report alive`);
      expect(alive.reason).toBe(recoveredReason(disks.get(id) as WalDescription));
    }

    const newLeader = await lab.waitForLeader({ minTerm: leader.term + 1 });
    for (const [key, value] of written) expect(await lab.get(key), `get ${key}`).toMatchObject({ status: 'ok', value });
    for (const id of ids) {
      await eventually(async () => {
        const kv = (await lab.controller.getNodeDetail(id)).kv;
        return [...written].every(([key, value]) => kv[key] === value) ? true : null;
      }, CLUSTER_DEADLINE_MS, `S${id} to apply every write again after the restart`);
    }
    expect(await lab.put('after-restart', 'yes', { node: newLeader.id })).toMatchObject({ status: 'ok' });
  });
});
