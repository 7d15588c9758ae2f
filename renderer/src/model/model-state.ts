// The reducer's whole state: the LabView the UI draws, plus what the view does not show but the next event needs
// (each node's KV client sessions, to skip retried commands exactly as the real state machine does).
import type { ClusterSettings, LabSnapshot, LogEntryView, NodeView } from '../../../src/protocol/lab-api';
import type { NodeId } from '../../../src/protocol/raft';
import type { LabView, NodeViewState } from './lab-view';

/** A node's applied KV state as the UI derives it from the log. */
export interface KvShadow {
  /** Highest log index folded into `values`. */
  readonly appliedIndex: number;
  readonly values: Readonly<Record<string, string>>;
  /** Last applied request seq per client id (dissertation §6.3 sessions). */
  readonly sessions: Readonly<Record<string, number>>;
  /**
   * Index of the kv-state event this state started from (a restored snapshot), absent when it was folded from index 1.
   * Such a state cannot be rebuilt from the log (its prefix is in the snapshot), so a restart keeps it (advanceKv).
   */
  readonly restoredAt?: number;
}

export interface ModelState {
  readonly view: LabView;
  readonly kv: Readonly<Record<number, KvShadow>>;
  /**
   * Ids of messages whose receive or drop came before their send (the lab merges node reports in arrival order, so a
   * receiver's report can overtake the sender's). Their late send must not start a message in flight. Bounded.
   */
  readonly endedBeforeSend: readonly string[];
}

/** What a saved session or the lab can tell about a node beyond its NodeView (logs are not in the snapshot). */
export interface BaseNodeDetail {
  readonly log: readonly LogEntryView[];
  readonly kv: Readonly<Record<string, string>>;
  readonly sessions?: Readonly<Record<string, number>>;
  /** Highest log index folded into `kv` (default: the node's lastApplied). */
  readonly appliedIndex?: number;
  /** See KvShadow.restoredAt and NodeViewState.kvTooLargeAt. */
  readonly restoredAt?: number;
  readonly kvTooLargeAt?: number;
}

export const EMPTY_KV: KvShadow = Object.freeze({ appliedIndex: 0, values: Object.freeze({}), sessions: Object.freeze({}) });

export function blankNode(id: NodeId): NodeViewState {
  return {
    id, status: 'starting', pid: null, peerEndpoint: null, role: 'follower', term: 0, votedFor: null, leaderId: null,
    commitIndex: 0, lastApplied: 0, lastLogIndex: 0, log: [], lastLogTerm: 0, progress: null, electionDeadlineNs: null,
    kv: EMPTY_KV.values, lastEvent: null,
  };
}

/** No cluster, no events: where a lab whose whole event history is known starts. */
export function emptyModel(settings: ClusterSettings, atNs: number, seq = -1): ModelState {
  return {
    view: { atNs, seq, phase: 'stopped', settings, nodes: {}, inFlight: [], recentOutcomes: [], blockedLinks: [],
      leaderId: null, recentFaults: [], recentErrors: [], recentClientOps: [] },
    kv: {},
    endedBeforeSend: [],
  };
}

/** The lab as a snapshot describes it, just before event `snapshot.nextSeq`. Logs come from `details` if known. */
export function modelFromSnapshot(snapshot: LabSnapshot, details: Readonly<Record<number, BaseNodeDetail>> = {}): ModelState {
  const nodes: Record<number, NodeViewState> = {};
  const kv: Record<number, KvShadow> = {};
  for (const node of snapshot.nodes) {
    const detail = details[node.id];
    nodes[node.id] = nodeFromView(node, detail);
    if (detail) {
      kv[node.id] = { appliedIndex: detail.appliedIndex ?? node.lastApplied, values: detail.kv, sessions: detail.sessions ?? {},
        ...(detail.restoredAt === undefined ? {} : { restoredAt: detail.restoredAt }) };
    }
  }
  const view: LabView = {
    atNs: snapshot.atNs, seq: snapshot.nextSeq - 1, phase: snapshot.phase, settings: snapshot.settings, nodes,
    inFlight: [], recentOutcomes: [], blockedLinks: snapshot.blockedLinks, leaderId: leaderOf(nodes),
    recentFaults: [], recentErrors: [], recentClientOps: [],
  };
  return { view, kv, endedBeforeSend: [] };
}

function nodeFromView(node: NodeView, detail: BaseNodeDetail | undefined): NodeViewState {
  const log = detail?.log ?? [];
  return { ...blankNode(node.id), ...node, log, lastLogTerm: log[log.length - 1]?.term ?? 0, kv: detail?.kv ?? {},
    ...(detail?.kvTooLargeAt === undefined ? {} : { kvTooLargeAt: detail.kvTooLargeAt }) };
}

/** Leader of the highest term among nodes that believe they lead and are not dead. */
export function leaderOf(nodes: Readonly<Record<number, NodeViewState>>): NodeId | null {
  let best: NodeViewState | null = null;
  for (const node of Object.values(nodes)) {
    if (node.role !== 'leader' || node.status === 'crashed' || node.status === 'stopped') continue;
    if (best === null || node.term > best.term) best = node;
  }
  return best?.id ?? null;
}
