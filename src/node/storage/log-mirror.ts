// The in-memory copy of what the WAL holds: the hard state and the whole log. Replay builds it; writes keep it
// current; compaction writes it out without rereading the file (the core has no snapshots: the log is the state).

import type { Entry, HardState, PersistedState } from '../../raft/types';

export const INITIAL_HARD_STATE: HardState = { term: 0, votedFor: null };

export class LogMirror {
  private hard: HardState = INITIAL_HARD_STATE;
  private readonly log: Entry[] = [];

  get hardState(): HardState {
    return this.hard;
  }

  get lastIndex(): number {
    return this.log.length;
  }

  /** The stored entries, index 1..lastIndex. Live view: do not keep it across writes. */
  get entries(): readonly Entry[] {
    return this.log;
  }

  setHardState(hardState: HardState): void {
    this.hard = hardState;
  }

  /**
   * `Persist.entries` semantics: every stored entry with index >= entries[0].index is dropped, then entries appended.
   * Throws if that would leave a gap or if the batch itself is not contiguous.
   */
  replaceFrom(entries: readonly Entry[]): void {
    const first = entries[0];
    if (first === undefined) return;
    checkContiguous(entries);
    if (first.index < 1 || first.index > this.log.length + 1) {
      throw new Error(`entries start at index ${first.index}, but the log holds 1..${this.log.length} (gap)`);
    }
    this.log.length = first.index - 1;
    for (const entry of entries) this.log.push(entry);
    // Postcondition: the log stays dense, entry i at position i - 1.
    if (this.log[this.log.length - 1]?.index !== this.log.length) throw new Error('log mirror lost density');
  }

  /** A copy that later writes will not change. */
  snapshot(): PersistedState {
    return { hardState: this.hard, entries: this.log.slice() };
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
