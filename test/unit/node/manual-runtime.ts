// A real RaftRuntime around a real core and KV, with a WAL whose writes complete only when the test says so, a
// transport that records what was sent, and a lab link that records what was reported: for tests of what a node
// does while its disk is behind.
import { RaftRuntime } from '../../../src/node/runtime/raft-runtime';
import { EventReporter } from '../../../src/node/reporting/event-reporter';
import { LabClock } from '../../../src/node/runtime/lab-clock';
import { EventLoopScheduler } from '../../../src/node/runtime/event-loop-scheduler';
import type { LabLink } from '../../../src/node/lab-link';
import type { Wal } from '../../../src/node/storage';
import type { PeerTransport } from '../../../src/node/transport/peer-transport';
import type { PeerFrame } from '../../../src/protocol/wire';
import type { EventDetail, NodeToLabFrame } from '../../../src/protocol/control';
import { KvStateMachine } from '../../../src/kv/state-machine';
import { createRaftNode } from '../../../src/raft';
import type { BugName, Message, Persist } from '../../../src/raft/types';

/** A WAL whose writes complete only when the test says so, in order. */
export class ManualWal {
  readonly pending: { persist: Persist; resolve: () => void }[] = [];
  lastDurableIndex = 0;
  readonly api: Wal = {
    path: '/nowhere',
    write: (persist) => new Promise<void>((resolve) => {
      this.pending.push({ persist, resolve });
    }),
    writeThen: (persist, done) => void this.api.write(persist).then(() => done(null), (error: Error) => done(error)),
    compact: () => Promise.resolve(),
    stats: () => ({ writes: 0, syncs: 0, batches: 0, compactions: 0, snapshots: 0, failedSnapshotDeletes: 0, extensions: 0, endBytes: 0, fileBytes: 0,
      snapshotIndex: 0, lastIndex: 0, term: 0 }),
    close: () => Promise.resolve(),
  };

  async completeNext(): Promise<void> {
    const next = this.pending.shift();
    const last = next?.persist.entries.at(-1);
    if (last) this.lastDurableIndex = last.index;
    next?.resolve();
    await settle();
  }

  async completeAll(): Promise<void> {
    while (this.pending.length > 0) await this.completeNext();
  }
}

/** Lets promise chains, setImmediate drains and the reporter's 10 ms flush run. */
export const settle = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `maxSessions`: the KV's bound of open client sessions (its default when omitted). */
export function harness(eventDetail: EventDetail = 'state', bugs: readonly BugName[] = [], maxSessions?: number) {
  let nowMs = 0;
  const clock = new LabClock({ anchorNs: 0, labMs: 0, timeScale: 1, frozen: false }, () => nowMs * 1e6);
  const wal = new ManualWal();
  const sent: { frame: PeerFrame; durableAtSend: number }[] = [];
  const transport = { selfId: 1, endpoint: 'tcp://127.0.0.1:1', setPeers: () => undefined, setFaults: () => undefined,
    setTimeScale: () => undefined, stats: () => ({ peers: {}, invalid: 0, unroutable: 0 }), close: () => Promise.resolve(),
    send: (frame: PeerFrame) => void sent.push({ frame, durableAtSend: wal.lastDurableIndex }) } satisfies PeerTransport;
  const labFrames: NodeToLabFrame[] = [];
  const link: LabLink = { send: (frame) => void labFrames.push(frame), close: () => undefined };
  const core = createRaftNode({ id: 1, members: [1, 2, 3], electionTimeoutMs: [150, 300], heartbeatMs: 50, randomSeed: 7 }, null, 0);
  const runtime = new RaftRuntime({ nodeId: 1, core, scheduler: new EventLoopScheduler(clock), wal: wal.api, transport, clock, kv: new KvStateMachine(maxSessions === undefined ? {} : { maxSessions }),
    reporter: new EventReporter(link, 1, 'x'.repeat(16)), eventDetail,
    snapshotPolicy: { everyEntries: 0, keepEntries: 0 }, bugs, onError: (message) => { throw new Error(message); },
    onFatal: (error) => { throw error; } });
  const reportedEvents = (type: string): Record<string, unknown>[] => labFrames
    .flatMap((frame) => frame.type === 'events' ? frame.events : []).filter((event) => event['type'] === type);
  const reportedCommits = (): number[] => reportedEvents('node-state')
    .map((event) => (event['state'] as { commitIndex: number }).commitIndex);
  return {
    wal, sent, runtime, core, reportedCommits, reportedEvents,
    advance(ms: number) { nowMs += ms; },
    deliver(msg: Message) { runtime.onPeerFrame({ v: 1, id: `x-${Math.random()}`, sentAtNs: 0, msg }); },
  };
}

