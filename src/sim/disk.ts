// One node's simulated disk. Writes land in a volatile buffer (the OS page cache); only a sync makes them durable.
// A crash throws the buffer away, so a core that sends messages before its writes are synced (which `mustSync`
// forbids) can be caught losing data it already promised to keep.

import type { Entry, HardState, PersistedState, Persist } from '../raft/types';

/** Bound on writes waiting for a sync; beyond it the disk syncs on its own (a full page cache flushes). */
const MAX_UNSYNCED_WRITES = 1024;

export class SimDisk {
  private syncedHardState: HardState = { term: 0, votedFor: null };
  private readonly syncedEntries: Entry[] = [];
  private unsynced: Persist[] = [];
  /** Counts syncs that changed the durable state; the invariant checker rechecks durability only when it moves. */
  durableVersion = 0;

  get hasUnsyncedWrites(): boolean {
    return this.unsynced.length > 0;
  }

  /** Records a write; it is durable only after sync(). */
  write(persist: Persist): void {
    if (persist.hardState === null && persist.entries.length === 0) return;
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
    return { hardState: this.syncedHardState, entries: this.syncedEntries.slice() };
  }

  /** The durable log itself, without a copy: for the invariant checker, read-only. */
  durableEntries(): readonly Entry[] {
    return this.syncedEntries;
  }

  durableHardState(): HardState {
    return this.syncedHardState;
  }

  private applyDurably(persist: Persist): void {
    if (persist.hardState !== null) this.syncedHardState = persist.hardState;
    const entries = persist.entries;
    const first = entries[0];
    if (first === undefined) return;
    if (first.index < 1 || first.index > this.syncedEntries.length + 1) {
      throw new Error(
        `disk write leaves a gap: first written index ${first.index}, stored log ends at ${this.syncedEntries.length}`,
      );
    }
    this.syncedEntries.length = first.index - 1; // entries at and after the first written index are replaced
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as Entry;
      if (entry.index !== first.index + i) {
        throw new Error(`disk write is not contiguous: expected index ${first.index + i}, got ${entry.index}`);
      }
      this.syncedEntries.push(entry);
    }
  }
}
