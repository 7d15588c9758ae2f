// The replicated log (Figure 2 "log[]") after log compaction (§7): the entries that follow the last snapshot,
// snapshotIndex+1..lastIndex, with the Log Matching invariants asserted on every write. The compacted prefix is
// represented only by its last index and term (Figure 12), which is all AppendEntries' consistency check needs.
// It also remembers the lowest index written since the last Ready, so the runtime can persist exactly the suffix
// that changed (Persist.entries replaces everything from its first index on). It also keeps the configuration entries
// it holds (dissertation ch. 4): a server uses the latest one in its log, so a truncation that removes one reverts to
// the one before, and a snapshot keeps the configuration as of its last index (§7, Figure 12).

import { assert, fail } from './assert';
import type { Configuration, Entry } from './types';

const NO_ENTRIES: readonly Entry[] = Object.freeze([]);

export class RaftLog {
  /** entries[i] holds index snapshotIndex + 1 + i. */
  private entries: Entry[] = [];
  private snapIndex = 0;
  private snapTerm = 0;
  /** Lowest index written (appended or replaced) since the last takeUnstable(); null when all is on disk. */
  private unstableFromIndex: number | null = null;
  /** Copy handed out by view(); dropped on every write so callers never see a later mutation. */
  private cachedView: readonly Entry[] | null = null;
  /** The configuration entries after the snapshot, in index order. */
  private configEntries: Entry[] = [];
  /** The configuration as of the snapshot's last index (null: none was ever in the log, the bootstrap one holds). */
  private snapConfig: Configuration | null = null;

  /** Loads what was recovered from disk (a snapshot's last index and term, then the entries after it): stable. */
  constructor(recovered: readonly Entry[], snapshotIndex = 0, snapshotTerm = 0, snapshotConfig: Configuration | null = null) {
    this.snapConfig = snapshotConfig;
    if (!(Number.isSafeInteger(snapshotIndex) && snapshotIndex >= 0)) fail(`snapshot index ${snapshotIndex} must be >= 0`);
    assert(snapshotIndex === 0 ? snapshotTerm === 0 : Number.isSafeInteger(snapshotTerm) && snapshotTerm >= 1,
      `snapshot at index ${snapshotIndex} has invalid term ${snapshotTerm}`);
    this.snapIndex = snapshotIndex;
    this.snapTerm = snapshotTerm;
    for (const entry of recovered) this.append(entry);
    this.unstableFromIndex = null;
  }

  /** Last index covered by the snapshot (0 when never compacted). */
  snapshotIndex(): number {
    return this.snapIndex;
  }

  snapshotTerm(): number {
    return this.snapTerm;
  }

  lastIndex(): number {
    return this.snapIndex + this.entries.length;
  }

  lastTerm(): number {
    const last = this.entries[this.entries.length - 1];
    return last === undefined ? this.snapTerm : last.term;
  }

  /**
   * Term of the entry at `index`: snapshotIndex..lastIndex, where snapshotIndex stands for the compacted prefix (its
   * term is the snapshot's; 0 for the empty prefix). Callers must check `index >= snapshotIndex()` first.
   */
  termAt(index: number): number {
    // Hot path: test first, build the message only on failure.
    if (!(Number.isInteger(index) && index >= this.snapIndex && index <= this.lastIndex())) {
      fail(`termAt(${index}) outside ${this.snapIndex}..${this.lastIndex()}${index < this.snapIndex ? ' (compacted into the snapshot)' : ''}`);
    }
    if (index === this.snapIndex) return this.snapTerm;
    return this.entryAt(index).term;
  }

  entryAt(index: number): Entry {
    const entry = this.entries[index - this.snapIndex - 1];
    if (entry === undefined) {
      fail(`no entry at index ${index} (log holds ${this.snapIndex + 1}..${this.lastIndex()}${index <= this.snapIndex ? '; it was compacted into the snapshot' : ''})`);
    }
    return entry;
  }

  /** Entries fromIndex..toIndex inclusive (none of them compacted); empty when fromIndex > toIndex. */
  slice(fromIndex: number, toIndex: number): readonly Entry[] {
    if (fromIndex > toIndex) return NO_ENTRIES; // heartbeats: no allocation
    if (!(fromIndex > this.snapIndex)) fail(`slice from ${fromIndex} reaches into the snapshot (through ${this.snapIndex})`);
    if (!(toIndex <= this.lastIndex())) fail(`slice end ${toIndex} beyond last index ${this.lastIndex()}`);
    return this.entries.slice(fromIndex - this.snapIndex - 1, toIndex - this.snapIndex);
  }

  /** Appends one entry; the log stays contiguous and its terms never decrease (a consequence of Log Matching). */
  append(entry: Entry): void {
    if (!(entry.index === this.lastIndex() + 1)) fail(`append of index ${entry.index} after last index ${this.lastIndex()}`);
    if (!(Number.isSafeInteger(entry.term) && entry.term >= 1)) fail(`entry ${entry.index} has invalid term ${entry.term}`);
    if (!(entry.term >= this.lastTerm())) fail(`entry ${entry.index} term ${entry.term} < previous term ${this.lastTerm()}`);
    this.entries.push(entry);
    if (entry.config !== undefined) this.configEntries.push(entry);
    this.markWritten(entry.index);
  }

  /** Removes entries fromIndex..last and returns them (never compacted ones: those are committed). */
  truncateFrom(fromIndex: number): Entry[] {
    if (!(fromIndex > this.snapIndex && fromIndex <= this.lastIndex())) fail(`truncate from ${fromIndex} outside ${this.snapIndex + 1}..${this.lastIndex()}`);
    const removed = this.entries.splice(fromIndex - this.snapIndex - 1);
    while (this.configEntries.length > 0 && (this.configEntries[this.configEntries.length - 1] as Entry).index >= fromIndex) this.configEntries.pop();
    this.markWritten(fromIndex);
    return removed;
  }

  /** The latest configuration in the log (committed or not), or the snapshot's; null when there never was one. */
  latestConfig(): Configuration | null {
    const last = this.configEntries[this.configEntries.length - 1];
    return last === undefined ? this.snapConfig : (last.config as Configuration);
  }

  /** Index of the entry holding latestConfig() (the snapshot's index for the snapshot's; 0 when none). */
  latestConfigIndex(): number {
    const last = this.configEntries[this.configEntries.length - 1];
    if (last !== undefined) return last.index;
    return this.snapConfig === null ? 0 : this.snapIndex;
  }

  /** The latest configuration at or below `index` (>= snapshotIndex), or null when there is none. */
  configAt(index: number): Configuration | null {
    for (let i = this.configEntries.length - 1; i >= 0; i--) {
      const entry = this.configEntries[i] as Entry;
      if (entry.index <= index) return entry.config as Configuration;
    }
    return this.snapConfig;
  }

  /** Index of the entry holding configAt(index) (as latestConfigIndex). */
  configIndexAt(index: number): number {
    for (let i = this.configEntries.length - 1; i >= 0; i--) {
      const entry = this.configEntries[i] as Entry;
      if (entry.index <= index) return entry.index;
    }
    return this.snapConfig === null ? 0 : this.snapIndex;
  }

  /** The configuration as of the snapshot's last index (null: the bootstrap configuration). */
  snapshotConfig(): Configuration | null {
    return this.snapConfig;
  }

  /** §7: the snapshot replaces entries 1..index, which must be in the log; the entries after it stay. */
  compact(index: number): void {
    if (!(index > this.snapIndex && index <= this.lastIndex())) fail(`compact(${index}) outside ${this.snapIndex + 1}..${this.lastIndex()}`);
    const term = this.termAt(index);
    this.snapConfig = this.configAt(index);
    this.configEntries = this.configEntries.filter((entry) => entry.index > index);
    this.entries = this.entries.slice(index - this.snapIndex);
    this.snapIndex = index;
    this.snapTerm = term;
    this.cachedView = null;
    // Unwritten entries the snapshot covers need no writing any more.
    if (this.unstableFromIndex !== null && this.unstableFromIndex <= index) {
      this.unstableFromIndex = index < this.lastIndex() ? index + 1 : null;
    }
  }

  /**
   * Figure 13, receiver 6-7: a snapshot from the leader. If an entry has the snapshot's last index and term, the
   * entries following it are retained (and rewritten after the snapshot, see Persist.snapshot); otherwise the whole
   * log is discarded. Returns whether the suffix was retained.
   */
  installSnapshot(index: number, term: number, config: Configuration | null = null): boolean {
    if (!(index > this.snapIndex)) fail(`installing snapshot ${index} at or below the current one (${this.snapIndex})`);
    const retain = index <= this.lastIndex() && this.termAt(index) === term;
    this.entries = retain ? this.entries.slice(index - this.snapIndex) : [];
    this.configEntries = retain ? this.configEntries.filter((entry) => entry.index > index) : [];
    this.snapConfig = config;
    this.snapIndex = index;
    this.snapTerm = term;
    this.cachedView = null;
    this.unstableFromIndex = this.entries.length > 0 ? index + 1 : null;
    return retain;
  }

  /** First index whose term is >= `term` (binary search: terms never decrease), at least snapshotIndex + 1. */
  firstIndexWithTermAtLeast(term: number): number {
    let low = this.snapIndex + 1;
    let high = this.lastIndex() + 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.entryAt(mid).term >= term) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  /** Last index holding `term` (the snapshot's last index counts), or 0 when the log has no entry of that term. */
  lastIndexOfTerm(term: number): number {
    const candidate = this.firstIndexWithTermAtLeast(term + 1) - 1;
    return candidate >= this.snapIndex && candidate >= 1 && this.termAt(candidate) === term ? candidate : 0;
  }

  /** The suffix written since the last call (to persist); the log is then considered stable. */
  takeUnstable(): readonly Entry[] {
    const from = this.unstableFromIndex;
    this.unstableFromIndex = null;
    if (from === null) return NO_ENTRIES;
    // A pure truncation (no replacement entry) cannot be expressed in Persist; correct Raft never does one.
    if (!(from <= this.lastIndex())) fail(`truncation at ${from} without a replacement entry cannot be persisted`);
    return this.slice(from, this.lastIndex());
  }

  hasUnstable(): boolean {
    return this.unstableFromIndex !== null;
  }

  /** The entries after the snapshot. */
  view(): readonly Entry[] {
    if (this.cachedView === null) this.cachedView = Object.freeze(this.entries.slice());
    return this.cachedView;
  }

  private markWritten(index: number): void {
    this.cachedView = null;
    this.unstableFromIndex = this.unstableFromIndex === null ? index : Math.min(this.unstableFromIndex, index);
  }
}
