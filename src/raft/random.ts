// The project's seeded PRNG (mulberry32), the core's only source of randomness, so that every run — and every failing
// simulation — replays exactly from its seed. Math.random is forbidden in src/raft. It lives in the pure core because
// the core needs it and may import nothing else; the lab's seeded schedules, the checker's hash words and the tests
// draw from the same generator (seededRandom, mulberry32). The simulator forks its own streams per purpose
// (src/sim/prng.ts).

import { fail } from './assert';

export interface Random {
  /** Uniform integer in [minInclusive, maxExclusive); exactly minInclusive when the two are equal (a fixed value). */
  intInRange(minInclusive: number, maxExclusive: number): number;
}

/**
 * Mixes the node id into the seed: a cluster configured with one seed for every node must still draw different
 * election timeouts on each node, or their elections would split forever.
 */
export function createRandom(seed: number, nodeId: number): Random {
  if (!Number.isFinite(seed)) fail(`randomSeed must be a finite number, got ${seed}`);
  const nextUint32 = mulberry32(Math.trunc(seed) ^ Math.imul(nodeId, 0x9e3779b1));
  return {
    intInRange(minInclusive: number, maxExclusive: number): number {
      // min == max asks for no randomness at all (a fixed election timeout: Figure 16's 150–150 ms); it draws
      // nothing, so the other draws of the sequence do not move.
      if (maxExclusive === minInclusive && Number.isFinite(minInclusive)) return minInclusive;
      if (!(maxExclusive > minInclusive)) fail(`empty random range [${minInclusive}, ${maxExclusive})`);
      const span = maxExclusive - minInclusive;
      const value = minInclusive + Math.floor((nextUint32() / 0x1_0000_0000) * span);
      if (!(value >= minInclusive && value < maxExclusive)) fail(`random value ${value} outside range`);
      return value;
    },
  };
}

/** mulberry32: a stream of uniform 32-bit unsigned integers from the low 32 bits of `seed`. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniform numbers in [0, 1) from mulberry32 (for seeded schedules and tests that must replay from a seed). */
export function seededRandom(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 0x1_0000_0000;
}
