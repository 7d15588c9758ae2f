// The replicated log (Figure 2 "log[]"): entries 1..lastIndex, with the Log Matching invariants asserted on every
// write. It also remembers the lowest index written since the last Ready, so the runtime can persist exactly the
// suffix that changed (Persist.entries replaces everything from its first index on).

import { assert } from './assert';
import type { Entry } from './types';

export class RaftLog {
  private readonly entries: Entry[] = [];
  /** Lowest index written (appended or replaced) since the last takeUnstable(); null when all is on disk. */
  private unstableFromIndex: number | null = null;
  /** Copy handed out by view(); dropped on every write so callers never see a later mutation. */
  private cachedView: readonly Entry[] | null = null;

  /** Loads entries recovered from disk: they are stable, nothing to persist. */
  constructor(recovered: readonly Entry[]) {
    for (const entry of recovered) this.append(entry);
    this.unstableFromIndex = null;
  }

  lastIndex(): number {
    return this.entries.length;
  }

  lastTerm(): number {
    return this.termAt(this.lastIndex());
  }

  /** Term of the entry at `index`; index 0 is the empty prefix, with term 0. */
  termAt(index: number): number {
    // Hot path: test first, build the message only on failure.
    if (!(Number.isInteger(index) && index >= 0 && index <= this.entries.length)) {
      assert(false, `termAt(${index}) outside 0..${this.lastIndex()}`);
    }
    if (index === 0) return 0;
    return this.entryAt(index).term;
  }

  entryAt(index: number): Entry {
    const entry = this.entries[index - 1];
    if (entry === undefined) assert(false, `no entry at index ${index} (last index ${this.lastIndex()})`);
    return entry;
  }

  /** Entries fromIndex..toIndex inclusive; empty when fromIndex > toIndex. */
  slice(fromIndex: number, toIndex: number): Entry[] {
    assert(fromIndex >= 1, `slice must start at index >= 1, got ${fromIndex}`);
    assert(toIndex <= this.lastIndex(), `slice end ${toIndex} beyond last index ${this.lastIndex()}`);
    if (fromIndex > toIndex) return [];
    return this.entries.slice(fromIndex - 1, toIndex);
  }

  /** Appends one entry; the log stays contiguous and its terms never decrease (a consequence of Log Matching). */
  append(entry: Entry): void {
    assert(entry.index === this.lastIndex() + 1, `append of index ${entry.index} after last index ${this.lastIndex()}`);
    assert(Number.isSafeInteger(entry.term) && entry.term >= 1, `entry ${entry.index} has invalid term ${entry.term}`);
    assert(entry.term >= this.lastTerm(), `entry ${entry.index} term ${entry.term} < previous term ${this.lastTerm()}`);
    this.entries.push(entry);
    this.markWritten(entry.index);
  }

  /** Removes entries fromIndex..last and returns them. */
  truncateFrom(fromIndex: number): Entry[] {
    assert(fromIndex >= 1 && fromIndex <= this.lastIndex(), `truncate from ${fromIndex} outside 1..${this.lastIndex()}`);
    const removed = this.entries.splice(fromIndex - 1);
    this.markWritten(fromIndex);
    return removed;
  }

  /** First index whose term is >= `term` (binary search: terms never decrease); lastIndex + 1 if none. */
  firstIndexWithTermAtLeast(term: number): number {
    let low = 1;
    let high = this.lastIndex() + 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.entryAt(mid).term >= term) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  /** Last index holding `term`, or 0 when the log has no entry of that term. */
  lastIndexOfTerm(term: number): number {
    const firstAfter = this.firstIndexWithTermAtLeast(term + 1);
    const candidate = firstAfter - 1;
    return candidate >= 1 && this.entryAt(candidate).term === term ? candidate : 0;
  }

  /** The suffix written since the last call (to persist); the log is then considered stable. */
  takeUnstable(): Entry[] {
    const from = this.unstableFromIndex;
    this.unstableFromIndex = null;
    if (from === null) return [];
    // A pure truncation (no replacement entry) cannot be expressed in Persist; correct Raft never does one.
    assert(from <= this.lastIndex(), `truncation at ${from} without a replacement entry cannot be persisted`);
    return this.slice(from, this.lastIndex());
  }

  hasUnstable(): boolean {
    return this.unstableFromIndex !== null;
  }

  view(): readonly Entry[] {
    if (this.cachedView === null) this.cachedView = Object.freeze(this.entries.slice());
    return this.cachedView;
  }

  private markWritten(index: number): void {
    this.cachedView = null;
    this.unstableFromIndex = this.unstableFromIndex === null ? index : Math.min(this.unstableFromIndex, index);
  }
}
