// When a node compacts its log (§7). The core can only cut its log at an index whose state machine state it is
// given, and the KV only has its current state: so to keep a tail of entries for followers that lag a little
// (sending them entries is far cheaper than a whole snapshot), the runtime takes the KV snapshot first and hands it
// to the core `keepEntries` applied entries later. Memory then holds between keepEntries and everyEntries +
// keepEntries entries (in the core's log and the WAL's mirror), plus at most one KV snapshot waiting.
//
// Defaults: every 2,000 entries, keeping 1,000. Measured with the bench's puts (64-byte values): without compaction
// the live heap grows ~280 bytes per entry (8.7 -> 13 MB over 15.8k writes) and never stops; with compaction it
// stays ~10 MB however long the node runs (the log holds at most 3,000 entries, under 1 MB). Each compaction is
// followed by a full GC (node-launcher.ts), so the interval also bounds the garbage V8 lets pile up: every 2,000
// rather than 5,000 took the bench's after-load RSS from 69-79 MB to 67-72 MB. A compaction costs a KV snapshot
// (a lab cluster's KV is far smaller than the log it replaces) and two fsyncs. 1,000 kept entries: a follower that
// falls a little behind is repaired with entries, not a whole snapshot.

/**
 * Snapshot characters per InstallSnapshot (RaftConfig.maxSnapshotChunkChars). Even if every one JSON-encodes to 6
 * bytes ("\u001f") a chunk takes 1.5 MiB: well inside a peer frame (MAX_PEER_FRAME_BYTES, 4 MiB) with room for the
 * other fields, and half the receiver's schema bound (MAX_SNAPSHOT_CHUNK_CHARS); test/unit/node checks both.
 */
export const NODE_SNAPSHOT_CHUNK_CHARS = 256 * 1024;

export interface SnapshotPolicyOptions {
  /** Take a snapshot once this many entries were applied since the last one; 0 never compacts. */
  readonly everyEntries: number;
  /** Entries kept in the log before a snapshot's index when it is handed to the core. */
  readonly keepEntries: number;
}

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

export interface DueCompaction {
  readonly index: number;
  readonly data: string;
}

export class SnapshotPolicy {
  private waiting: DueCompaction | null = null;
  /** Index of the last snapshot taken here or installed. */
  private lastIndex: number;

  constructor(private readonly options: SnapshotPolicyOptions, recoveredSnapshotIndex: number) {
    for (const [name, value] of Object.entries(options)) {
      if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`snapshot policy ${name} must be an integer >= 0, got ${value}`);
    }
    this.lastIndex = recoveredSnapshotIndex;
  }

  /**
   * After the KV applied entries up to `appliedIndex` (and the core's snapshot is at `coreSnapshotIndex`, which an
   * installed snapshot may have moved past ours): the compaction to hand the core now, or null. `takeSnapshot` is
   * called only when a snapshot is due, and must return the KV state at `appliedIndex`.
   */
  afterApply(appliedIndex: number, coreSnapshotIndex: number, takeSnapshot: () => string): DueCompaction | null {
    if (this.options.everyEntries === 0) return null;
    if (this.waiting !== null && this.waiting.index <= coreSnapshotIndex) this.waiting = null; // overtaken
    this.lastIndex = Math.max(this.lastIndex, coreSnapshotIndex);
    if (this.waiting === null && appliedIndex - this.lastIndex >= this.options.everyEntries) {
      this.waiting = { index: appliedIndex, data: takeSnapshot() };
      this.lastIndex = appliedIndex;
    }
    if (this.waiting !== null && appliedIndex >= this.waiting.index + this.options.keepEntries) {
      const due = this.waiting;
      this.waiting = null;
      return due;
    }
    return null;
  }
}
