// Shared by the storage tests and the crash child: temp dirs, a seeded random source, and a random Raft-shaped
// workload (growing terms, appends, suffix truncations, snapshots taken here or installed from a leader) together
// with the state after each write.

import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Entry, HardState, Persist, PersistedState, Snapshot } from '../../../src/raft/types';
import { seededRandom } from '../../../src/raft/random';

export async function makeTempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `raft-lab-wal-${label}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/**
 * Copies the snapshot files of `from` into `to` (a WAL copied alone would refer to snapshots `to` lacks). A file
 * that vanishes meanwhile was superseded (a live WAL deletes old ones while it works): skipped.
 */
export async function copySnapshotFiles(from: string, to: string): Promise<string[]> {
  const copied: string[] = [];
  for (const name of (await readdir(from)).filter((file) => file.endsWith('.snap'))) {
    try {
      await copyFile(join(from, name), join(to, name));
      copied.push(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return copied;
}

/** The project's seeded PRNG (src/raft/random.ts), to pick test cases that replay from a seed. */
export function makeRng(seed: number): { next: () => number; int: (min: number, maxInclusive: number) => number } {
  const next = seededRandom(seed);
  return { next, int: (min, maxInclusive) => min + Math.floor(next() * (maxInclusive - min + 1)) };
}

export const EMPTY_STATE: PersistedState = { hardState: { term: 0, votedFor: null }, entries: [] };

function snapshotIndexOf(state: PersistedState): number {
  return state.snapshot?.lastIncludedIndex ?? 0;
}

export function lastIndexOf(state: PersistedState): number {
  return snapshotIndexOf(state) + state.entries.length;
}

function termAt(state: PersistedState, index: number): number | null {
  if (state.snapshot && index === state.snapshot.lastIncludedIndex) return state.snapshot.lastIncludedTerm;
  return state.entries[index - snapshotIndexOf(state) - 1]?.term ?? null;
}

/** `snapshot` present only when there is one, as openWal returns it. */
function makeState(hardState: HardState, snapshot: Snapshot | null | undefined, entries: readonly Entry[]): PersistedState {
  return snapshot ? { hardState, snapshot, entries } : { hardState, entries };
}

/**
 * The reference semantics of Persist (types.ts), written independently of the WAL's own mirror: a snapshot first
 * (entries up to it go; the rest stay only if the entry at its index has its term: Figure 13), then the hard state,
 * then entries replacing the log from their first index.
 */
export function applyPersist(state: PersistedState, persist: Persist): PersistedState {
  let entries = state.entries;
  let snapshot = state.snapshot;
  if (persist.snapshot !== null) {
    const { lastIncludedIndex, lastIncludedTerm } = persist.snapshot;
    entries = termAt(state, lastIncludedIndex) === lastIncludedTerm ? entries.slice(lastIncludedIndex - snapshotIndexOf(state)) : [];
    snapshot = persist.snapshot;
  }
  const hardState = persist.hardState ?? state.hardState;
  const first = persist.entries[0];
  const base = snapshot?.lastIncludedIndex ?? 0;
  if (first !== undefined) entries = [...entries.slice(0, first.index - base - 1), ...persist.entries];
  return makeState(hardState, snapshot, entries);
}

/** What the WAL's mirror holds of a state: the snapshot's data stays in its file. */
export function mirrorViewOf(state: PersistedState): { hardState: HardState; snapshotIndex: number; snapshotTerm: number; entries: readonly Entry[] } {
  return { hardState: state.hardState, snapshotIndex: snapshotIndexOf(state), snapshotTerm: state.snapshot?.lastIncludedTerm ?? 0,
    entries: state.entries };
}

const COMMAND_PIECES = ['set', 'x', '"quoted"', 'naïve', '日本', '\n', '\\', '{}', 'emoji 🚀', '\u0000', ' '];

export interface Workload {
  readonly persists: readonly Persist[];
  /** states[k] is the state after the first k writes; states[0] is empty. */
  readonly states: readonly PersistedState[];
}

export function makeWorkload(seed: number, writes: number, mustSyncAlways = false): Workload {
  const rng = makeRng(seed);
  const persists: Persist[] = [];
  const states: PersistedState[] = [EMPTY_STATE];
  let state = EMPTY_STATE;
  for (let step = 0; step < writes; step++) {
    const persist = randomPersist(rng, state, mustSyncAlways);
    persists.push(persist);
    state = applyPersist(state, persist);
    states.push(state);
  }
  return { persists, states };
}

function randomPersist(rng: ReturnType<typeof makeRng>, state: PersistedState, mustSyncAlways: boolean): Persist {
  if (rng.next() < 0.08) return randomSnapshotPersist(rng, state, mustSyncAlways);
  const mode = rng.next();
  const withHardState = mode < 0.3;
  const withEntries = mode >= 0.15;
  const hardState: HardState | null = withHardState
    ? { term: state.hardState.term + rng.int(0, 2), votedFor: rng.next() < 0.3 ? null : rng.int(1, 5) }
    : null;
  const term = Math.max(1, hardState?.term ?? state.hardState.term);
  const entries: Entry[] = [];
  if (withEntries) {
    const lastIndex = lastIndexOf(state);
    // Mostly appends; sometimes a follower-style truncation of up to 3 entries (never into the snapshot).
    const firstIndex = rng.next() < 0.2 ? Math.max(snapshotIndexOf(state) + 1, lastIndex - rng.int(0, 2)) : lastIndex + 1;
    const count = rng.int(1, 4);
    for (let offset = 0; offset < count; offset++) {
      entries.push({ index: firstIndex + offset, term, command: randomCommand(rng) });
    }
  }
  return { snapshot: null, hardState, entries, mustSync: mustSyncAlways || rng.next() < 0.8 };
}

/**
 * Compaction here (a snapshot at an index the log holds, with its term), or an install from a leader: a snapshot
 * past the log's end or with another term (the whole log goes), sometimes with a new suffix after it.
 */
function randomSnapshotPersist(rng: ReturnType<typeof makeRng>, state: PersistedState, mustSyncAlways: boolean): Persist {
  const snapshotIndex = snapshotIndexOf(state);
  const lastIndex = lastIndexOf(state);
  const installed = lastIndex === snapshotIndex || rng.next() < 0.3;
  const index = installed ? rng.int(snapshotIndex + 1, lastIndex + 3) : rng.int(snapshotIndex + 1, lastIndex);
  const term = installed ? state.hardState.term + rng.int(0, 1) : termAt(state, index)!;
  const entries: Entry[] = [];
  if (installed && rng.next() < 0.5) {
    const count = rng.int(1, 3);
    for (let offset = 1; offset <= count; offset++) entries.push({ index: index + offset, term, command: randomCommand(rng) });
  }
  const data = Array.from({ length: rng.int(0, 40) }, () => randomCommand(rng) ?? '').join('|');
  return { snapshot: { lastIncludedIndex: index, lastIncludedTerm: term, data }, hardState: null, entries,
    mustSync: mustSyncAlways || rng.next() < 0.8 };
}

function randomCommand(rng: ReturnType<typeof makeRng>): string | null {
  if (rng.next() < 0.1) return null;
  const pieces: string[] = [];
  const count = rng.int(0, 4);
  for (let i = 0; i < count; i++) pieces.push(COMMAND_PIECES[rng.int(0, COMMAND_PIECES.length - 1)]!);
  return pieces.join('');
}

export function entry(index: number, term: number, command: string | null = `c${index}`): Entry {
  return { index, term, command };
}

/** Seed for randomized tests: RAFT_LAB_SEED replays a failure; otherwise a fresh one each run. */
export function testSeed(): number {
  const fromEnv = process.env['RAFT_LAB_SEED'];
  if (fromEnv !== undefined && fromEnv !== '') return Number.parseInt(fromEnv, 10) >>> 0;
  return Math.floor(Math.random() * 0xffffffff) >>> 0;
}
