// Counters the transport keeps per peer, for the lab's link view and for tests. Monotonic counts except the
// `queued` gauge.
import type { NodeId } from '../../raft/types';

export interface PeerLinkStats {
  /** Frames handed to ZeroMQ for this peer (each copy of a duplicated frame counts). */
  sent: number;
  /** Outbound frames lost: drop probability, queue full, oversize, peer removed or socket closed mid-send. */
  dropped: number;
  /** Of `dropped`, those lost because the peer's queue was full: back-pressure from a slow or dead peer. */
  droppedQueueFull: number;
  /** Outbound frames refused by a blocked link. */
  blocked: number;
  /** Extra copies made by the duplication fault. */
  duplicated: number;
  /** Gauge: frames waiting for this peer, in the queue or in an injected delay. */
  queued: number;
  /** Valid frames from this peer handed to onMessage. */
  received: number;
  /** Valid frames from this peer discarded because the inbound link is blocked. */
  blockedInbound: number;
  /** Invalid frames whose sender's routing id claims to be this peer. */
  invalid: number;
}

export interface TransportStats {
  readonly peers: Readonly<Record<NodeId, Readonly<PeerLinkStats>>>;
  /** All invalid inbound frames, attributed to a peer or not. */
  readonly invalid: number;
  /** Sends to a node that is not in the peer table (dropped). */
  readonly unroutable: number;
}

export function zeroPeerLinkStats(): PeerLinkStats {
  return { sent: 0, dropped: 0, droppedQueueFull: 0, blocked: 0, duplicated: 0, queued: 0, received: 0, blockedInbound: 0, invalid: 0 };
}
