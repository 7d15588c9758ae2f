// What a leader knows about each follower (Figure 2, "volatile state on leaders"), plus the bookkeeping of the
// dissertation's extensions: the last ReadIndex round the follower acknowledged (§6.4) and when the leader last
// heard from it (check-quorum, §6.2).

import type { NodeId, PeerProgress } from './types';

export interface Progress {
  /** Index of the next log entry to send to this follower (initialized to leader's last log index + 1). */
  nextIndex: number;
  /** Index of the highest log entry known to be replicated on this follower (initialized to 0). */
  matchIndex: number;
  /** Highest ReadIndex round this follower acknowledged in the current term. */
  ackedReadRound: number;
  /** Leader clock (ms) when this follower last answered in the current term. */
  lastHeardMs: number;
}

export function createProgress(leaderLastIndex: number, nowMs: number): Progress {
  return { nextIndex: leaderLastIndex + 1, matchIndex: 0, ackedReadRound: 0, lastHeardMs: nowMs };
}

export function progressSnapshot(progress: ReadonlyMap<NodeId, Progress>): Record<NodeId, PeerProgress> {
  const snapshot: Record<NodeId, PeerProgress> = {};
  for (const [peer, pr] of progress) snapshot[peer] = { nextIndex: pr.nextIndex, matchIndex: pr.matchIndex };
  return snapshot;
}
