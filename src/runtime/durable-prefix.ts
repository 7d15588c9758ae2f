// How much of this node's log is surely on disk: entries 1..index were written (and synced) by completed writes
// and not replaced by a write issued since. Two things wait on it (see ready-pipeline.ts): applying committed
// entries (a leader's core counts its own entries as soon as it appends them; nothing may act on that count before
// they are durable), and a leader's AppendEntries sent ahead of its own write (their commit index must stay within
// it). The pipeline looks at `index` whenever a write completes; nothing here waits or schedules.

/** One issued write that carries entries; `last` shrinks if a later write replaces some of them. */
export interface IssuedWrite {
  last: number;
}

export class DurablePrefix {
  private readonly inFlight: IssuedWrite[] = [];

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
  }
}
