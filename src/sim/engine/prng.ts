// A small seeded pseudo-random generator (xoshiro128**, seeded through splitmix32) so that every random choice
// in a simulated run is a pure function of the run seed. Never use Math.random in the simulator: one stray call
// and a failing seed no longer replays.

const UINT32 = 0x1_0000_0000;

/** splitmix32: spreads a 32-bit seed over the whole state so that nearby seeds give unrelated streams. */
function splitmix32(state: { x: number }): number {
  state.x = (state.x + 0x9e3779b9) | 0;
  let z = state.x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over a label, used to derive independent streams ("network", "disk", ...) from one parent. */
export function hashLabel(label: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Prng seed must be a finite number, got ${seed}`);
    // Fold the (possibly > 32-bit) integer seed into 32 bits without losing its high part.
    const low = seed >>> 0;
    const high = Math.floor(seed / UINT32) >>> 0;
    const state = { x: (low ^ Math.imul(high, 0x27d4eb2d)) | 0 };
    this.s0 = splitmix32(state);
    this.s1 = splitmix32(state);
    this.s2 = splitmix32(state);
    this.s3 = splitmix32(state);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextU32() / UINT32;
  }

  /** Uniform integer in [min, maxExclusive). */
  int(min: number, maxExclusive: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(maxExclusive) || maxExclusive <= min) {
      throw new Error(`Prng.int needs integers with min < max, got [${min}, ${maxExclusive})`);
    }
    return min + Math.floor(this.float() * (maxExclusive - min));
  }

  /** Uniform real in [min, max). */
  between(min: number, max: number): number {
    if (!(max >= min)) throw new Error(`Prng.between needs min <= max, got [${min}, ${max})`);
    return min + this.float() * (max - min);
  }

  /** True with probability `probability` (0..1). */
  chance(probability: number): boolean {
    if (probability < 0 || probability > 1) throw new Error(`probability out of [0, 1]: ${probability}`);
    return probability > 0 && this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length)];
    if (item === undefined) throw new Error('Prng.pick from an empty list');
    return item;
  }

  /** Fisher-Yates shuffle of a copy. */
  shuffled<T>(items: readonly T[]): T[] {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      const tmp = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = tmp;
    }
    return copy;
  }

  /**
   * An independent stream for one purpose. Forking by label (not by draw order) keeps a purpose's stream stable
   * when another purpose draws more or fewer numbers.
   */
  fork(label: string): Prng {
    return new Prng((this.s0 ^ hashLabel(label) ^ Math.imul(this.s2, 31)) >>> 0);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
