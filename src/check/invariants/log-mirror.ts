// The checker's own copy of one log (a node's in-memory log, or its durable log) with prefix hashes. Updating
// it costs O(entries changed): Raft only ever changes a log by replacing a suffix (truncate, then append), so
// scanning back from the common length to the first equal entry finds the change. A forward (full) scan is
// available to re-validate that assumption from time to time.

import type { Entry } from '../../raft/types';
import { EMPTY_PREFIX_HASH, extendPrefixHash, sameEntry } from './log-hash';

export interface LogChange {
  /** First index whose entry changed or appeared; entries before it are untouched. */
  readonly firstChangedIndex: number;
  readonly oldLength: number;
  readonly newLength: number;
}

export class LogMirror {
  private entries: Entry[] = [];
  /** hashes[k] is the prefix hash of entries 1..k; hashes[0] is the empty log's. */
  private hashes: number[] = [EMPTY_PREFIX_HASH];

  get length(): number {
    return this.entries.length;
  }

  entry(index: number): Entry | undefined {
    return this.entries[index - 1];
  }

  prefixHash(index: number): number {
    const hash = this.hashes[index];
    if (hash === undefined) throw new Error(`prefix hash asked for index ${index} beyond log length ${this.length}`);
    return hash;
  }

  /**
   * Brings the mirror up to date with `log`, which holds the entries after index `base` (a compacted log: the
   * mirror's first `base` entries stand for its snapshot and must already be in place, see replacePrefix); returns
   * what changed, or null if nothing did.
   */
  update(log: readonly Entry[], fullScan = false, base = 0): LogChange | null {
    const oldLength = this.entries.length;
    if (oldLength < base) throw new Error(`mirror of length ${oldLength} lacks the snapshot prefix through ${base}`);
    const newLength = base + log.length;
    const common = Math.min(oldLength, newLength);
    let kept = base;
    if (fullScan) {
      while (kept < common && sameEntry(this.entries[kept] as Entry, log[kept - base] as Entry)) kept++;
    } else {
      kept = common;
      while (kept > base && !sameEntry(this.entries[kept - 1] as Entry, log[kept - 1 - base] as Entry)) kept--;
    }
    if (kept === oldLength && kept === newLength) return null;
    this.truncate(kept);
    let hash = this.hashes[kept] as number;
    for (let i = kept; i < newLength; i++) {
      const entry = log[i - base] as Entry;
      hash = extendPrefixHash(hash, entry);
      this.entries.push(entry);
      this.hashes.push(hash);
    }
    return { firstChangedIndex: kept + 1, oldLength, newLength };
  }

  /**
   * Applies a write that replaces everything from `written[0].index` on (the shape of Persist.entries): O(written).
   * Returns what changed, or null if `written` is empty or rewrote identical entries.
   */
  applySuffix(written: readonly Entry[]): LogChange | null {
    const first = written[0];
    if (first === undefined) return null;
    const oldLength = this.entries.length;
    if (first.index < 1 || first.index > oldLength + 1) {
      throw new Error(`a write starting at index ${first.index} leaves a gap after a log of length ${oldLength}`);
    }
    let kept = first.index - 1;
    let offset = 0;
    // Rewriting identical entries is not a change (keeps Leader Append-Only precise).
    while (offset < written.length && kept < oldLength && sameEntry(this.entries[kept] as Entry, written[offset] as Entry)) {
      kept++;
      offset++;
    }
    const newLength = first.index - 1 + written.length;
    if (offset === written.length && newLength === oldLength) return null;
    this.truncate(kept);
    let hash = this.hashes[kept] as number;
    for (let i = offset; i < written.length; i++) {
      const entry = written[i] as Entry;
      hash = extendPrefixHash(hash, entry);
      this.entries.push(entry);
      this.hashes.push(hash);
    }
    return { firstChangedIndex: kept + 1, oldLength, newLength };
  }

  /**
   * Largest k <= limit with prefixHash(k) === other(k). Matching prefixes are prefix-closed, so this is a binary
   * search.
   */
  matchingPrefixLength(otherHashAt: (index: number) => number, limit: number): number {
    let low = 0; // known to match (the empty prefix always does)
    let high = Math.min(limit, this.length);
    if (this.prefixHash(high) === otherHashAt(high)) return high;
    while (high - low > 1) {
      const middle = (low + high) >> 1;
      if (this.prefixHash(middle) === otherHashAt(middle)) low = middle;
      else high = middle;
    }
    return low;
  }

  /**
   * Makes entries 1..length those of another log (the committed log, which a snapshot stands for), keeping the
   * matching prefix; returns the first index that changed, or null.
   */
  replacePrefix(length: number, entryAt: (index: number) => Entry, hashAt: (index: number) => number): number | null {
    const limit = Math.min(length, this.entries.length);
    const matching = limit === 0 ? 0 : this.matchingPrefixLength(hashAt, limit);
    if (matching === length) return null;
    this.truncate(matching);
    for (let index = matching + 1; index <= length; index++) {
      this.entries.push(entryAt(index));
      this.hashes.push(hashAt(index));
    }
    return matching + 1;
  }

  /** Keeps entries 1..length. Setting an array's length is slow in V8 even when unchanged, hence the guard. */
  private truncate(length: number): void {
    if (this.entries.length > length) {
      this.entries.length = length;
      this.hashes.length = length + 1;
    }
  }

  clear(): void {
    this.entries = [];
    this.hashes = [EMPTY_PREFIX_HASH];
  }
}
