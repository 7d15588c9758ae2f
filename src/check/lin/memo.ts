// The search's memory of configurations already explored and failed: (set of placed operations, register state,
// pruning restriction). Reaching one again means the subtree below it was already searched and failed (Lowe's
// optimisation of Wing & Gong), so the search skips it.
//
// Subsumption for optional writes: a configuration that has placed MORE members of each optional group than a
// failed one (same required set, state and restriction) fails too, since the members left over are a subset of the
// failed one's, and each is called no earlier (optional-groups.ts). So an entry matches when its counts are <= the
// current counts, group by group. This keeps histories with many unknown writes from multiplying the configurations.
//
// The required set arrives in canonical form (linearized-set.ts) with its Zobrist hash: one random word per
// required operation, XORed in when it is placed and out when it is undone, so hashing costs O(1) per step.
// Millions of entries must fit, so there is no object per entry: records live in one growable word arena,
// [hash, next record, state, restriction + 1, required length, pairs length, required words..., count pairs...],
// chained from an open hash table of heads.
import { mulberry32 } from '../../raft/random';

const HEADER_WORDS = 6;
const NONE = -1;

export class Memo {
  private arena = new Uint32Array(1 << 12);
  private arenaUsed = 0;
  private heads = new Int32Array(1 << 10).fill(NONE);
  private count = 0;

  /** Words in use (arena records plus table): the memo's memory, which the caller bounds. Capacity is <= 1.5x. */
  get storedWords(): number {
    return this.arenaUsed + this.heads.length;
  }

  /**
   * Adds the configuration and returns true, unless an entry with the same required set, state and restriction and
   * counts <= `counts` is already there (false: explored, and it failed). `requiredForm` and `countPairs` come from
   * LinearizedSet; `counts` is its dense per-group count array.
   */
  addIfAbsent(
    requiredForm: Uint32Array,
    requiredHash: number,
    countPairs: Uint32Array,
    counts: Int32Array,
    state: number,
    restriction: number,
  ): boolean {
    const hash = (requiredHash ^ Math.imul(state + 1, 0x9e3779b1) ^ Math.imul(restriction + 2, 0x85ebca6b)) >>> 0;
    const slot = hash & (this.heads.length - 1);
    for (let record = this.heads[slot] ?? NONE; record !== NONE; record = (this.arena[record + 1] ?? 0) | 0) {
      if (this.matches(record, hash, requiredForm, counts, state, restriction)) return false;
    }
    this.heads[slot] = this.append(hash, this.heads[slot] ?? NONE, requiredForm, countPairs, state, restriction);
    this.count++;
    if (this.count > this.heads.length * 0.75) this.growTable();
    return true;
  }

  private matches(
    record: number,
    hash: number,
    required: Uint32Array,
    counts: Int32Array,
    state: number,
    restriction: number,
  ): boolean {
    const arena = this.arena;
    if (arena[record] !== hash || arena[record + 2] !== state || arena[record + 3] !== restriction + 1) return false;
    if (arena[record + 4] !== required.length) return false;
    const words = record + HEADER_WORDS;
    for (let i = 0; i < required.length; i++) if (arena[words + i] !== required[i]) return false;
    const pairs = words + required.length;
    const pairsEnd = pairs + (arena[record + 5] ?? 0);
    for (let p = pairs; p < pairsEnd; p += 2) {
      if ((arena[p + 1] ?? 0) > (counts[arena[p] ?? 0] ?? 0)) return false;
    }
    return true;
  }

  private append(
    hash: number,
    next: number,
    required: Uint32Array,
    pairs: Uint32Array,
    state: number,
    restriction: number,
  ): number {
    const size = HEADER_WORDS + required.length + pairs.length;
    if (this.arenaUsed + size > this.arena.length) {
      const grown = new Uint32Array(Math.max(Math.ceil(this.arena.length * 1.5), this.arenaUsed + size));
      grown.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = grown;
    }
    const record = this.arenaUsed;
    const arena = this.arena;
    arena[record] = hash;
    arena[record + 1] = next;
    arena[record + 2] = state;
    arena[record + 3] = restriction + 1;
    arena[record + 4] = required.length;
    arena[record + 5] = pairs.length;
    arena.set(required, record + HEADER_WORDS);
    arena.set(pairs, record + HEADER_WORDS + required.length);
    this.arenaUsed += size;
    return record;
  }

  /** Doubles the table and re-chains every record (they sit back to back in the arena). */
  private growTable(): void {
    const heads = new Int32Array(this.heads.length * 2).fill(NONE);
    const mask = heads.length - 1;
    let record = 0;
    while (record < this.arenaUsed) {
      const slot = (this.arena[record] ?? 0) & mask;
      this.arena[record + 1] = heads[slot] ?? NONE;
      heads[slot] = record;
      record += HEADER_WORDS + (this.arena[record + 4] ?? 0) + (this.arena[record + 5] ?? 0);
    }
    this.heads = heads;
  }
}

/** Deterministic random words for Zobrist hashing (mulberry32); determinism makes runs reproducible. */
export function zobristWords(count: number, seed = 0x5eed1234): Int32Array {
  const next = mulberry32(seed);
  const words = new Int32Array(count);
  for (let i = 0; i < count; i++) words[i] = next(); // the 32 bits, read as a signed word
  return words;
}
