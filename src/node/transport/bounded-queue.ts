// A FIFO with a hard capacity (a ring buffer): pushing into a full queue fails instead of growing, so a dead or
// stalled peer can never make a node hold unbounded memory.

export class BoundedQueue<T> {
  private readonly slots: (T | undefined)[];
  private headIndex = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`queue capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array<T | undefined>(capacity).fill(undefined);
  }

  get length(): number {
    return this.count;
  }

  /** False (and nothing stored) when full. */
  push(item: T): boolean {
    if (this.count === this.capacity) return false;
    this.slots[(this.headIndex + this.count) % this.capacity] = item;
    this.count += 1;
    return true;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.slots[this.headIndex];
    this.slots[this.headIndex] = undefined; // let the buffer be collected
    this.headIndex = (this.headIndex + 1) % this.capacity;
    this.count -= 1;
    return item;
  }

  /** Empties the queue; returns how many items were discarded. */
  clear(): number {
    const discarded = this.count;
    this.slots.fill(undefined);
    this.headIndex = 0;
    this.count = 0;
    return discarded;
  }
}
