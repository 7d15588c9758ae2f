// Builds lab event streams by hand for the safety monitor's tests: each helper appends the events a node process
// (or the lab) would report, stamped on one clock that advances 1 ms per event unless told otherwise. Events can be
// delivered in any order (the lab's merge does not follow causality), and the monitor's output is collected.
import type { EventDetail } from '../../../../src/protocol/control';
import type { LabEvent, NodeStateView, UnsequencedLabEvent } from '../../../../src/protocol/events';
import { DEFAULT_SETTINGS, type ClusterSettings } from '../../../../src/protocol/lab-api';
import type { BugName, NodeId, Role } from '../../../../src/raft/types';
import { SafetyMonitor } from '../../../../src/lab/safety/safety-monitor';

export type Violation = Extract<UnsequencedLabEvent, { type: 'violation' }>;

interface StateFields {
  role?: Role; term?: number; votedFor?: NodeId | null; commit?: number; applied?: number; last?: number; lastTerm?: number;
  snapshotIndex?: number; snapshotTerm?: number;
}

export class StreamScript {
  readonly published: UnsequencedLabEvent[] = [];
  readonly monitor: SafetyMonitor;
  private seq = 0;
  private nowNs = 1_000_000;
  private readonly pids = new Map<NodeId, number>();

  constructor(eventDetail: EventDetail = 'state') {
    this.monitor = new SafetyMonitor({ eventDetail, publish: (event) => this.published.push(event) });
  }

  get violations(): Violation[] {
    return this.published.filter((event): event is Violation => event.type === 'violation');
  }

  get invariants(): string[] {
    return this.violations.map((violation) => violation.invariant);
  }

  /** The current stamp (ns) and moves the clock on by `ms`. */
  tick(ms = 1): number {
    this.nowNs += ms * 1e6;
    return this.nowNs;
  }

  get now(): number {
    return this.nowNs;
  }

  /** Builds one event (stamped now, or at `atNs`) without delivering it. */
  make(event: Record<string, unknown>, atNs = this.tick()): LabEvent {
    return { ...event, atNs, seq: this.seq++ } as LabEvent;
  }

  deliver(...events: LabEvent[]): this {
    this.monitor.observe(events);
    return this;
  }

  emit(event: Record<string, unknown>, atNs?: number): this {
    return this.deliver(this.make(event, atNs));
  }

  start(nodeCount: number, settings: Partial<ClusterSettings> & { bugs?: BugName[] } = {}): this {
    this.emit({ type: 'cluster-phase', phase: 'starting', settings: { ...DEFAULT_SETTINGS, ...settings, nodeCount } });
    for (let node = 1; node <= nodeCount; node += 1) {
      this.alive(node);
      this.state(node, {});
    }
    return this.emit({ type: 'cluster-phase', phase: 'running' });
  }

  /** A (re)started process says hello: then it reports its recovered log (`write`) and its first state. */
  alive(node: NodeId): this {
    const pid = (this.pids.get(node) ?? node * 1000) + 1;
    this.pids.set(node, pid);
    return this.emit({ type: 'node-alive', node, pid, peerEndpoint: `tcp://127.0.0.1:${5000 + node}` });
  }

  crashed(node: NodeId): this {
    return this.emit({ type: 'node-status', node, status: 'crashed', pid: null, reason: 'killed by SIGKILL' });
  }

  stateEvent(node: NodeId, f: StateFields, atNs?: number): LabEvent {
    const state: NodeStateView = {
      role: f.role ?? 'follower', term: f.term ?? 0, votedFor: f.votedFor ?? null, leaderId: null,
      commitIndex: f.commit ?? 0, lastApplied: f.applied ?? f.commit ?? 0, lastLogIndex: f.last ?? 0, lastLogTerm: f.lastTerm ?? 0,
      snapshotIndex: f.snapshotIndex ?? 0, snapshotTerm: f.snapshotTerm ?? 0, electionDeadlineNs: null, progress: null,
    };
    return this.make({ type: 'node-state', node, state }, atNs);
  }

  state(node: NodeId, f: StateFields, atNs?: number): this {
    return this.deliver(this.stateEvent(node, f, atNs));
  }

  /** A durable write of entries first..first+terms.length-1 with these terms (commands "c<index>@<term>"). */
  writeEvent(node: NodeId, first: number, terms: readonly number[], atNs?: number): LabEvent {
    const entries = terms.map((term, i) => ({ index: first + i, term, command: `c${first + i}@${term}` }));
    return this.make({ type: 'log-write', node, entries }, atNs);
  }

  write(node: NodeId, first: number, terms: readonly number[]): this {
    return this.deliver(this.writeEvent(node, first, terms));
  }

  raft(node: NodeId, kind: string, term: number, data: Record<string, string | number | boolean | null>): this {
    return this.emit({ type: 'raft', node, event: { kind, node, term, rule: 'rule', reason: 'reason', data } });
  }

  /** `voter` grants its vote in `term` to `candidate`, and (unless told not to) the candidate counts it. */
  vote(voter: NodeId, candidate: NodeId, term: number, received = true): this {
    this.raft(voter, 'vote-granted', term, { candidate, votedFor: null });
    if (received) this.raft(candidate, 'vote-received', term, { from: voter, granted: true });
    return this;
  }

  /** `leader` wins `term` with `voters`, and every node reports its state (logs as they stand). */
  elect(leader: NodeId, term: number, voters: readonly NodeId[], last: number): this {
    for (const voter of voters) {
      this.state(voter, { term, votedFor: leader, last });
      this.vote(voter, leader, term);
    }
    this.raft(leader, 'became-leader', term, {});
    return this.state(leader, { role: 'leader', term, votedFor: leader, last });
  }
}
