// One node's simulated disk. Writes land in a volatile buffer (the OS page cache); only a sync makes them durable.
// A crash throws the buffer away, so a core that sends messages before its writes are synced (which `mustSync`
// forbids) can be caught losing data it already promised to keep.
//
// Log compaction (§7): the disk holds the last snapshot and the entries after it. A written snapshot is applied
// before the entries of the same write, by Figure 13's rule 6-7: stored entries following the snapshot's last
// (index, term) are kept, any other stored log is discarded. That one rule serves both a snapshot taken here (the
// stored log holds that entry, so its suffix stays) and one installed from a leader (whose retained suffix the core
// rewrites in the same Persist).

import type { Entry, HardState, PersistedState, Persist, Snapshot } from '../../raft/types';

/** Bound on writes waiting for a sync; beyond it the disk syncs on its own (a full page cache flushes). */
const MAX_UNSYNCED_WRITES = 1024;

export class SimDisk {
  private syncedHardState: HardState = { term: 0, votedFor: null };
  private syncedSnapshot: Snapshot | null = null;
  /** Entries after the snapshot: syncedEntries[i] has index snapshotIndex + 1 + i. */
  private syncedEntries: Entry[] = [];
  private unsynced: Persist[] = [];
  /** Counts syncs that changed the durable state; the invariant checker rechecks durability only when it moves. */
  durableVersion = 0;

  get hasUnsyncedWrites(): boolean {
    return this.unsynced.length > 0;
  }

  /** Last index covered by the durable snapshot (0 when none). */
  get snapshotIndex(): number {
    return this.syncedSnapshot?.lastIncludedIndex ?? 0;
  }

  /** Records a write; it is durable only after sync(). */
  write(persist: Persist): void {
    if (persist.hardState === null && persist.entries.length === 0 && persist.snapshot === null) return;
    this.unsynced.push(persist);
    if (this.unsynced.length >= MAX_UNSYNCED_WRITES) this.sync();
  }

  /** Makes every buffered write durable, in order. */
  sync(): void {
    if (this.unsynced.length === 0) return;
    for (const persist of this.unsynced) this.applyDurably(persist);
    this.unsynced = [];
    this.durableVersion++;
  }

  /** The machine lost power: buffered writes are gone. */
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
