// Checks a Persist from the core before it reaches the disk: a WAL that stores nonsense makes a crash unrecoverable,
// so a broken write is refused loudly here instead.

import type { Entry, HardState, Persist } from '../../raft/types';
import { checkContiguous, type LogMirror } from './log-mirror';

/** Throws Error naming the first problem; `mirror` is the state the write would apply to. */
export function validatePersist(persist: Persist, mirror: LogMirror): void {
  if (persist.hardState !== null) validateHardState(persist.hardState, mirror.hardState);
  persist.entries.forEach(validateEntry);
  checkContiguous(persist.entries);
  const first = persist.entries[0];
  if (first !== undefined && (first.index < 1 || first.index > mirror.lastIndex + 1)) {
    throw new Error(`Persist.entries start at index ${first.index}; the stored log ends at ${mirror.lastIndex}`);
  }
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
}
