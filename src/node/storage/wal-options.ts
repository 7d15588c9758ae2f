// Tuning knobs of a WAL, each with the bound it puts on memory or latency.

export interface WalOptions {
  /**
   * Compact (rewrite the file as snapshot reference + hard state + log) once it grows past max(this, 2 × its size
   * right after the last compaction). The factor 2 keeps compaction amortized O(1) per byte written. Default 64 MiB.
   */
  readonly compactMinBytes?: number;
  /**
   * Once a snapshot has been recorded since the last compaction, compact already past max(this, 2 × the size right
   * after the last compaction): the file is then mostly entries the snapshot replaced. Default 4 MiB.
   */
  readonly compactAfterSnapshotMinBytes?: number;
  /** Most bytes written by one write syscall (one group-commit batch). Default 4 MiB. */
  readonly maxBatchBytes?: number;
  /** Most writes accepted but not yet on disk; further writes wait their turn (backpressure). Default 1024. */
  readonly maxQueuedWrites?: number;
  /** Most writes waiting behind a full queue; beyond it write() rejects: the caller has lost control. Default 65536. */
  readonly maxWaitingWrites?: number;
  /**
   * How long a write with mustSync=false may stay in process memory before it is written. 0 (default) writes it at
   * once, and the OS page cache then keeps it across a process crash (SIGKILL). A positive value models a write-back
   * window that a crash does lose: that is what lets the `ack-before-persist` planted bug show with real SIGKILLs.
   * A later mustSync write, close() or a full queue flushes held writes sooner.
   */
  readonly unsyncedHoldMs?: number;
  /**
   * The file is kept preallocated (written with zeros and synced) this far ahead of its data, in steps of this size:
   * an append that stays inside the file's length leaves the inode alone, so its fdatasync writes the data and does
   * not also commit ext4's journal (the probe in docs/benchmarks.md: 0.114 against 0.172 ms p50). Each node's disk
   * holds at most this much beyond its data. Default 1 MiB (see DEFAULT_PREALLOCATE_BYTES).
   */
  readonly preallocateBytes?: number;
}

export type ResolvedWalOptions = Required<WalOptions>;

/**
 * etcd preallocates 64 MiB segments; a lab runs up to 9 nodes in the app and 25 headless (chaos, bench) on a
 * student's laptop, and starts them fresh often: 64 MiB each would be 0.6-1.6 GB of zeros written per cluster start.
 * 1 MiB is ~5,000 records of a KV put: the extension (one 1 MiB write and fdatasync, a few ms, on the node's thread)
 * comes every few seconds at the heaviest bench load, and 25 nodes hold at most 25 MiB of zeros.
 */
export const DEFAULT_PREALLOCATE_BYTES = 1024 * 1024;

export const DEFAULT_WAL_OPTIONS: ResolvedWalOptions = {
  compactMinBytes: 64 * 1024 * 1024,
  compactAfterSnapshotMinBytes: 4 * 1024 * 1024,
  maxBatchBytes: 4 * 1024 * 1024,
  maxQueuedWrites: 1024,
  maxWaitingWrites: 65536,
  unsyncedHoldMs: 0,
  preallocateBytes: DEFAULT_PREALLOCATE_BYTES,
};

export function resolveWalOptions(options: WalOptions): ResolvedWalOptions {
  const resolved = { ...DEFAULT_WAL_OPTIONS, ...stripUndefined(options) };
  for (const [name, value] of Object.entries(resolved)) {
    const minimum = name === 'unsyncedHoldMs' ? 0 : 1;
    if (!Number.isSafeInteger(value) || value < minimum) {
      throw new RangeError(`WAL option ${name} must be an integer >= ${minimum}, got ${value}`);
    }
  }
  return resolved;
}

function stripUndefined(options: WalOptions): WalOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
