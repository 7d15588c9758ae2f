// How much of this node's log is surely on disk: entries 1..index were written (and synced) by completed writes
// and not replaced by a write issued since. The leader sends AppendEntries before its own write of them is durable
// (see RaftRuntime.maySendBeforeDurable); this prefix is what keeps any commit that counted the leader's own
// not-yet-durable entries from leaving the process.

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
