// One node's simulated disk. Writes land in a volatile buffer (the OS page cache); only a sync makes them durable,
// and a sync takes time (the simulator completes it after a drawn delay: see Simulation's fsyncDelayMs), so writes
// issued meanwhile wait for the next one (group commit). A crash throws the buffer away, so a runtime that sends
// messages or applies entries before its writes are synced can be caught losing data it already promised to keep.
// Each write may carry a callback, called once it is durable (the Ready pipeline's LogStorage contract: in order).
//
// Log compaction (§7): the disk holds the last snapshot and the entries after it. A written snapshot is applied
// before the entries of the same write, by Figure 13's rule 6-7: stored entries following the snapshot's last
// (index, term) are kept, any other stored log is discarded. That one rule serves both a snapshot taken here (the
// stored log holds that entry, so its suffix stays) and one installed from a leader (whose retained suffix the core
// rewrites in the same Persist).

import type { Entry, HardState, PersistedState, Persist, Snapshot } from '../../raft/types';

/** Bound on writes waiting for a sync; beyond it the disk syncs on its own (a full page cache flushes). */
const MAX_UNSYNCED_WRITES = 1024;

interface PendingWrite {
  readonly persist: Persist;
  readonly sequence: number;
  readonly durable: (() => void) | null;
}

export class SimDisk {
  private syncedHardState: HardState = { term: 0, votedFor: null };
  private syncedSnapshot: Snapshot | null = null;
  /** Entries after the snapshot: syncedEntries[i] has index snapshotIndex + 1 + i. */
  private syncedEntries: Entry[] = [];
  private unsynced: PendingWrite[] = [];
  /** Sequence number of the last write issued (a sync covers the writes issued before it started). */
  private lastSequence = 0;
  /** Counts syncs that changed the durable state; the invariant checker rechecks durability only when it moves. */
  durableVersion = 0;

  get hasUnsyncedWrites(): boolean {
    return this.unsynced.length > 0;
  }

  /** Last index covered by the durable snapshot (0 when none). */
  get snapshotIndex(): number {
    return this.syncedSnapshot?.lastIncludedIndex ?? 0;
  }

  /** Sequence number of the newest write issued: a sync started now covers writes up to it. */
  get issuedSequence(): number {
    return this.lastSequence;
  }

  /** Records a write; it is durable only after a sync covers it, and then `durable` is called. */
  write(persist: Persist, durable: (() => void) | null = null): void {
    if (persist.hardState === null && persist.entries.length === 0 && persist.snapshot === null) {
      durable?.();
      return;
    }
    this.lastSequence += 1;
    this.unsynced.push({ persist, sequence: this.lastSequence, durable });
    if (this.unsynced.length >= MAX_UNSYNCED_WRITES) this.sync();
  }

  /**
   * Makes the buffered writes up to sequence `through` (default: all) durable, in order, then (after `beforeNotify`)
   * tells their writers. Returns how many became durable.
   */
  sync(through = Infinity, beforeNotify?: () => void): number {
    let count = 0;
    while (count < this.unsynced.length && (this.unsynced[count] as PendingWrite).sequence <= through) count++;
    if (count === 0) return 0;
    const synced = this.unsynced.slice(0, count);
    this.unsynced = this.unsynced.slice(count);
    for (const write of synced) this.applyDurably(write.persist);
    this.durableVersion++;
    beforeNotify?.();
    for (const write of synced) write.durable?.();
    return count;
  }

  /** The machine lost power: buffered writes are gone (and their writers never hear of them). */
  dropUnsynced(): number {
    const lost = this.unsynced.length;
    this.unsynced = [];
    return lost;
  }

  /** What a restarted node reads back: the synced state only (callers must not mutate). */
  durableState(): PersistedState {
    return { hardState: this.syncedHardState, snapshot: this.syncedSnapshot, entries: this.syncedEntries.slice() };
  }

  /** The durable entries after the snapshot, without a copy: for the invariant checker, read-only. */
  durableEntries(): readonly Entry[] {
    return this.syncedEntries;
  }

  durableSnapshot(): Snapshot | null {
    return this.syncedSnapshot;
  }

  durableHardState(): HardState {
    return this.syncedHardState;
  }

  private applyDurably(persist: Persist): void {
    if (persist.hardState !== null) this.syncedHardState = persist.hardState;
    if (persist.snapshot !== null) this.applySnapshot(persist.snapshot);
    const entries = persist.entries;
    const first = entries[0];
    if (first === undefined) return;
    const base = this.snapshotIndex;
    if (first.index <= base || first.index > base + this.syncedEntries.length + 1) {
      throw new Error(
        `disk write leaves a gap: first written index ${first.index}, stored log holds ${base + 1}..${base + this.syncedEntries.length}`,
      );
    }
    this.syncedEntries.length = first.index - 1 - base; // entries at and after the first written index are replaced
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as Entry;
      if (entry.index !== first.index + i) {
        throw new Error(`disk write is not contiguous: expected index ${first.index + i}, got ${entry.index}`);
      }
      this.syncedEntries.push(entry);
    }
  }

  private applySnapshot(snapshot: Snapshot): void {
    const base = this.snapshotIndex;
    const index = snapshot.lastIncludedIndex;
    if (index <= base) throw new Error(`snapshot through ${index} written over a newer one (through ${base})`);
    const at = this.syncedEntries[index - base - 1];
    this.syncedEntries = at !== undefined && at.term === snapshot.lastIncludedTerm ? this.syncedEntries.slice(index - base) : [];
    this.syncedSnapshot = snapshot;
  }
}
