// Shared by the storage tests and the crash child: temp dirs, a seeded random source, and a random Raft-shaped
// workload (growing terms, appends, suffix truncations) together with the state after each write.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Entry, HardState, Persist, PersistedState } from '../../../src/raft/types';

export async function makeTempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `raft-lab-wal-${label}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** mulberry32: tiny, seedable, good enough to pick test cases. */
export function makeRng(seed: number): { next: () => number; int: (min: number, maxInclusive: number) => number } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min, maxInclusive) => min + Math.floor(next() * (maxInclusive - min + 1)) };
}

export const EMPTY_STATE: PersistedState = { hardState: { term: 0, votedFor: null }, entries: [] };

/** The reference semantics of Persist (types.ts), written independently of the WAL's own mirror. */
export function applyPersist(state: PersistedState, persist: Persist): PersistedState {
  const hardState = persist.hardState ?? state.hardState;
  const first = persist.entries[0];
  if (first === undefined) return { hardState, entries: state.entries };
  return { hardState, entries: [...state.entries.slice(0, first.index - 1), ...persist.entries] };
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
  const mode = rng.next();
  const withHardState = mode < 0.3;
  const withEntries = mode >= 0.15;
  const hardState: HardState | null = withHardState
    ? { term: state.hardState.term + rng.int(0, 2), votedFor: rng.next() < 0.3 ? null : rng.int(1, 5) }
    : null;
  const term = Math.max(1, hardState?.term ?? state.hardState.term);
  const entries: Entry[] = [];
  if (withEntries) {
    const lastIndex = state.entries.length;
    // Mostly appends; sometimes a follower-style truncation of up to 3 entries.
    const firstIndex = rng.next() < 0.2 ? Math.max(1, lastIndex - rng.int(0, 2)) : lastIndex + 1;
    const count = rng.int(1, 4);
    for (let offset = 0; offset < count; offset++) {
      entries.push({ index: firstIndex + offset, term, command: randomCommand(rng) });
    }
  }
  return { hardState, entries, mustSync: mustSyncAlways || rng.next() < 0.8 };
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
