// How much of this node's log is surely on disk: entries 1..index were written (and synced) by completed writes
// and not replaced by a write issued since. Two things wait on it (see raft-runtime.ts): applying committed entries
// (a leader's core counts its own entries as soon as it appends them; nothing may act on that count before they
// are durable), and a leader's AppendEntries sent ahead of its own write (their commit index must stay within it).

/** One issued write that carries entries; `last` shrinks if a later write replaces some of them. */
export interface IssuedWrite {
  last: number;
}

interface Waiter {
  readonly index: number;
  readonly resolve: () => void;
}

export class DurablePrefix {
  private readonly inFlight: IssuedWrite[] = [];
  /** In the order they were asked for; indexes of committed entries only grow, so mostly in index order too. */
  private waiters: Waiter[] = [];

  /** `recoveredLastIndex`: what the node read back from its log at start is durable. */
  constructor(private durableIndex: number) {}

  get index(): number {
    return this.durableIndex;
  }

  /** A write of entries first..last was issued; it replaces whatever the log held from `first` on. */
  issued(first: number, last: number): IssuedWrite {
    this.durableIndex = Math.min(this.durableIndex, first - 1);
    for (const write of this.inFlight) write.last = Math.min(write.last, first - 1);
    const write: IssuedWrite = { last };
    this.inFlight.push(write);
    return write;
  }

  /** The write completed. The WAL completes writes in the order they were issued. */
  completed(write: IssuedWrite): void {
    const oldest = this.inFlight.shift();
    if (oldest !== write) throw new Error('invariant: log writes completed out of issue order');
    this.durableIndex = write.last;
    if (this.waiters.length === 0) return;
    const stillWaiting: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.index <= this.durableIndex) waiter.resolve();
      else stillWaiting.push(waiter);
    }
    this.waiters = stillWaiting;
  }

  /** Resolves once entries 1..index are durable; null when they already are (nothing to wait for). */
  whenDurable(index: number): Promise<void> | null {
    if (index <= this.durableIndex) return null;
    return new Promise<void>((resolve) => this.waiters.push({ index, resolve }));
  }
}
