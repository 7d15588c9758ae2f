// Checks a Persist from the core before it reaches the disk: a WAL that stores nonsense makes a crash unrecoverable,
// so a broken write is refused loudly here instead.

import type { Entry, HardState, Persist, Snapshot } from '../../raft/types';
import { configurationProblem } from '../../raft/message-checks';
import { checkContiguous, type LogMirror } from './log-mirror';

/** Throws Error naming the first problem; `mirror` is the state the write would apply to. */
export function validatePersist(persist: Persist, mirror: LogMirror): void {
  if (persist.snapshot !== null) validateSnapshot(persist.snapshot, mirror.snapshotIndex);
  if (persist.hardState !== null) validateHardState(persist.hardState, mirror.hardState);
  persist.entries.forEach(validateEntry);
  checkContiguous(persist.entries);
  const first = persist.entries[0];
  if (first === undefined) return;
  // The log the entries apply to: after the snapshot, if there is one (same rule as LogMirror.setSnapshot).
  const snapshot = persist.snapshot;
  const snapshotIndex = snapshot?.lastIncludedIndex ?? mirror.snapshotIndex;
  const lastIndex = snapshot === null ? mirror.lastIndex
    : mirror.termAt(snapshot.lastIncludedIndex) === snapshot.lastIncludedTerm ? mirror.lastIndex : snapshot.lastIncludedIndex;
  if (first.index <= snapshotIndex || first.index > lastIndex + 1) {
    throw new Error(`Persist.entries start at index ${first.index}; the stored log holds ${snapshotIndex + 1}..${lastIndex} ` +
      '(a gap, or a rewrite of compacted entries)');
  }
}

function validateSnapshot(snapshot: Snapshot, currentIndex: number): void {
  const { lastIncludedIndex: index, lastIncludedTerm: term } = snapshot;
  if (!Number.isSafeInteger(index) || index < 1) throw new Error(`snapshot lastIncludedIndex ${index} is invalid`);
  if (!Number.isSafeInteger(term) || term < 0) throw new Error(`snapshot lastIncludedTerm ${term} is invalid`);
  if (typeof snapshot.data !== 'string') throw new Error(`snapshot ${index} data is not text`);
  // Compaction only moves forward (RaftNode.compact: snapshotIndex < index); an older snapshot would bring back a
  // prefix the log no longer holds.
  if (index <= currentIndex) throw new Error(`snapshot at index ${index} does not follow the stored one at ${currentIndex}`);
}

function validateHardState(next: HardState, current: HardState): void {
  if (!Number.isSafeInteger(next.term) || next.term < 0) throw new Error(`hard state term ${next.term} is invalid`);
  // Raft terms only grow (Figure 2); a decrease here is a core bug that would let a node vote twice after restart.
  if (next.term < current.term) throw new Error(`hard state term went back from ${current.term} to ${next.term}`);
  if (next.votedFor !== null && !(Number.isSafeInteger(next.votedFor) && next.votedFor >= 1)) {
    throw new Error(`hard state votedFor ${next.votedFor} is neither null nor a node id`);
  }
}

function validateEntry(entry: Entry): void {
  if (!Number.isSafeInteger(entry.index) || entry.index < 1) throw new Error(`entry index ${entry.index} is invalid`);
  if (!Number.isSafeInteger(entry.term) || entry.term < 0) {
    throw new Error(`entry ${entry.index} has invalid term ${entry.term}`);
  }
  if (entry.command !== null && typeof entry.command !== 'string') {
    throw new Error(`entry ${entry.index} command is neither null nor text`);
  }
  if (entry.config !== undefined) {
    if (entry.command !== null) throw new Error(`configuration entry ${entry.index} carries a command too`);
    const problem = configurationProblem(entry.config);
    if (problem !== null) throw new Error(`configuration entry ${entry.index}: ${problem}`);
  }
}
