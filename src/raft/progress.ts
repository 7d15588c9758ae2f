// What a leader knows about each follower (Figure 2, "volatile state on leaders"), plus the bookkeeping of the
// dissertation's extensions: the last ReadIndex round the follower acknowledged (§6.4) and when the leader last
// heard from it (check-quorum, §6.2), and the follower's flow-control state as in etcd-io/raft (tracker.Progress):
//   - probe: the leader does not know where the follower's log matches; it sends one AppendEntries and waits for its
//     answer (or the next heartbeat) before sending another;
//   - replicate: the follower's log matches up to matchIndex; entries are sent optimistically (nextIndex moves on
//     at send time) while the in-flight window has room;
//   - snapshot: the entries it needs were compacted away; an InstallSnapshot transfer is in flight and no
//     AppendEntries are sent until it completes.

import { Inflights } from './inflights';
import type { NodeId, PeerProgress, ProgressState, Snapshot } from './types';

export interface Progress {
  /** Index of the next log entry to send to this follower (initialized to leader's last log index + 1). */
  nextIndex: number;
  /** Index of the highest log entry known to be replicated on this follower (initialized to 0). */
  matchIndex: number;
  /** Highest ReadIndex round this follower acknowledged in the current term. */
  ackedReadRound: number;
  /** Leader clock (ms) when this follower last answered in the current term. */
  lastHeardMs: number;
  /** Flow control (see above). */
  state: ProgressState;
  /** Probe: an AppendEntries is out and unanswered; nothing more is sent until its answer or the next heartbeat. */
  probeSent: boolean;
  /** Replicate: AppendEntries sent and not yet acknowledged. */
  readonly inflight: Inflights;
  /** An InstallSnapshot transfer in progress (Figure 13), or null while AppendEntries can reach the follower. */
  snapshot: SnapshotTransfer | null;
}

/**
 * Per-follower state of a chunked snapshot transfer: one chunk in flight at a time (bounded memory). The snapshot is
 * pinned when the transfer starts and sent to the end even if the leader compacts again meanwhile (as etcd does):
 * restarting from offset 0 at every compaction would never finish for a large state under steady writes. A pinned
 * snapshot outlives the leader's own by at most one transfer per follower.
 */
export interface SnapshotTransfer {
  /** The snapshot being sent, pinned for the whole transfer. */
  readonly snapshot: Snapshot;
  /** Characters the follower confirmed it holds; the next chunk starts here. */
  ackedOffset: number;
  /** End of the last chunk sent. */
  sentOffset: number;
  /** Leader clock when a chunk was last sent: a lost chunk is resent from ackedOffset after a heartbeat interval. */
  lastSentMs: number;
}

/** A new leader knows nothing of a follower's log: it starts in probe, as in etcd. */
export function createProgress(leaderLastIndex: number, nowMs: number, window: { maxInflightMessages: number; maxInflightBytes: number }): Progress {
  return {
    nextIndex: leaderLastIndex + 1, matchIndex: 0, ackedReadRound: 0, lastHeardMs: nowMs,
    state: 'probe', probeSent: false, inflight: new Inflights(window.maxInflightMessages, window.maxInflightBytes), snapshot: null,
  };
}

/**
 * A copy of nextIndex/matchIndex and the flow-control state per peer for status(). Runtimes ask after every input and progress rarely moves,
 * so when nothing changed since `previous` that same (immutable) copy is returned instead of a new one.
 */
export function progressSnapshot(
  progress: ReadonlyMap<NodeId, Progress>, peers: readonly NodeId[], previous: Readonly<Record<NodeId, PeerProgress>> | null = null,
): Readonly<Record<NodeId, PeerProgress>> {
  if (previous !== null && sameProgress(progress, peers, previous)) return previous;
  const snapshot: Record<NodeId, PeerProgress> = {};
  for (const peer of peers) {
    const pr = progress.get(peer);
    if (pr !== undefined) snapshot[peer] = { nextIndex: pr.nextIndex, matchIndex: pr.matchIndex, state: pr.state, inflight: pr.inflight.count };
  }
  return snapshot;
}

function sameProgress(progress: ReadonlyMap<NodeId, Progress>, peers: readonly NodeId[], previous: Readonly<Record<NodeId, PeerProgress>>): boolean {
  for (const peer of peers) {
    const pr = progress.get(peer);
    const seen = previous[peer];
    if (pr === undefined || seen === undefined || seen.nextIndex !== pr.nextIndex || seen.matchIndex !== pr.matchIndex ||
        seen.state !== pr.state || seen.inflight !== pr.inflight.count) return false;
  }
  return true;
}
