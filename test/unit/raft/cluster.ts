// A tiny in-test harness: nodes, a FIFO "network" routed by hand, a disk per node honouring mustSync, and a clock.
// Not a simulator: tests decide exactly which messages are delivered, dropped or reordered.

import { createRaftNode } from '../../../src/raft';
import type {
  BugName, Entry, HardState, MembershipMode, Message, NodeId, PersistedState, RaftConfig, RaftEvent, RaftNode, Ready, Snapshot,
} from '../../../src/raft';

export interface ClusterOptions {
  readonly size?: number;
  /** This node gets a short election timeout ([100, 101) ms) and wins the first election; others [300, 400). */
  readonly favourite?: NodeId | null;
  readonly preVote?: boolean;
  readonly checkQuorum?: boolean;
  readonly bugs?: readonly BugName[];
  readonly maxEntriesPerMessage?: number;
  readonly maxSnapshotChunkChars?: number;
  readonly maxInflightMessages?: number;
  readonly maxInflightBytes?: number;
  readonly seed?: number;
  readonly membershipMode?: MembershipMode;
}

interface Disk {
  durable: PersistedState;
  volatile: PersistedState;
}

const MAX_DELIVERIES = 100_000;
const MAX_RUN_STEPS = 10_000;

export class Cluster {
  readonly nodes = new Map<NodeId, RaftNode>();
  readonly configs = new Map<NodeId, RaftConfig>();
  readonly disks = new Map<NodeId, Disk>();
  /** Messages in flight, in send order. */
  network: Message[] = [];
  readonly events: RaftEvent[] = [];
  readonly applied = new Map<NodeId, Entry[]>();
  /** Every entry handed out in committedEntries, by any node, in order (survives restarts). */
  readonly appliedHistory: { node: NodeId; entry: Entry }[] = [];
  readonly readies = new Map<NodeId, Ready[]>();
  nowMs = 0;
  /** Decides whether a message is delivered (true) or dropped (false). */
  filter: (message: Message) => boolean = () => true;

  constructor(readonly options: ClusterOptions = {}) {
    const size = options.size ?? 3;
    const members = Array.from({ length: size }, (_, i) => i + 1);
    for (const id of members) {
      this.configs.set(id, nodeConfig(id, members, options));
      this.disks.set(id, { durable: emptyState(), volatile: emptyState() });
      this.applied.set(id, []);
      this.readies.set(id, []);
      this.nodes.set(id, createRaftNode(this.config(id), null, this.nowMs));
    }
  }

  node(id: NodeId): RaftNode {
    const node = this.nodes.get(id);
    if (node === undefined) throw new Error(`no node S${id}`);
    return node;
  }

  config(id: NodeId): RaftConfig {
    const config = this.configs.get(id);
    if (config === undefined) throw new Error(`no config S${id}`);
    return config;
  }

  disk(id: NodeId): Disk {
    const disk = this.disks.get(id);
    if (disk === undefined) throw new Error(`no disk S${id}`);
    return disk;
  }

  /** Drains one node's Ready: persists (durably if mustSync), queues messages, records applied entries. */
  drain(id: NodeId): void {
    const node = this.node(id);
    for (let i = 0; i < 100 && node.hasReady(); i++) {
      const ready = node.ready();
      this.readies.get(id)?.push(ready);
      const disk = this.disk(id);
      disk.volatile = applyPersist(disk.volatile, ready.persist.hardState, ready.persist.entries, ready.persist.snapshot);
      if (ready.persist.mustSync) disk.durable = disk.volatile;
      this.network.push(...ready.messages);
      this.events.push(...ready.events);
      this.applied.get(id)?.push(...ready.committedEntries);
      for (const entry of ready.committedEntries) this.appliedHistory.push({ node: id, entry });
    }
  }

  drainAll(): void {
    for (const id of this.nodes.keys()) this.drain(id);
  }

  /** Delivers every message in flight (and those they cause), FIFO, through the filter. */
  deliverAll(): number {
    this.drainAll();
    let delivered = 0;
    while (this.network.length > 0) {
      if (delivered >= MAX_DELIVERIES) throw new Error('deliverAll: message storm');
      const message = this.network.shift();
      if (message === undefined) break;
      if (!this.nodes.has(message.to) || !this.filter(message)) continue;
      this.node(message.to).step(message);
      this.drain(message.to);
      delivered += 1;
    }
    return delivered;
  }

  /** Takes (and removes) the messages in flight that match, without delivering them. */
  take(match: (message: Message) => boolean): Message[] {
    const taken = this.network.filter(match);
    this.network = this.network.filter((m) => !match(m));
    return taken;
  }

  deliver(message: Message): void {
    this.node(message.to).step(message);
    this.drain(message.to);
  }

  tick(id: NodeId, nowMs: number): void {
    this.node(id).tick(nowMs);
    this.drain(id);
  }

  /** Advances the clock to `untilMs`, firing every timer on the way and delivering all messages instantly. */
  runUntil(untilMs: number): void {
    for (let step = 0; step < MAX_RUN_STEPS; step++) {
      this.deliverAll();
      const next = Math.min(...[...this.nodes.values()].map((node) => node.nextDeadlineMs()));
      if (next > untilMs) break;
      this.nowMs = Math.max(this.nowMs, next);
      for (const id of this.nodes.keys()) this.tick(id, this.nowMs);
    }
    this.nowMs = Math.max(this.nowMs, untilMs);
    for (const id of this.nodes.keys()) this.tick(id, this.nowMs);
    this.deliverAll();
  }

  run(durationMs: number): void {
    this.runUntil(this.nowMs + durationMs);
  }

  /** Runs until some node is leader; returns it. */
  electLeader(limitMs = 5000): NodeId {
    const deadline = this.nowMs + limitMs;
    while (this.nowMs < deadline) {
      this.run(10);
      const leader = this.leader();
      if (leader !== null) return leader;
    }
    throw new Error(`no leader within ${limitMs} ms`);
  }

  leader(): NodeId | null {
    const leaders = [...this.nodes].filter(([, n]) => n.status().role === 'leader').map(([id]) => id);
    const best = leaders.sort((a, b) => this.node(b).status().term - this.node(a).status().term)[0];
    return best ?? null;
  }

  /** Crash (losing unsynced writes and in-flight messages to it) and restart from the durable disk. */
  restart(id: NodeId): void {
    const disk = this.disk(id);
    disk.volatile = disk.durable;
    this.network = this.network.filter((m) => m.to !== id && m.from !== id);
    this.applied.set(id, []);
    this.nodes.set(id, createRaftNode(this.config(id), disk.durable, this.nowMs));
  }

  eventsOf(id: NodeId, kind?: RaftEvent['kind']): RaftEvent[] {
    return this.events.filter((e) => e.node === id && (kind === undefined || e.kind === kind));
  }

  isolate(id: NodeId): void {
    this.filter = (m) => m.from !== id && m.to !== id;
  }

  heal(): void {
    this.filter = () => true;
  }
}

export function nodeConfig(id: NodeId, members: readonly NodeId[], options: ClusterOptions = {}): RaftConfig {
  const favourite = options.favourite === undefined ? 1 : options.favourite;
  const electionTimeoutMs: [number, number] = favourite === null ? [150, 300] : id === favourite ? [100, 101] : [300, 400];
  return {
    id, members, electionTimeoutMs, heartbeatMs: 20, randomSeed: options.seed ?? 42,
    preVote: options.preVote ?? false, checkQuorum: options.checkQuorum ?? false,
    bugs: options.bugs ?? [], maxEntriesPerMessage: options.maxEntriesPerMessage ?? 64,
    ...(options.maxSnapshotChunkChars === undefined ? {} : { maxSnapshotChunkChars: options.maxSnapshotChunkChars }),
    ...(options.membershipMode === undefined ? {} : { membershipMode: options.membershipMode }),
    ...(options.maxInflightMessages === undefined ? {} : { maxInflightMessages: options.maxInflightMessages }),
    ...(options.maxInflightBytes === undefined ? {} : { maxInflightBytes: options.maxInflightBytes }),
  };
}

export function emptyState(): PersistedState {
  return { hardState: { term: 0, votedFor: null }, entries: [] };
}

/**
 * A disk write: the snapshot first (stored entries following its last index and term are kept, any other stored
 * log is dropped: Figure 13, receiver 6-7), then the entries replace the stored suffix from their first index.
 */
export function applyPersist(
  state: PersistedState, hardState: HardState | null, entries: readonly Entry[], snapshot: Snapshot | null = null,
): PersistedState {
  let stored = state.entries;
  let stateSnapshot = state.snapshot ?? null;
  if (snapshot !== null) {
    const base = stateSnapshot?.lastIncludedIndex ?? 0;
    const at = stored[snapshot.lastIncludedIndex - base - 1];
    stored = at !== undefined && at.term === snapshot.lastIncludedTerm ? stored.slice(snapshot.lastIncludedIndex - base) : [];
    stateSnapshot = snapshot;
  }
  const base = stateSnapshot?.lastIncludedIndex ?? 0;
  const first = entries[0];
  const kept = first === undefined ? stored : stored.slice(0, first.index - 1 - base);
  return { hardState: hardState ?? state.hardState, snapshot: stateSnapshot, entries: [...kept, ...entries] };
}

/** Builds a log from a list of terms: [1, 1, 2] => entries 1..3 with those terms. */
export function logOfTerms(terms: readonly number[]): Entry[] {
  return terms.map((term, i) => ({ index: i + 1, term, command: `c${i + 1}` }));
}

export function persisted(term: number, votedFor: NodeId | null, terms: readonly number[]): PersistedState {
  return { hardState: { term, votedFor }, entries: logOfTerms(terms) };
}
