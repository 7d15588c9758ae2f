// Builders for realistic LabEvent streams (what the lab sends for a small cluster), numbered in order.
import type { LabEvent, MessageView, NodeStateView, RaftEventView, UnsequencedLabEvent } from '../../../src/protocol/events';
import { DEFAULT_SETTINGS, type LabSnapshot } from '../../../src/protocol/lab-api';
import { seededRandom } from '../../../src/raft/random';

export { seededRandom };

export class EventStream {
  readonly events: LabEvent[] = [];
  private seq: number;
  private nowNs: number;

  constructor(firstSeq = 0, startNs = 1_000_000_000) {
    this.seq = firstSeq;
    this.nowNs = startNs;
  }

  /** Advance the shared clock. */
  wait(ms: number): this {
    this.nowNs += ms * 1e6;
    return this;
  }

  get atNs(): number {
    return this.nowNs;
  }

  add(event: UnsequencedLabEvent | Omit<UnsequencedLabEvent, 'atNs'>): LabEvent {
    const full = { atNs: this.nowNs, ...event, seq: this.seq } as LabEvent;
    this.seq += 1;
    this.nowNs += 100_000; // 0.1 ms between events
    this.events.push(full);
    return full;
  }

  phase(phase: 'stopped' | 'starting' | 'running' | 'stopping'): LabEvent {
    return this.add({ type: 'cluster-phase', phase });
  }

  status(node: number, status: 'starting' | 'running' | 'paused' | 'crashed' | 'stopped', reason = ''): LabEvent {
    return this.add({ type: 'node-status', node, status, pid: status === 'crashed' ? null : 100 + node, reason });
  }

  alive(node: number): LabEvent {
    return this.add({ type: 'node-alive', node, pid: 100 + node, peerEndpoint: `tcp://127.0.0.1:${5000 + node}` });
  }

  state(node: number, patch: Partial<NodeStateView>): LabEvent {
    return this.add({ type: 'node-state', node, state: { ...nodeState(), ...patch } });
  }

  raft(node: number, kind: RaftEventView['kind'], term: number, reason = `${kind} happened`, rule = 'Figure 2'): LabEvent {
    return this.add({ type: 'raft', node, event: { kind, node, term, rule, reason, data: {} } });
  }

  write(node: number, entries: { index: number; term: number; command: string | null }[]): LabEvent {
    return this.add({ type: 'log-write', node, entries });
  }

  send(id: string, message: MessageView): LabEvent {
    return this.add({ type: 'message', node: message.from, direction: 'send', id, message, dropReason: null });
  }

  receive(id: string, message: MessageView): LabEvent {
    return this.add({ type: 'message', node: message.to, direction: 'receive', id, message, dropReason: null });
  }

  drop(id: string, message: MessageView, atNode: number, reason: string): LabEvent {
    return this.add({ type: 'message', node: atNode, direction: 'drop', id, message, dropReason: reason });
  }

  fault(action: 'crash' | 'restart' | 'pause' | 'resume' | 'wipe' | 'partition' | 'link' | 'heal' | 'time-scale' | 'add-server' | 'remove-server',
    nodes: number[], description: string): LabEvent {
    return this.add({ type: 'fault', action, nodes, description });
  }

  /** A 3-node cluster starting, node 1 winning term 1. */
  startCluster(nodes = 3, leader = 1): this {
    this.phase('starting');
    for (let id = 1; id <= nodes; id += 1) {
      this.status(id, 'starting');
      this.alive(id);
      this.status(id, 'running');
      this.state(id, {});
    }
    this.phase('running');
    this.state(leader, { role: 'candidate', term: 1, votedFor: leader });
    this.raft(leader, 'election-started', 1);
    this.state(leader, { role: 'leader', term: 1, votedFor: leader, leaderId: leader });
    this.raft(leader, 'became-leader', 1, `won the election for term 1`);
    return this;
  }
}

export function nodeState(): NodeStateView {
  return { role: 'follower', term: 0, votedFor: null, leaderId: null, commitIndex: 0, lastApplied: 0, lastLogIndex: 0,
    lastLogTerm: 0, electionDeadlineNs: null, progress: null };
}

export function appendEntries(from: number, to: number, term: number, entries: { index: number; term: number }[] = []): MessageView {
  return { type: 'AppendEntries', from, to, term, fields: { prevLogIndex: 0, prevLogTerm: 0, leaderCommit: 0, readRound: 0,
    entryCount: entries.length }, entries };
}

export function requestVote(from: number, to: number, term: number): MessageView {
  return { type: 'RequestVote', from, to, term, fields: { lastLogIndex: 0, lastLogTerm: 0, preVote: false } };
}

export function kvCommand(clientId: string, seq: number, op: 'put' | 'delete' | 'cas', key: string,
  extra: { value?: string; from?: string; to?: string } = {}): string {
  return JSON.stringify({ clientId, seq, op, key, ...extra });
}

export function snapshotOf(overrides: Partial<LabSnapshot> = {}): LabSnapshot {
  return { phase: 'stopped', settings: DEFAULT_SETTINGS, nodes: [], blockedLinks: [], linkFaults: {}, atNs: 0, nextSeq: 0,
    ...overrides };
}


/** A long, varied stream: elections, replication with KV commands, messages with drops, faults. */
export function randomStream(seed: number, count: number, nodes = 5): EventStream {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const ids = Array.from({ length: nodes }, (_, i) => i + 1);
  const stream = new EventStream().startCluster(nodes);
  let term = 1;
  let leader = 1;
  const logLength = new Map<number, number>(ids.map((id) => [id, 0]));
  const applied = new Map<number, number>(ids.map((id) => [id, 0]));
  const open: { id: string; message: MessageView }[] = [];
  let messageId = 0;
  let clientSeq = 0;
  while (stream.events.length < count) {
    const roll = random();
    const node = pick(ids);
    if (roll < 0.3) {
      const to = pick(ids.filter((id) => id !== leader));
      const message = appendEntries(leader, to, term);
      const id = `m${messageId++}`;
      if (random() < 0.1) stream.drop(id, message, leader, 'link blocked (partition)');
      else {
        stream.send(id, message);
        open.push({ id, message });
      }
    } else if (roll < 0.5 && open.length > 0) {
      const [m] = open.splice(Math.floor(random() * open.length), 1);
      if (m) {
        if (random() < 0.15) stream.drop(m.id, m.message, m.message.to, 'link blocked (partition, receiving side)');
        else stream.receive(m.id, m.message);
      }
    } else if (roll < 0.53) {
      // The lab's merge can put a receive before its send.
      const to = pick(ids.filter((id) => id !== leader));
      const message = appendEntries(leader, to, term);
      const id = `m${messageId++}`;
      stream.receive(id, message);
      stream.send(id, message);
    } else if (roll < 0.65) {
      const start = random() < 0.2 ? Math.max(1, (logLength.get(node) ?? 0) - 2) : (logLength.get(node) ?? 0) + 1;
      const entries = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, i) => {
        clientSeq += 1;
        const op = pick(['put', 'put', 'delete', 'cas'] as const);
        const key = pick(['x', 'y', 'z']);
        const command = random() < 0.1 ? null : random() < 0.05 ? '{not json' : kvCommand(pick(['c1', 'c2']), random() < 0.1 ? 1 : clientSeq, op, key,
          { value: String(clientSeq), from: String(clientSeq - 3), to: String(clientSeq) });
        return { index: start + i, term, command };
      });
      stream.write(node, entries);
      logLength.set(node, start + entries.length - 1);
    } else if (roll < 0.8) {
      const last = logLength.get(node) ?? 0;
      const nextApplied = random() < 0.05 ? 0 : Math.min(last, (applied.get(node) ?? 0) + Math.floor(random() * 3));
      applied.set(node, nextApplied);
      stream.state(node, { role: node === leader ? 'leader' : 'follower', term, leaderId: leader, commitIndex: nextApplied,
        lastApplied: nextApplied, lastLogIndex: last, lastLogTerm: term });
    } else if (roll < 0.83) {
      term += 1;
      leader = node;
      stream.raft(node, 'became-leader', term);
      stream.state(node, { role: 'leader', term, leaderId: node, lastApplied: applied.get(node) ?? 0, lastLogIndex: logLength.get(node) ?? 0 });
    } else if (roll < 0.86) {
      stream.fault(pick(['crash', 'pause', 'partition', 'heal', 'wipe'] as const), [node], `fault on S${node}`);
      if (random() < 0.5) stream.status(node, pick(['crashed', 'paused', 'running'] as const));
    } else if (roll < 0.9) {
      stream.add({ type: 'client-op', client: 1, op: 'put', key: 'x', status: 'ok', value: '1', servedBy: leader, latencyMs: 2,
        callNs: stream.atNs - 2e6 });
    } else {
      stream.raft(node, pick(['vote-granted', 'append-accepted', 'commit-advanced']), term);
    }
    stream.wait(random() * 3);
  }
  return stream;
}
