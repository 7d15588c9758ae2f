// A node process's log compaction settings. The policy itself (snapshot every N applied entries, hand it to the
// core K entries later) is src/runtime/snapshot-policy.ts, the one the simulator runs too.
//
// Defaults: every 2,000 entries, keeping 1,000. Measured with the bench's puts (64-byte values): without compaction
// the live heap grows ~280 bytes per entry (8.7 -> 13 MB over 15.8k writes) and never stops; with compaction it
// stays ~10 MB however long the node runs (the log holds at most 3,000 entries, under 1 MB). Each compaction is
// followed by a full GC (node-launcher.ts), so the interval also bounds the garbage V8 lets pile up: every 2,000
// rather than 5,000 took the bench's after-load RSS from 69-79 MB to 67-72 MB. A compaction costs a KV snapshot
// (a lab cluster's KV is far smaller than the log it replaces) and two fsyncs. 1,000 kept entries: a follower that
// falls a little behind is repaired with entries, not a whole snapshot.

import type { SnapshotPolicyOptions } from '../../runtime/snapshot-policy';

export { SnapshotPolicy, type DueCompaction, type SnapshotPolicyOptions } from '../../runtime/snapshot-policy';

/**
 * Snapshot characters per InstallSnapshot (RaftConfig.maxSnapshotChunkChars). Even if every one JSON-encodes to 6
 * bytes ("\u001f") a chunk takes 1.5 MiB: well inside a peer frame (MAX_PEER_FRAME_BYTES, 4 MiB) with room for the
 * other fields, and half the receiver's schema bound (MAX_SNAPSHOT_CHUNK_CHARS); test/unit/node checks both.
 */
export const NODE_SNAPSHOT_CHUNK_CHARS = 256 * 1024;

export const DEFAULT_SNAPSHOT_POLICY: SnapshotPolicyOptions = { everyEntries: 2000, keepEntries: 1000 };
/** Bounds for the configuration (environment): beyond them memory is no longer bounded in any useful sense. */
export const MAX_SNAPSHOT_EVERY_ENTRIES = 1_000_000;
export const MAX_SNAPSHOT_KEEP_ENTRIES = 1_000_000;

/**
 * The policy a node runs: the cluster's, where its configuration sets one (ClusterSettings.snapshotEveryEntries, for
 * exercises that compact at a small scale), field by field over the node's own (its environment, or the defaults).
 */
export function snapshotPolicyOf(
  config: { readonly snapshotEveryEntries?: number; readonly snapshotKeepEntries?: number }, own: SnapshotPolicyOptions,
): SnapshotPolicyOptions {
  return { everyEntries: config.snapshotEveryEntries ?? own.everyEntries, keepEntries: config.snapshotKeepEntries ?? own.keepEntries };
}

