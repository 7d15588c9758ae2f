// What the UI draws: the whole lab at one moment, rebuilt from the event stream. Live, it is the newest moment;
// while scrubbing the timeline or replaying a saved session, it is the moment under the cursor. Every view reads
// this and nothing else, so scrubbing and replay need no special cases in the views.
import type { ClusterPhase, ClusterSettings, LogEntryView, NodeView, PeerProgressView } from '../../../src/protocol/lab-api';
import type { LabEvent, MessageView, RaftEventView } from '../../../src/protocol/events';
import type { LabClockSegment, NetworkDelayMs } from '../../../src/protocol/lab-clock';
import type { NodeId } from '../../../src/protocol/raft';

export interface NodeViewState extends NodeView {
  /** The node's log as of this moment (from log-write events). */
  readonly log: readonly LogEntryView[];
  readonly lastLogTerm: number;
  /** Leader only. */
  readonly progress: Readonly<Record<number, PeerProgressView>> | null;
  /** Election timer deadline on the shared clock (ns); null for a leader, when unknown, or while frozen. */
  readonly electionDeadlineNs: number | null;
  /** The same deadline in lab time (ms; holds still while frozen); absent in recordings from before the lab clock. */
  readonly electionDeadlineLabMs?: number | null;
  /** Applied KV state, derived from the committed, applied prefix of the log. */
  readonly kv: Readonly<Record<string, string>>;
  /** The newest Raft event of this node (its reason is shown under the card). */
  readonly lastEvent: RaftEventView | null;
  /**
   * Log compaction (§7): the last index and term the node's snapshot covers; its log proper starts after it. Absent or 0
   * when it never compacted (and in recordings from before snapshots).
   */
  readonly snapshotIndex?: number;
  readonly snapshotTerm?: number;
  /**
   * Set when the node's restored KV state (a kv-state event) was too large to send: the index it was at. `kv` then
   * holds only what entries applied after it changed, and the logs view says so. Cleared by the next full kv-state.
   */
  readonly kvTooLargeAt?: number;
  /**
   * A student's own node (settings.implementation) that has not told the lab its state (raft_lab_state) since it
   * started: its role, term and log are unknown, and shown so.
   */
  readonly roleUnknown?: boolean;
}

/** A message that was sent and has not (yet) arrived or been dropped, for drawing it in flight. */
export interface MessageInFlight {
  readonly id: string;
  readonly message: MessageView;
  readonly sentAtNs: number;
  /** Lab times of its send and of its due arrival (the network delay), when the lab clock stamped it. */
  readonly sentAtLabMs?: number;
  readonly deliverAtLabMs?: number;
}

/** A message whose fate is known, kept briefly so the cluster view can animate its arrival or loss. */
export interface MessageOutcome {
  readonly id: string;
  readonly message: MessageView;
  readonly sentAtNs: number;
  readonly endedAtNs: number;
  readonly fate: 'delivered' | 'dropped';
  readonly dropReason: string | null;
  readonly sentAtLabMs?: number;
  readonly deliverAtLabMs?: number;
}

/** The lab clock at this moment (src/protocol/lab-clock.ts), and the last step for the captions. */
export interface LabClockState {
  readonly segment: LabClockSegment;
  readonly networkDelayMs: NetworkDelayMs;
  /** The newest step, "time out now" or hand delivery, in words. */
  readonly lastStep: { readonly seq: number; readonly atNs: number; readonly description: string } | null;
}

export interface LabView {
  /** The moment shown: the shared monotonic clock, ns. */
  readonly atNs: number;
  /** Seq of the last event applied. -1 before any event. */
  readonly seq: number;
  readonly phase: ClusterPhase;
  readonly settings: ClusterSettings;
  readonly nodes: Readonly<Record<number, NodeViewState>>;
  readonly inFlight: readonly MessageInFlight[];
  readonly recentOutcomes: readonly MessageOutcome[];
  /** Directed links blocked by partitions, as [from, to]. */
  readonly blockedLinks: readonly (readonly [NodeId, NodeId])[];
  /** Leader of the highest term seen, if any node is leader now. */
  readonly leaderId: NodeId | null;
  /** The newest faults the lab injected, newest last (bounded). Optional so hand-built fixtures stay short. */
  readonly recentFaults?: readonly FaultNote[];
  /** The newest error events, newest last (bounded). */
  readonly recentErrors?: readonly ErrorNote[];
  /** The newest completed client operations, newest last (bounded). */
  readonly recentClientOps?: readonly ClientOpNote[];
  /** Absent before the lab's first clock event (and in recordings from before the lab clock). */
  readonly clock?: LabClockState;
  /** Safety violations the lab's monitor reported for this cluster, newest last (bounded). */
  readonly violations?: readonly ViolationNote[];
}

export type ViolationNote = Extract<LabEvent, { type: 'violation' }>;

export type FaultAction = Extract<LabEvent, { type: 'fault' }>['action'];

/** A fault the lab injected: what, on which nodes, in words. */
export interface FaultNote {
  readonly seq: number;
  readonly atNs: number;
  readonly action: FaultAction;
  readonly nodes: readonly NodeId[];
  readonly description: string;
}

export interface ErrorNote {
  readonly seq: number;
  readonly atNs: number;
  readonly node: NodeId | null;
  readonly message: string;
}

export type ClientOpNote = Extract<LabEvent, { type: 'client-op' }>;

/** Where the views look: the live edge, or a past event (scrubbing), in a live lab or a loaded recording. */
export type ViewCursor = { readonly mode: 'live' } | { readonly mode: 'at'; readonly seq: number };

export type { LabEvent };
