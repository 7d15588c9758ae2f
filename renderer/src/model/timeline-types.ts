// What the timeline draws, derived incrementally from the event window (see timeline-index.ts).
import type { NodeStatus } from '../../../src/protocol/lab-api';
import type { MessageView } from '../../../src/protocol/events';
import type { NodeId, Role } from '../../../src/protocol/raft';
import type { FaultAction } from './lab-view';

export type ArrowFate = 'in-flight' | 'delivered' | 'dropped';

/** One message from its send to its receive or drop. Mutable: its end is filled in when it arrives. */
export interface TimelineArrow {
  readonly id: string;
  readonly message: MessageView;
  /** Filled in late when the receive was merged before the send (then it starts as the receive's time). */
  sentAtNs: number;
  /** Monotone stamp used to search arrows by time (the merge may deliver stamps slightly out of order). */
  readonly sendKeyNs: number;
  /** Seq of the send event; of the drop event for a message lost at the sender. */
  readonly sendSeq: number;
  /** Node whose lane the arrow starts on. */
  fromNode: NodeId;
  endAtNs: number | null;
  endSeq: number | null;
  /** Node whose lane the arrow ends on (the receiver, or where it was dropped). */
  endNode: NodeId;
  fate: ArrowFate;
  dropReason: string | null;
  /** True when the sender itself dropped it (no send event): drawn as a short stub ending in an X. */
  droppedAtSender: boolean;
}

/** A stretch of a node's lane with one role, term and process status. */
export interface LaneSegment {
  readonly node: NodeId;
  readonly role: Role;
  readonly term: number;
  readonly status: NodeStatus;
  readonly startNs: number;
  readonly startSeq: number;
  endNs: number | null;
  endSeq: number | null;
}

/**
 * 'snapshot': a follower installed the leader's snapshot (Figure 13), a moment worth finding on the timeline.
 * 'violation': the lab's safety monitor proved a Raft safety property broken then.
 */
export type MarkerKind = FaultAction | 'leader' | 'snapshot' | 'violation';

export interface TimelineMarker {
  readonly seq: number;
  readonly atNs: number;
  readonly keyNs: number;
  readonly kind: MarkerKind;
  readonly nodes: readonly NodeId[];
  readonly label: string;
}

/** A completed client operation, from its call to its return. */
export interface ClientOpBar {
  readonly seq: number;
  /** See clientOpKey: how a linearizability violation names the operations to highlight. */
  readonly opKey: string;
  readonly client: number;
  readonly label: string;
  readonly status: 'ok' | 'fail' | 'unknown';
  readonly callNs: number;
  readonly retNs: number;
  readonly keyNs: number;
}

/** Key of a client operation: its client and call time, as in the checker's history (`client`, `call`). */
export function clientOpKey(client: number, callNs: number): string {
  return `${client}:${callNs}`;
}
