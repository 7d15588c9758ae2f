// A node process must not die of what a peer sends: the core refuses invalid messages whole (message-checks.ts), and
// should the core still throw (a broken invariant of its own), the runtime reports it and stops cleanly (a crash,
// which Raft tolerates) instead of carrying on from a half-changed state or dying of an uncaught exception.
import { describe, expect, it } from 'vitest';
import { RaftRuntime } from '../../../src/node/runtime/raft-runtime';
import { EventReporter } from '../../../src/node/reporting/event-reporter';
import { LabClock } from '../../../src/node/runtime/lab-clock';
import { EventLoopScheduler } from '../../../src/node/runtime/event-loop-scheduler';
import type { LabLink } from '../../../src/node/lab-link';
import type { Wal } from '../../../src/node/storage';
import type { PeerTransport } from '../../../src/node/transport/peer-transport';
import type { PeerFrame } from '../../../src/protocol/wire';
import { KvStateMachine } from '../../../src/kv/state-machine';
import { createRaftNode } from '../../../src/raft';
import type { Message, RaftNode } from '../../../src/raft/types';

const settle = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function harness(core: RaftNode) {
  const clock = new LabClock({ anchorNs: 0, labMs: 0, timeScale: 1, frozen: false }, () => 0);
  const wal: Wal = {
    path: '/nowhere', write: () => Promise.resolve(), writeThen: (_persist, done) => done(null), compact: () => Promise.resolve(), close: () => Promise.resolve(),
    stats: () => ({ writes: 0, syncs: 0, batches: 0, compactions: 0, snapshots: 0, failedSnapshotDeletes: 0, extensions: 0, endBytes: 0, fileBytes: 0,
      snapshotIndex: 0, lastIndex: 0, term: 0 }),
  };
  const sent: PeerFrame[] = [];
  const transport = { selfId: 1, endpoint: 'tcp://127.0.0.1:1', setPeers: () => undefined, setFaults: () => undefined,
    setTimeScale: () => undefined, stats: () => ({ peers: {}, invalid: 0, unroutable: 0 }), close: () => Promise.resolve(),
    send: (frame: PeerFrame) => void sent.push(frame) } satisfies PeerTransport;
  const link: LabLink = { send: () => undefined, close: () => undefined };
  const fatal: string[] = [];
  const runtime = new RaftRuntime({ nodeId: 1, core, scheduler: new EventLoopScheduler(clock), wal, transport, clock, kv: new KvStateMachine(),
    reporter: new EventReporter(link, 1, 'x'.repeat(16)), eventDetail: 'state',
    snapshotPolicy: { everyEntries: 0, keepEntries: 0 }, onError: () => undefined,
    // As main.ts does: report, schedule the exit, and throw.
    onFatal: (error) => { fatal.push(error.message); throw error; } });
  let counter = 0;
  const deliver = (msg: Message): void => runtime.onPeerFrame({ v: 1, id: `2.t-${++counter}`, sentAtNs: 0, msg });
  return { runtime, sent, fatal, deliver };
}

const realCore = (): RaftNode => createRaftNode({ id: 1, members: [1, 2, 3], electionTimeoutMs: [150, 300], heartbeatMs: 50, randomSeed: 7 }, null, 0);

describe('the runtime around the core', () => {
  it('an AppendEntries with an entry of term 0 reaches the core and changes nothing; the node keeps serving', async () => {
    const core = realCore();
    const h = harness(core);
    h.runtime.start();
    h.deliver({ type: 'AppendEntries', from: 2, to: 1, term: 3, prevLogIndex: 0, prevLogTerm: 0, leaderCommit: 0, readRound: 0,
      entries: [{ index: 1, term: 0, command: null }] });
    await settle(5);
    expect(h.fatal).toEqual([]);
    expect(core.status()).toMatchObject({ term: 0, lastLogIndex: 0 });
    h.deliver({ type: 'AppendEntries', from: 2, to: 1, term: 3, prevLogIndex: 0, prevLogTerm: 0, leaderCommit: 0, readRound: 0,
      entries: [{ index: 1, term: 3, command: null }] });
    await settle(5);
    expect(core.status()).toMatchObject({ term: 3, lastLogIndex: 1, leaderId: 2 });
    expect(h.sent.map((frame) => frame.msg)).toContainEqual(expect.objectContaining({ type: 'AppendEntriesReply', success: true, matchIndex: 1 }));
    h.runtime.stop();
  });

  it('a core that throws anyway (a broken invariant) is reported once and the node stops taking input, without an uncaught exception', async () => {
    const real = realCore();
    let steps = 0;
    const core: RaftNode = new Proxy(real, {
      get(target, property, receiver) {
        if (property === 'step') {
          return (message: Message) => {
            steps += 1;
            throw new Error(`raft invariant violated: test (${message.type})`);
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const h = harness(core);
    h.runtime.start();
    const heartbeat: Message = { type: 'AppendEntries', from: 2, to: 1, term: 1, prevLogIndex: 0, prevLogTerm: 0, leaderCommit: 0, readRound: 0, entries: [] };
    expect(() => h.deliver(heartbeat)).not.toThrow();
    expect(h.fatal).toEqual(['the Raft core failed on AppendEntries 2.t-1 from S2: raft invariant violated: test (AppendEntries); ' +
      'the node stops (a restart recovers from its disk)']);
    h.deliver(heartbeat);
    h.runtime.handleClient({ v: 1, requestId: 'r', clientId: 'c', seq: 0, op: 'get', key: 'k' }, () => undefined);
    await settle(5);
    expect(steps).toBe(1);
    expect(h.fatal).toHaveLength(1);
  });
});
