// The simulated runtime's log compaction policy (§7: "each server takes snapshots independently"): every N applied
// entries a node captures its state machine at the applied index, and compacts its log there once `keep` more
// entries have been applied (a tail kept for followers a little behind). The state machine's data travels with the
// digest (prefix hash) of the entries it applied, which the invariant checker compares with the committed log.

import { extendPrefixHash } from '../../check/invariants/log-hash';
import type { Entry, NodeId, RaftNode } from '../../raft/types';
import type { SimNode } from './sim-node';
import { encodeSnapshotData } from './snapshot-data';

/** The state machine's encoding of its state after `index` (the simulator adds the digest around it). */
export type SnapshotSource = (node: NodeId, index: number) => string;

export interface CompactionPolicy {
  /** Snapshot every this many applied entries; 0 = never. */
  readonly every: number;
  /** Entries kept in the log behind a snapshot. */
  readonly keep: number;
}

export function compactionPolicy(every: number, keep: number): CompactionPolicy {
  if (!(Number.isSafeInteger(every) && every >= 0 && Number.isSafeInteger(keep) && keep >= 0)) {
    throw new Error(`snapshotEveryEntries and snapshotKeepEntries must be integers >= 0, got ${every} and ${keep}`);
  }
  return { every, keep };
}

/** Committed entries were handed to the state machine: advance the applied index (and its digest, when compacting). */
export function recordApplied(node: SimNode, committed: readonly Entry[], withDigest: boolean): void {
  if (withDigest) {
    let digest = node.appliedDigest;
    for (let i = 0; i < committed.length; i++) digest = extendPrefixHash(digest, committed[i] as Entry);
    node.appliedDigest = digest;
  }
  node.appliedIndex = (committed[committed.length - 1] as Entry).index;
}

/**
 * Captures and compacts per the policy. A capture is compacted in a later step at the earliest (like a runtime that
 * snapshots in the background), so the checker has seen the commit of every entry a snapshot covers before the
 * snapshot shows up.
 */
export function maybeCompact(node: SimNode, core: RaftNode, policy: CompactionPolicy, step: number, source: SnapshotSource): void {
  const applied = node.appliedIndex;
  if (node.pendingSnapshot === null && applied - node.compactedIndex >= policy.every) {
    const data = encodeSnapshotData(node.appliedDigest, source(node.id, applied));
    node.pendingSnapshot = { index: applied, data, takenAtStep: step };
  }
  const pending = node.pendingSnapshot;
  if (pending === null || applied < pending.index + policy.keep || pending.takenAtStep === step) return;
  node.pendingSnapshot = null;
  // Planted bugs may truncate applied entries; the core only compacts entries it still holds.
  if (pending.index > core.status().lastLogIndex) return;
  core.compact(pending.index, pending.data);
  node.compactedIndex = pending.index;
}
