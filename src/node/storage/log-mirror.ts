// The in-memory copy of what the WAL holds: the hard state, the reference to the current snapshot (not its data:
// see snapshot-file.ts) and the entries after it. Replay builds it; writes keep it current; compaction writes it
// out without rereading the file. Entries are kept only after the snapshot, so memory follows the core's log.

import type { Entry, HardState } from '../../raft/types';
import type { SnapshotRef } from './snapshot-file';

export const INITIAL_HARD_STATE: HardState = { term: 0, votedFor: null };

/** What the WAL holds, without the snapshot's data (openWal reads that from the snapshot file). */
export interface MirrorState {
  readonly hardState: HardState;
  readonly snapshot: SnapshotRef | null;
  /** Contiguous, from snapshotIndex + 1. */
  readonly entries: readonly Entry[];
}

export class LogMirror {
  private hard: HardState = INITIAL_HARD_STATE;
  private snap: SnapshotRef | null = null;
  /** log[k] is the entry at index snapshotIndex + 1 + k. */
  private log: Entry[] = [];

  get hardState(): HardState {
    return this.hard;
  }

  get snapshot(): SnapshotRef | null {
    return this.snap;
  }

  get snapshotIndex(): number {
    return this.snap?.index ?? 0;
  }

  get lastIndex(): number {
    return this.snapshotIndex + this.log.length;
  }

  /** The stored entries after the snapshot. Live view: do not keep it across writes. */
  get entries(): readonly Entry[] {
    return this.log;
  }

  /** Term of the entry at `index`: the snapshot's term at its last index, null when not held. */
  termAt(index: number): number | null {
    if (this.snap !== null && index === this.snap.index) return this.snap.term;
    return this.log[index - this.snapshotIndex - 1]?.term ?? null;
  }

  setHardState(hardState: HardState): void {
    this.hard = hardState;
  }

  /**
   * A snapshot became current (taken here, or installed from the leader). Entries up to its index are dropped; the
   * ones after it are kept only if the stored entry at its index has its term (Figure 13, InstallSnapshot receiver
   * 6-7: a log that agrees there agrees before it too), else the whole log goes.
   */
  setSnapshot(ref: SnapshotRef): void {
    if (ref.index <= this.snapshotIndex) {
      throw new Error(`snapshot at index ${ref.index} does not follow the current one at ${this.snapshotIndex}`);
    }
    const keepsSuffix = this.termAt(ref.index) === ref.term;
    this.log = keepsSuffix ? this.log.slice(ref.index - this.snapshotIndex) : [];
    this.snap = ref;
  }

  /**
   * `Persist.entries` semantics: every stored entry with index >= entries[0].index is dropped, then entries appended.
   * Throws if that would leave a gap, rewrite the snapshot's entries, or if the batch itself is not contiguous.
   */
  replaceFrom(entries: readonly Entry[]): void {
    const first = entries[0];
    if (first === undefined) return;
    checkContiguous(entries);
    if (first.index <= this.snapshotIndex || first.index > this.lastIndex + 1) {
      throw new Error(`entries start at index ${first.index}, but the log holds ${this.snapshotIndex + 1}..${this.lastIndex} ` +
        `after a snapshot up to ${this.snapshotIndex} (gap or compacted)`);
    }
    this.log.length = first.index - this.snapshotIndex - 1;
    for (const entry of entries) this.log.push(entry);
    // Postcondition: the log stays dense, entry i at position i - snapshotIndex - 1.
    if (this.log[this.log.length - 1]?.index !== this.lastIndex) throw new Error('log mirror lost density');
  }

  /** A copy that later writes will not change. */
  state(): MirrorState {
    return { hardState: this.hard, snapshot: this.snap, entries: this.log.slice() };
  }
}

/** Throws unless each entry's index is one more than the previous one's. */
export function checkContiguous(entries: readonly Entry[]): void {
  for (let position = 1; position < entries.length; position++) {
    const previous = entries[position - 1]!;
    const entry = entries[position]!;
    if (entry.index !== previous.index + 1) {
      throw new Error(`entries not contiguous: index ${entry.index} follows ${previous.index}`);
    }
  }
}
