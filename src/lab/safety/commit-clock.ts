// When the monitor first learned that each log index was committed, on the machine-wide clock every process stamps
// its events with. Two questions need it: may a node whose latest report is older still hold an entry without having
// said so (durability), and what was surely committed before a client's read began (stale reads).
//
// Times are kept non-decreasing and records are merged past a bound. Both only ever make a stamp later than the
// truth, which makes the monitor more careful, never more accusing: a later "first committed" time widens the window
// in which a silent node may hold the entry, and "committed before t" then names a shorter prefix.

const MAX_RECORDS = 4096;

interface CommitRecord { readonly index: number; readonly atNs: number }

export class CommitClock {
  private records: CommitRecord[] = [];

  /** The committed log now reaches `index`, learned from an event stamped `atNs`. */
  advanced(index: number, atNs: number): void {
    const last = this.records[this.records.length - 1];
    if (last !== undefined && index <= last.index) return;
    this.records.push({ index, atNs: Math.max(atNs, last?.atNs ?? -Infinity) });
    if (this.records.length > MAX_RECORDS) this.coarsen();
  }

  /** Stamp at which `index` was first known committed (Infinity if it is not yet). */
  firstCommittedNs(index: number): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.records[middle] as CommitRecord).index >= index) high = middle;
      else low = middle + 1;
    }
    return this.records[low]?.atNs ?? Infinity;
  }

  /** The longest prefix of the log known committed by an event stamped before `atNs`. */
  committedBefore(atNs: number): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.records[middle] as CommitRecord).atNs < atNs) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? 0 : (this.records[low - 1] as CommitRecord).index;
  }

  /** Drops every other record of the older half: their indexes now read as committed at the next kept record's time. */
  private coarsen(): void {
    const half = this.records.length >> 1;
    const older = this.records.slice(0, half).filter((_, i) => i % 2 === 1);
    this.records = [...older, ...this.records.slice(half)];
  }
}
