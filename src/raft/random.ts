// The core's only source of randomness: a small seeded PRNG (mulberry32), so that every run — and every failing
// simulation — replays exactly from its seed. Math.random is forbidden in src/raft.

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
  let state = (Math.trunc(seed) ^ Math.imul(nodeId, 0x9e3779b1)) >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
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
