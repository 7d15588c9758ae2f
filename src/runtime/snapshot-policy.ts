// When a node compacts its log (§7), for real nodes and simulated ones alike (ready-pipeline.ts runs it on the apply
// chain). The core can only cut its log at an index whose state machine state it is given, and the state machine
// only has its current state: so to keep a tail of entries for followers that lag a little (sending them entries is
// far cheaper than a whole snapshot), the pipeline takes the snapshot first and hands it to the core `keepEntries`
// applied entries later. Memory then holds between keepEntries and everyEntries + keepEntries entries, plus at most
// one snapshot waiting. The node's defaults and why: src/node/runtime/snapshot-policy.ts.

export interface SnapshotPolicyOptions {
  /** Take a snapshot once this many entries were applied since the last one; 0 never compacts. */
  readonly everyEntries: number;
  /** Entries kept in the log before a snapshot's index when it is handed to the core. */
  readonly keepEntries: number;
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

  /** False when the policy never compacts (everyEntries 0): callers skip asking for the core's snapshot index. */
  get enabled(): boolean {
    return this.options.everyEntries > 0;
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
