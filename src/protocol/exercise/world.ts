// What the condition evaluator knows of the lab: folded from the lab's event stream alone, so the same goals are
// checked the same way live in the app, by the headless runner (`raft-lab exercise run`) and on a recorded stream in
// tests. Bounded: logs keep their newest entries, event counts their newest occurrences.
import type { LabEvent, NodeStateView } from '../events';

const MAX_LOG_ENTRIES = 10_000;
/** The log may run this far past its bound before its oldest entries are dropped, in one splice rather than per write. */
const MAX_LOG_SLACK = 1_000;
const MAX_EVENTS_PER_KIND = 5_000;
const MAX_VIOLATIONS = 100;
/** Message goals count at most this many (10,000) since their step began; older messages are dropped in one splice. */
const MAX_MESSAGES = 10_000;
const MAX_MESSAGES_SLACK = 1_000;

export type ServerStatus = 'starting' | 'running' | 'paused' | 'crashed' | 'stopped';

export interface WorldEntry {
  readonly index: number;
  readonly term: number;
  readonly command: string | null;
}

export interface WorldNode {
  readonly id: number;
  status: ServerStatus;
  role: NodeStateView['role'];
  term: number;
  leaderId: number | null;
  commitIndex: number;
  /** The node's log as it reported its writes (the newest MAX_LOG_ENTRIES). */
  log: WorldEntry[];
}

export type ClientOpEvent = Extract<LabEvent, { type: 'client-op' }>;

interface Occurrence { readonly seq: number; readonly node: number }

/** A message between servers as the event stream told it (a send, a delivery or a drop). */
export interface MessageOccurrence {
  readonly seq: number;
  readonly direction: 'send' | 'receive' | 'drop';
  readonly type: string;
  readonly from: number;
  readonly to: number;
}

export class World {
  readonly nodes = new Map<number, WorldNode>();
  lastSeq = -1;
  lastClientOp: ClientOpEvent | null = null;
  /** The newest workload verdict (true/false), or null before any workload stopped (or when undecided). */
  lastWorkloadLinearizable: boolean | null = null;
  readonly violations: { readonly seq: number; readonly invariant: string }[] = [];
  private readonly raftEvents = new Map<string, Occurrence[]>();
  /** The newest messages, oldest first. */
  private readonly messages: MessageOccurrence[] = [];

  apply(event: LabEvent): void {
    this.lastSeq = Math.max(this.lastSeq, event.seq);
    switch (event.type) {
      case 'cluster-phase':
        if (event.phase === 'starting' || event.phase === 'stopped') this.nodes.clear();
        return;
      case 'node-status':
        this.node(event.node).status = event.status;
        return;
      case 'node-state': {
        const node = this.node(event.node);
        node.role = event.state.role;
        node.term = event.state.term;
        node.leaderId = event.state.leaderId;
        node.commitIndex = event.state.commitIndex;
        return;
      }
      case 'log-write':
        this.writeLog(this.node(event.node), event.entries);
        return;
      case 'raft':
        this.count(event.event.kind, { seq: event.seq, node: event.node });
        return;
      case 'message':
        this.messages.push({ seq: event.seq, direction: event.direction, type: event.message.type, from: event.message.from,
          to: event.message.to });
        if (this.messages.length > MAX_MESSAGES + MAX_MESSAGES_SLACK) this.messages.splice(0, this.messages.length - MAX_MESSAGES);
        return;
      case 'client-op':
        this.lastClientOp = event;
        return;
      case 'violation':
        if (this.violations.length >= MAX_VIOLATIONS) this.violations.shift();
        this.violations.push({ seq: event.seq, invariant: event.invariant });
        return;
      case 'workload':
        this.lastWorkloadLinearizable = event.linearizable;
        return;
      default:
        return;
    }
  }

  /**
   * The leader the cluster follows now: the one running leader of the newest term in which a running server leads or
   * knows its leader. An old leader cut off in a lower term does not count (it only believes it leads).
   */
  currentLeader(): WorldNode | null {
    const running = [...this.nodes.values()].filter((node) => node.status === 'running');
    // The newest term in which a running server leads or knows its leader, not merely the highest term: a cut-off
    // follower that times out again and again (without pre-vote) raises its own term with no election won, while the
    // majority's leader goes on committing. The inspector judges an old leader the same way (newestLeaderTerm).
    const newestLeaderTerm = Math.max(0, ...running.filter((node) => node.role === 'leader' || node.leaderId !== null).map((node) => node.term));
    const leaders = running.filter((node) => node.role === 'leader' && node.term === newestLeaderTerm);
    return leaders.length === 1 ? (leaders[0] as WorldNode) : null;
  }

  /** Raft events of `kind` (on `node`, if given) with seq > afterSeq. */
  countEvents(kind: string, node: number | null, afterSeq: number): number {
    const occurrences = this.raftEvents.get(kind) ?? [];
    let count = 0;
    for (let i = occurrences.length - 1; i >= 0; i -= 1) {
      const occurrence = occurrences[i] as Occurrence;
      if (occurrence.seq <= afterSeq) break;
      if (node === null || occurrence.node === node) count += 1;
    }
    return count;
  }

  /** Messages with seq > afterSeq that `matches` accepts, counted newest first up to `enough` (no need to count on). */
  countMessages(afterSeq: number, matches: (message: MessageOccurrence) => boolean, enough: number): number {
    let count = 0;
    for (let i = this.messages.length - 1; i >= 0 && count < enough; i -= 1) {
      const message = this.messages[i] as MessageOccurrence;
      if (message.seq <= afterSeq) break;
      if (matches(message)) count += 1;
    }
    return count;
  }

  private node(id: number): WorldNode {
    let node = this.nodes.get(id);
    if (!node) {
      node = { id, status: 'starting', role: 'follower', term: 0, leaderId: null, commitIndex: 0, log: [] };
      this.nodes.set(id, node);
    }
    return node;
  }

  private writeLog(node: WorldNode, entries: readonly WorldEntry[]): void {
    const first = entries[0];
    if (!first) return;
    // A write replaces the node's log from its first index on (Raft's truncate-and-append). The log is kept in index
    // order, so that is a cut at one position and an append: no copy of the log per write (this runs per event).
    const log = node.log;
    let cut = log.length;
    while (cut > 0 && (log[cut - 1] as WorldEntry).index >= first.index) cut -= 1;
    log.length = cut;
    for (const entry of entries) log.push({ index: entry.index, term: entry.term, command: entry.command });
    if (log.length > MAX_LOG_ENTRIES + MAX_LOG_SLACK) log.splice(0, log.length - MAX_LOG_ENTRIES);
  }

  private count(kind: string, occurrence: Occurrence): void {
    let list = this.raftEvents.get(kind);
    if (!list) {
      list = [];
      this.raftEvents.set(kind, list);
    }
    if (list.length >= MAX_EVENTS_PER_KIND) list.splice(0, list.length - MAX_EVENTS_PER_KIND + 1);
    list.push(occurrence);
  }
}
