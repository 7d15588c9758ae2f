// The runtime's side of log compaction (§7), with the real core: it hands the core a snapshot of the KV at exactly
// the index the KV has applied, once the policy says so; a snapshot installed from the leader replaces the KV's
// state before the entries after it are applied; client writes the installed snapshot covers are told to retry.
import { describe, expect, it } from 'vitest';
import { RaftRuntime } from '../../../src/node/runtime/raft-runtime';
import { EventReporter } from '../../../src/node/reporting/event-reporter';
import { LabClock } from '../../../src/node/runtime/lab-clock';
import { EventLoopScheduler } from '../../../src/node/runtime/event-loop-scheduler';
import type { LabLink } from '../../../src/node/lab-link';
import type { Wal } from '../../../src/node/storage';
import type { PeerTransport } from '../../../src/node/transport/peer-transport';
import type { PeerFrame } from '../../../src/protocol/wire';
import type { ClientReplyFrame } from '../../../src/protocol/client';
import { KvStateMachine } from '../../../src/kv/state-machine';
import { encodeKvCommand } from '../../../src/kv/command';
import { createRaftNode } from '../../../src/raft';
import type { Message, Persist } from '../../../src/raft/types';
import type { SnapshotPolicyOptions } from '../../../src/node/runtime/snapshot-policy';

type Reply = Omit<ClientReplyFrame, 'v' | 'requestId' | 'node'>;

/** Lets promise chains, setImmediate drains and timers run. */
const settle = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (bounded) until `probe` holds, letting the runtime's chains run in between. */
async function until(probe: () => boolean, what: string): Promise<void> {
  for (let round = 0; round < 200; round++) {
    if (probe()) return;
    await settle(1);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function harness(members: number[], policy: SnapshotPolicyOptions, options: { holdSnapshotWrites?: boolean } = {}) {
  let nowMs = 0;
  const clock = new LabClock({ anchorNs: 0, labMs: 0, timeScale: 1, frozen: false }, () => nowMs * 1e6);
  const persists: Persist[] = [];
  const heldSnapshotWrites: (() => void)[] = [];
  // Every write is durable at once, in order: this test is about what is written and applied, not when. Except, with
  // holdSnapshotWrites, a write that carries a snapshot: it completes when the test releases it.
  const wal: Wal = { path: '/nowhere', write: (persist) => {
    persists.push(persist);
    if (options.holdSnapshotWrites === true && persist.snapshot !== null) return new Promise<void>((resolve) => void heldSnapshotWrites.push(resolve));
    return Promise.resolve();
  },
  writeThen: (persist, done) => void wal.write(persist).then(() => done(null), (error: Error) => done(error)),
    compact: () => Promise.resolve(), close: () => Promise.resolve(),
    stats: () => ({ writes: 0, syncs: 0, batches: 0, compactions: 0, snapshots: 0, failedSnapshotDeletes: 0, extensions: 0, endBytes: 0, fileBytes: 0,
      snapshotIndex: 0, lastIndex: 0, term: 0 }) };
  const sent: Message[] = [];
  const transport = { selfId: 1, endpoint: 'tcp://127.0.0.1:1', setPeers: () => undefined, setFaults: () => undefined,
    setTimeScale: () => undefined, stats: () => ({ peers: {}, invalid: 0, unroutable: 0 }), close: () => Promise.resolve(),
    send: (frame: PeerFrame) => void sent.push(frame.msg) } satisfies PeerTransport;
  const reported: Record<string, unknown>[] = [];
  const link: LabLink = { send: (frame) => { if (frame.type === 'events') reported.push(...frame.events); }, close: () => undefined };
  const errors: string[] = [];
  const kv = new KvStateMachine();
  const core = createRaftNode({ id: 1, members, electionTimeoutMs: [150, 300], heartbeatMs: 50, randomSeed: 3 }, null, 0);
  let collections = 0;
  const runtime = new RaftRuntime({ nodeId: 1, core, scheduler: new EventLoopScheduler(clock), wal, transport, clock, kv, reporter: new EventReporter(link, 1, 'x'.repeat(16)),
    eventDetail: 'state', snapshotPolicy: policy, onError: (message) => void errors.push(message),
    onLogCompacted: () => { collections += 1; }, onFatal: (error) => { throw error; } });
  runtime.start();
  return {
    core, kv, runtime, persists, sent, errors, reported, collections: () => collections, heldSnapshotWrites,
    async elapse(ms: number) { nowMs += ms; runtime.reschedule(); await settle(2); },
    deliver(msg: Message) { runtime.onPeerFrame({ v: 1, id: `x-${Math.random()}`, sentAtNs: 0, msg }); },
    put(seq: number, key: string, value: string): Promise<Reply> {
      return new Promise((resolve) => runtime.handleClient({ v: 1, requestId: `r${seq}`, clientId: 'c', seq, op: 'put', key, value }, resolve));
    },
  };
}

describe('RaftRuntime and log compaction', () => {
  it('compacts at the KV\'s applied index once the policy says so, keeping the tail, and collects the garbage', async () => {
    const h = harness([1], { everyEntries: 4, keepEntries: 2 });
    await h.elapse(400); // a one-node cluster elects itself
    await until(() => h.core.status().role === 'leader', 'S1 to lead');
    for (let seq = 1; seq <= 12; seq++) expect(await h.put(seq, `k${seq % 3}`, `v${seq}`)).toMatchObject({ status: 'ok' });
    await until(() => h.persists.some((persist) => persist.snapshot !== null), 'a snapshot to be written');
    const snapshots = h.persists.flatMap((persist) => (persist.snapshot === null ? [] : [persist.snapshot]));
    for (const snapshot of snapshots) {
      // The data is the KV state after exactly that entry: a fresh KV restored from it agrees.
      const replica = new KvStateMachine();
      replica.restoreSnapshot(snapshot.lastIncludedIndex, snapshot.data);
      expect(replica.appliedIndex).toBe(snapshot.lastIncludedIndex);
    }
    const last = snapshots[snapshots.length - 1]!;
    const status = h.core.status();
    expect(status.snapshotIndex).toBe(last.lastIncludedIndex);
    expect(h.kv.appliedIndex - last.lastIncludedIndex, 'the tail kept for lagging followers').toBeGreaterThanOrEqual(2);
    expect(h.core.log()[0]?.index).toBe(last.lastIncludedIndex + 1);
    expect(h.collections()).toBe(snapshots.length);
    expect(h.errors).toEqual([]);
  });

  it('collects the garbage once the snapshot\'s write is done, not while the WAL still holds its encoded copy', async () => {
    const h = harness([1], { everyEntries: 4, keepEntries: 2 }, { holdSnapshotWrites: true });
    await h.elapse(400);
    await until(() => h.core.status().role === 'leader', 'S1 to lead');
    // One write at a time, until one carries a snapshot (that write, and so its entries' replies, then waits).
    for (let seq = 1; seq <= 12 && h.heldSnapshotWrites.length === 0; seq++) {
      let replied = false;
      void h.put(seq, `k${seq}`, `v${seq}`).then(() => { replied = true; });
      await until(() => replied || h.heldSnapshotWrites.length > 0, `put ${seq} to be answered or a snapshot write issued`);
    }
    await until(() => h.heldSnapshotWrites.length === 1, 'a snapshot write to be issued');
    await settle(5);
    expect(h.collections(), 'no collection while the snapshot write is under way').toBe(0);
    h.heldSnapshotWrites.shift()?.();
    await until(() => h.collections() === 1, 'the collection after the snapshot write');
    expect(h.errors).toEqual([]);
  });

  it('restores an installed snapshot before applying the entries after it, and tells covered writes to retry', async () => {
    const h = harness([1, 2, 3], { everyEntries: 0, keepEntries: 0 });
    // S1 leads for a while and accepts a write it never gets to commit.
    await h.elapse(400);
    const vote = h.sent.find((msg) => msg.type === 'RequestVote');
    expect(vote).toBeDefined();
    h.deliver({ type: 'RequestVoteReply', from: 2, to: 1, term: vote!.term, voteGranted: true, preVote: false });
    await until(() => h.core.status().role === 'leader', 'S1 to lead');
    const uncommitted = h.put(1, 'lost', 'maybe');
    await settle(2);
    // The leader's state after 10 entries.
    const leaderKv = new KvStateMachine();
    leaderKv.apply(1, null);
    for (let index = 2; index <= 10; index++) {
      leaderKv.apply(index, encodeKvCommand({ clientId: 'L', seq: index, op: 'put', key: `k${index % 4}`, value: `v${index}` }));
    }
    const data = leaderKv.takeSnapshot();
    h.deliver({ type: 'InstallSnapshot', from: 2, to: 1, term: 3, lastIncludedIndex: 10, lastIncludedTerm: 3, offset: 0, data, done: true });
    await until(() => h.kv.appliedIndex === 10, 'the snapshot to be restored');
    expect(await uncommitted).toMatchObject({ status: 'retry', error: expect.stringMatching(/covered by a snapshot/) });
    expect(h.kv.snapshotData()).toEqual(leaderKv.snapshotData());
    // The UI is told the restored state (it never sees the snapshot's data).
    await until(() => h.reported.some((event) => event['type'] === 'kv-state'), 'the kv-state event');
    expect(h.reported.find((event) => event['type'] === 'kv-state')).toMatchObject({ node: 1, index: 10,
      entries: Object.entries(leaderKv.snapshotData()), tooLarge: false });
    const written = h.persists.find((persist) => persist.snapshot !== null);
    expect(written?.snapshot).toEqual({ lastIncludedIndex: 10, lastIncludedTerm: 3, data });
    expect(h.sent.some((msg) => msg.type === 'InstallSnapshotReply' && msg.done)).toBe(true);

    // Entries after the snapshot arrive and commit: applied on top of the restored state.
    const command = encodeKvCommand({ clientId: 'L', seq: 11, op: 'put', key: 'k11', value: 'after' });
    h.deliver({ type: 'AppendEntries', from: 2, to: 1, term: 3, prevLogIndex: 10, prevLogTerm: 3, leaderCommit: 11, readRound: 0,
      entries: [{ index: 11, term: 3, command }] });
    await until(() => h.kv.appliedIndex === 11, 'entry 11 to be applied');
    expect(h.kv.read('k11')).toBe('after');
    expect(h.kv.read('k2')).toBe('v10');
  });
});
