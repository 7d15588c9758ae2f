// Log compaction with real processes (§7): nodes compact often here (every 20 applied entries, keeping 5), so a
// follower that was down while the leader compacted can only be brought back by InstallSnapshot, and a restarted
// cluster recovers from snapshot + WAL. The KV state a node ends with is read from its own disk, not from the lab.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KvStateMachine } from '../../../src/kv/state-machine';
import { describeWal, openWal } from '../../../src/node/storage';
import type { LabEvent } from '../../../src/protocol/events';
import type { NodeId } from '../../../src/raft/types';
import { closeAllLabs, CLUSTER_DEADLINE_MS, ClusterLab, eventually } from './cluster-harness';

const EVERY_ENTRIES = 20;
const KEEP_ENTRIES = 5;
const SETTINGS = { RAFT_LAB_SNAPSHOT_EVERY_ENTRIES: String(EVERY_ENTRIES), RAFT_LAB_SNAPSHOT_KEEP_ENTRIES: String(KEEP_ENTRIES) };

// Node processes inherit the lab's environment (node-env.ts reads these); this file runs in a process of its own.
beforeAll(() => {
  Object.assign(process.env, SETTINGS);
});
afterAll(() => {
  for (const name of Object.keys(SETTINGS)) delete process.env[name];
});
afterEach(closeAllLabs);

type RaftEvent = Extract<LabEvent, { type: 'raft' }>;
type NodeStateEvent = Extract<LabEvent, { type: 'node-state' }>;
type KvStateEvent = Extract<LabEvent, { type: 'kv-state' }>;
type NodeStatusEvent = Extract<LabEvent, { type: 'node-status' }>;

const raftEvent = (node: NodeId, kind: RaftEvent['event']['kind']) => (event: LabEvent): event is RaftEvent =>
  event.type === 'raft' && event.node === node && event.event.kind === kind;
const nodeState = (node: NodeId) => (event: LabEvent): event is NodeStateEvent => event.type === 'node-state' && event.node === node;
const kvState = (node: NodeId) => (event: LabEvent): event is KvStateEvent => event.type === 'kv-state' && event.node === node;

/** Every acknowledged put by the log index it was applied at: the cluster's KV after any index can be folded from it. */
type PutsByIndex = Map<number, readonly [string, string]>;

/** The KV state after entry `index` (every entry of these tests is one of our puts or a leader's no-op). */
function kvAfter(puts: PutsByIndex, index: number): [string, string][] {
  const state = new Map<string, string>();
  for (const [at, [key, value]] of [...puts].sort(([a], [b]) => a - b)) if (at <= index) state.set(key, value);
  return [...state].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Returns the log index of the last write. */
async function putMany(lab: ClusterLab, prefix: string, count: number, written: Map<string, string>, puts?: PutsByIndex): Promise<number> {
  let lastIndex = 0;
  for (let i = 0; i < count; i += 1) {
    // Few keys, many writes: the log grows much faster than the state.
    const [key, value] = [`${prefix}-${i % 7}`, `${prefix}-v${i}`];
    const result = await lab.put(key, value);
    expect(result, `put ${key}`).toMatchObject({ status: 'ok' });
    lastIndex = Math.max(lastIndex, result.index ?? 0);
    written.set(key, value);
    if (result.index !== null && result.index !== undefined) puts?.set(result.index, [key, value]);
  }
  return lastIndex;
}

const dataDirOf = (lab: ClusterLab, id: NodeId): string => join(lab.controller.dataRoot, `node-${id}`);

/** The latest snapshot index `id` reported (0 before any). */
function reportedSnapshotIndex(lab: ClusterLab, id: NodeId): number {
  const states = lab.eventsSince(0, nodeState(id));
  return states[states.length - 1]?.state.snapshotIndex ?? 0;
}

/**
 * The KV state a crashed node's disk holds up to `commitIndex`: its snapshot restored, then its committed entries
 * after it applied. Read from a copy, so the node's own directory is not touched.
 */
async function kvOnDisk(lab: ClusterLab, id: NodeId, commitIndex: number): Promise<{ kv: Record<string, string>; snapshotIndex: number }> {
  const copy = await mkdtemp(join(tmpdir(), 'raft-lab-snapshot-copy-'));
  try {
    await cp(dataDirOf(lab, id), copy, { recursive: true });
    const { wal, recovered } = await openWal(copy);
    await wal.close();
    const machine = new KvStateMachine();
    const snapshotIndex = recovered.snapshot?.lastIncludedIndex ?? 0;
    if (recovered.snapshot) machine.restoreSnapshot(snapshotIndex, recovered.snapshot.data);
    for (const entry of recovered.entries) if (entry.index <= commitIndex) machine.apply(entry.index, entry.command);
    expect(machine.appliedIndex, `S${id}'s disk holds every committed entry`).toBe(commitIndex);
    return { kv: machine.snapshotData(), snapshotIndex };
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

function expectHoldsExactly(kv: Record<string, string>, written: Map<string, string>, what: string): void {
  for (const [key, value] of written) expect(kv[key], `${what}: ${key}`).toBe(value);
  expect(Object.keys(kv).sort(), what).toEqual([...written.keys()].sort());
}

describe('log compaction with real node processes', () => {
  it('a follower that was down while the leader compacted is caught up by InstallSnapshot, with the same KV state', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    const leader = await lab.waitForLeader();
    const written = new Map<string, string>();
    const puts: PutsByIndex = new Map();
    await putMany(lab, 'early', 5, written, puts);
    const follower = (await lab.snapshot()).nodes.find((node) => node.id !== leader.id)?.id as NodeId;
    await lab.controller.crashNode(follower);
    const behindAt = (await describeWal(dataDirOf(lab, follower))).lastIndex;

    // The leader compacts past everything the follower has: entries alone can no longer bring it back.
    await putMany(lab, 'missed', 3 * EVERY_ENTRIES, written, puts);
    await eventually(() => (reportedSnapshotIndex(lab, leader.id) > behindAt ? true : null), CLUSTER_DEADLINE_MS,
      `S${leader.id} to compact past index ${behindAt}`, () => lab.describe());

    const restartedAt = lab.mark();
    await lab.controller.restartNode(follower);
    await lab.waitForEvent(restartedAt, raftEvent(leader.id, 'snapshot-sent'), `S${leader.id} to send S${follower} its snapshot`);
    const installed = await lab.waitForEvent(restartedAt, raftEvent(follower, 'snapshot-installed'), `S${follower} to install it`);
    expect(installed.event.rule).not.toBe('');
    // The UI is told the installed state outright: the leader's KV after the snapshot's last entry.
    const restored = await lab.waitForEvent(restartedAt, kvState(follower), `S${follower} to report its restored KV`);
    expect(restored.index).toBeGreaterThan(behindAt);
    expect(restored.tooLarge).toBe(false);
    expect(restored.entries, `S${follower}'s KV after entry ${restored.index}`).toEqual(kvAfter(puts, restored.index));
    const lastWrite = await putMany(lab, 'after', 3, written);
    const caughtUp = await eventually(async () => {
      const node = await lab.node(follower);
      return node.lastApplied >= lastWrite ? node : null;
    }, CLUSTER_DEADLINE_MS, `S${follower} to apply every write (up to index ${lastWrite})`, () => lab.describe());
    expect(reportedSnapshotIndex(lab, follower)).toBeGreaterThan(behindAt);

    // The lab's view: its log starts after the snapshot, and its KV (replayed from a complete mirror) is whole.
    const detail = await lab.controller.getNodeDetail(follower);
    expect(detail.log[0]?.index ?? Number.POSITIVE_INFINITY).toBeGreaterThan(behindAt);
    await eventually(async () => {
      const kv = (await lab.controller.getNodeDetail(follower)).kv;
      return [...written].every(([key, value]) => kv[key] === value) ? true : null;
    }, CLUSTER_DEADLINE_MS, 'the lab\'s view of the follower\'s KV to hold every write');

    // The follower's own state, from its disk: the installed snapshot plus the entries after it.
    await lab.controller.crashNode(follower);
    const disk = await kvOnDisk(lab, follower, caughtUp.lastApplied);
    expect(disk.snapshotIndex).toBeGreaterThan(behindAt);
    expectHoldsExactly(disk.kv, written, `S${follower}'s disk`);
  });

  it('a follower cut off by a partition while the leader compacted is caught up by InstallSnapshot when it heals', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    const leader = await lab.waitForLeader();
    const written = new Map<string, string>();
    await putMany(lab, 'before', 3, written);
    const follower = (await lab.snapshot()).nodes.find((node) => node.id !== leader.id)?.id as NodeId;
    const cutAt = lab.mark();
    await lab.controller.setPartition([[follower]]);
    // The cut is in effect once the follower drops a message to the leader at it.
    await lab.waitForEvent(cutAt, (event): event is LabEvent => event.type === 'message' && event.node === follower &&
      event.direction === 'drop' && /blocked/.test(event.dropReason ?? ''), `S${follower} to drop a message at the cut`);
    const behindAt = (await lab.node(follower)).lastLogIndex;

    await putMany(lab, 'during', 3 * EVERY_ENTRIES, written);
    await eventually(() => (reportedSnapshotIndex(lab, leader.id) > behindAt ? true : null), CLUSTER_DEADLINE_MS,
      `S${leader.id} to compact past index ${behindAt}`, () => lab.describe());
    const healedAt = lab.mark();
    await lab.controller.healAll();
    await lab.waitForEvent(healedAt, raftEvent(follower, 'snapshot-installed'), `S${follower} to install the leader's snapshot`);
    const lastWrite = await putMany(lab, 'after', 2, written);
    await eventually(async () => ((await lab.node(follower)).lastApplied >= lastWrite ? true : null), CLUSTER_DEADLINE_MS,
      `S${follower} to apply every write`, () => lab.describe());
    const kv = await eventually(async () => {
      const held = (await lab.controller.getNodeDetail(follower)).kv;
      return [...written].every(([key, value]) => held[key] === value) ? held : null;
    }, CLUSTER_DEADLINE_MS, 'the lab\'s view of the follower\'s KV to hold every write');
    expect(kv, `S${follower}'s key-value state after the snapshot and the writes since`).toMatchObject(Object.fromEntries(written));
  });

  it('a cluster restarted after compaction recovers its state from snapshot + WAL and serves it', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    const leader = await lab.waitForLeader();
    const written = new Map<string, string>();
    const puts: PutsByIndex = new Map();
    await putMany(lab, 'kept', 4 * EVERY_ENTRIES, written, puts);
    const ids = (await lab.snapshot()).nodes.map((node) => node.id);
    for (const id of ids) {
      await eventually(() => (reportedSnapshotIndex(lab, id) > 0 ? true : null), CLUSTER_DEADLINE_MS, `S${id} to compact its log`);
    }

    for (const id of ids) await lab.controller.crashNode(id);
    const disks = new Map<NodeId, { snapshotIndex: number; lastIndex: number }>();
    for (const id of ids) {
      const disk = await describeWal(dataDirOf(lab, id));
      disks.set(id, disk);
      expect(disk.snapshotIndex, `S${id} has a snapshot on disk`).toBeGreaterThan(0);
      // The WAL holds only what followed the snapshot (the tail kept for followers, and what came after it).
      expect(disk.lastIndex - disk.snapshotIndex, `S${id}'s log after its snapshot`).toBeLessThanOrEqual(EVERY_ENTRIES + KEEP_ENTRIES + 5);
    }

    const restartedAt = lab.mark();
    for (const id of ids) await lab.controller.restartNode(id);
    for (const id of ids) {
      const first = await lab.waitForEvent(restartedAt, nodeState(id), `S${id}'s first node-state after the restart`);
      expect(first.state.snapshotIndex, `S${id} restarted from its snapshot`).toBeGreaterThan(0);
      // It tells the UI the state it restored from disk, and the lab names the snapshot apart from the log after it.
      const disk = disks.get(id)!;
      const restored = await lab.waitForEvent(restartedAt, kvState(id), `S${id} to report the KV it restored`);
      expect(restored.index).toBe(disk.snapshotIndex);
      expect(restored.entries, `S${id}'s KV after entry ${restored.index}`).toEqual(kvAfter(puts, disk.snapshotIndex));
      const alive = await lab.waitForEvent(restartedAt, (event): event is NodeStatusEvent => event.type === 'node-status' &&
        event.node === id && event.status === 'running', `S${id} to report alive`);
      expect(alive.reason).toMatch(new RegExp(`recovered term \\d+ \\((voted for S\\d|no vote cast in it)[^)]*\\), a snapshot up to ${disk.snapshotIndex} and ` +
        `${disk.lastIndex - disk.snapshotIndex} log entries from disk$`));
    }
    const newLeader = await lab.waitForLeader({ minTerm: leader.term + 1 });
    for (const [key, value] of written) expect(await lab.get(key), `get ${key}`).toMatchObject({ status: 'ok', value });
    expect(await lab.put('after-restart', 'yes', { node: newLeader.id })).toMatchObject({ status: 'ok' });
  });
});
