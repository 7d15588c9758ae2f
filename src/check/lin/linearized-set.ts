// The set of operations the search has placed so far, with a compact canonical form for the memo.
//
// Storing the whole set (one bit per operation) in every memo entry costs O(n) memory per step, which runs out on
// long histories. But the search places required operations roughly in call order (ids are assigned in call
// order), so their set is "everything below a low-water mark, plus a few bits in a short window above it": the
// canonical form stores that window. Optional writes are placed as prefixes of their groups (optional-groups.ts),
// so for them it is enough to know how many of each group are placed: (group, count) pairs.

export class LinearizedSet {
  private readonly requiredIndex: Int32Array;
  private readonly requiredBits: Uint32Array;
  private readonly requiredSize: number;
  /** Smallest required index not in the set: every one below it is in. */
  private firstClear = 0;
  /** Largest required index in the set, -1 if none. */
  private highestSet = -1;
  /** Per optional group: how many members are in the set. */
  private readonly groupCounts: Int32Array;
  /** Bit per group: count > 0. */
  private readonly groupsUsed: Uint32Array;
  private readonly scratch: Uint32Array;
  private readonly pairsScratch: Uint32Array;

  /** `groupOf[op]` is the optional group of `op`, or -1 for a required op. */
  constructor(
    private readonly groupOf: Int32Array,
    groupCount: number,
  ) {
    this.requiredIndex = new Int32Array(groupOf.length);
    let requiredSize = 0;
    for (let op = 0; op < groupOf.length; op++) this.requiredIndex[op] = groupOf[op] === -1 ? requiredSize++ : -1;
    this.requiredSize = requiredSize;
    this.requiredBits = new Uint32Array(Math.ceil(requiredSize / 32));
    this.groupCounts = new Int32Array(groupCount);
    this.groupsUsed = new Uint32Array(Math.ceil(groupCount / 32));
    this.scratch = new Uint32Array(2 + this.requiredBits.length);
    this.pairsScratch = new Uint32Array(2 * groupCount);
  }

  add(op: number): void {
    const group = this.groupOf[op] ?? -1;
    if (group >= 0) {
      const count = (this.groupCounts[group] ?? 0) + 1;
      this.groupCounts[group] = count;
      if (count === 1) setBit(this.groupsUsed, group, true);
      return;
    }
    const i = this.requiredIndex[op] ?? 0;
    if (bit(this.requiredBits, i)) throw new Error(`op ${op} placed twice`);
    setBit(this.requiredBits, i, true);
    if (i > this.highestSet) this.highestSet = i;
    if (i === this.firstClear) {
      while (this.firstClear < this.requiredSize && bit(this.requiredBits, this.firstClear)) this.firstClear++;
    }
  }

  remove(op: number): void {
    const group = this.groupOf[op] ?? -1;
    if (group >= 0) {
      const count = (this.groupCounts[group] ?? 0) - 1;
      if (count < 0) throw new Error(`op ${op} removed but its group has none placed`);
      this.groupCounts[group] = count;
      if (count === 0) setBit(this.groupsUsed, group, false);
      return;
    }
    const i = this.requiredIndex[op] ?? 0;
    if (!bit(this.requiredBits, i)) throw new Error(`op ${op} removed but not placed`);
    setBit(this.requiredBits, i, false);
    if (i < this.firstClear) this.firstClear = i;
    // Bits below firstClear are all set, so this scan stops within the window.
    if (i === this.highestSet) {
      while (this.highestSet >= 0 && !bit(this.requiredBits, this.highestSet)) this.highestSet--;
    }
  }

  /**
   * The canonical form of the required part: [first window word, window length, window words...]. Two sets with
   * the same optional counts are equal iff these are. Valid until the next change; copy it to keep it.
   */
  requiredForm(): Uint32Array {
    const startWord = this.firstClear >>> 5;
    const endWord = Math.max(startWord, this.highestSet < 0 ? 0 : (this.highestSet >>> 5) + 1);
    const scratch = this.scratch;
    scratch[0] = startWord;
    scratch[1] = endWord - startWord;
    let length = 2;
    for (let w = startWord; w < endWord; w++) scratch[length++] = this.requiredBits[w] ?? 0;
    return scratch.subarray(0, length);
  }

  /** (group, count) pairs, in group order, for each group with members placed. Valid until the next change. */
  optionalForm(): Uint32Array {
    const pairs = this.pairsScratch;
    let length = 0;
    const used = this.groupsUsed;
    for (let w = 0; w < used.length; w++) {
      let word = used[w] ?? 0;
      while (word !== 0) {
        const low = word & -word;
        const group = w * 32 + (31 - Math.clz32(low));
        pairs[length++] = group;
        pairs[length++] = this.groupCounts[group] ?? 0;
        word ^= low;
      }
    }
    return pairs.subarray(0, length);
  }

  /** Placed members per optional group (do not modify). */
  get optionalCounts(): Int32Array {
    return this.groupCounts;
  }
}

function bit(words: Uint32Array, i: number): boolean {
  return (((words[i >>> 5] ?? 0) >>> (i & 31)) & 1) === 1;
}

function setBit(words: Uint32Array, i: number, value: boolean): void {
  const w = i >>> 5;
  const mask = 1 << (i & 31);
  words[w] = value ? (words[w] ?? 0) | mask : (words[w] ?? 0) & ~mask;
}
