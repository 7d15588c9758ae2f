// The simulator's agenda: a binary min-heap keyed by (timeMs, sequence). The sequence number is the order of
// scheduling, so two events at the same simulated time always run in the same order: that total order is what
// makes a run replay byte for byte from its seed. Items carry their own key fields (no wrapper object per event:
// the queue is on the hot path of every message).

export interface QueueItem {
  timeMs: number;
  /** Set by the queue on push. */
  sequence: number;
}

export class EventQueue<T extends QueueItem> {
  private readonly heap: T[] = [];
  private nextSequence = 0;

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`EventQueue capacity must be >= 1, got ${capacity}`);
  }

  get size(): number {
    return this.heap.length;
  }

  /** Schedules `item` at `item.timeMs`; an item must not be pushed twice. */
  push(item: T): void {
    if (!Number.isFinite(item.timeMs)) throw new Error(`cannot schedule an event at time ${item.timeMs}`);
    if (this.heap.length >= this.capacity) {
      throw new Error(`event queue is full (${this.capacity} events): a runaway producer is scheduling without bound`);
    }
    item.sequence = this.nextSequence++;
    this.heap.push(item);
    this.siftUp(this.heap.length - 1);
  }

  peekTimeMs(): number | null {
    const top = this.heap[0];
    return top === undefined ? null : top.timeMs;
  }

  pop(): T | null {
    const top = this.heap[0];
    if (top === undefined) return null;
    const last = this.heap.pop() as T;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private static before(a: QueueItem, b: QueueItem): boolean {
    return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.sequence < b.sequence);
  }

  private siftUp(start: number): void {
    const heap = this.heap;
    let index = start;
    const item = heap[index] as T;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex] as T;
      if (!EventQueue.before(item, parent)) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = item;
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    const length = heap.length;
    let index = start;
    const item = heap[index] as T;
    while (true) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && EventQueue.before(heap[right] as T, heap[left] as T)) child = right;
      const childItem = heap[child] as T;
      if (!EventQueue.before(childItem, item)) break;
      heap[index] = childItem;
      index = child;
    }
    heap[index] = item;
  }
}
