// What the safety monitor knows of one node process: its durable log as reported (log-write and log-terms events),
// the writes reported since its last node-state (they are handed to the checker together with that state: see
// safety-monitor.ts for why), which incarnation (process) reports, and how far its report stream has come.
import type { Entry } from '../../raft/types';

/** Entries held while waiting for a node's next state: a node reports one after every few writes; past this, give up. */
const MAX_PENDING_ENTRIES = 100_000;

export class NodeFeed {
  /** The durable log after `base` (entries 1..base are its snapshot, or were dropped after a compaction). */
  private entries: Entry[] = [];
  private baseIndex = 0;
  /** Writes reported since the last node-state, each replacing the log from its first index on. */
  private pending: Entry[][] = [];
  private pendingEntries = 0;
  /** Processes seen for this node (node-alive events); 0 before the first. */
  incarnation = 0;
  /** True from a (re)start until the process's first node-state, which reports what it recovered. */
  awaitingFirstState = false;
  /**
   * The monitor lost track of this node's log (events dropped, a write leaving a gap, a snapshot installed while newer
   * entries were already in flight): it stops checking this node until the node restarts and reports its whole log.
   */
  suspended: string | null = null;
  /** Shared-clock stamp of the last node-state handed to the checker: every write reported before it is known. */
  streamNs = -Infinity;
  /** Highest commitIndex this process reported (a report caps it at its durable log, the node's own never drops). */
  commitIndex = 0;
  lastApplied = 0;
  snapshotIndex = 0;

  get base(): number {
    return this.baseIndex;
  }

  get lastIndex(): number {
    return this.baseIndex + this.entries.length;
  }

  /** The entries after `base`, oldest first (the checker's durable view reads it; do not change it). */
  get log(): readonly Entry[] {
    return this.entries;
  }

  /** The entries after `index` (>= base). */
  entriesAfter(index: number): Entry[] {
    return this.entries.slice(Math.max(0, index - this.baseIndex));
  }

  entryAt(index: number): Entry | undefined {
    return index > this.baseIndex ? this.entries[index - this.baseIndex - 1] : undefined;
  }

  /** A reported durable write; handed on with the next node-state. */
  addWrite(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    this.pending.push([...entries]);
    this.pendingEntries += entries.length;
    if (this.pendingEntries > MAX_PENDING_ENTRIES) this.suspend('it wrote too much without reporting its state');
  }

  /**
   * The writes since the last state, applied to the log; ok false (and nothing applied past it) on a gap. The state
   * they come with names the node's snapshot, which places an install from the leader (Figure 13, step 7: the log is
   * discarded, `installed`) among the writes: a write past the end of the log that the snapshot covers up to, or one
   * right after a snapshot whose entry the log holds with another term, is the first write after the install.
   */
  takeWrites(snapshotIndex: number, snapshotTerm: number): { writes: Entry[][]; ok: boolean; installed: boolean } {
    const writes = this.pending;
    this.pending = [];
    this.pendingEntries = 0;
    let installed = false;
    for (const write of writes) {
      const first = (write[0] as Entry).index;
      const pastEnd = first > this.lastIndex + 1 && first - 1 <= snapshotIndex;
      const replaced = first === snapshotIndex + 1 && snapshotIndex > this.snapshotIndex && this.entryAt(snapshotIndex)?.term !== snapshotTerm;
      if (pastEnd || replaced) {
        this.replaceBySnapshot(first - 1);
        installed = true;
      }
      if (first > this.lastIndex + 1 || first <= this.baseIndex) return { writes: [], ok: false, installed };
      this.entries.length = first - this.baseIndex - 1;
      for (const entry of write) this.entries.push(entry);
    }
    return { writes, ok: true, installed };
  }

  /** A new process of this node: what it recovered replaces everything (its writes follow as pending writes). */
  restarted(): void {
    this.incarnation += 1;
    this.awaitingFirstState = true;
    this.pending = [];
    this.pendingEntries = 0;
    this.suspended = null;
    this.commitIndex = 0;
  }

  /** The recovered log (the writes reported since the restart) after the recovered snapshot `snapshotIndex`. */
  adoptRecovered(snapshotIndex: number, snapshotTerm: number): boolean {
    this.entries = [];
    this.baseIndex = snapshotIndex;
    this.snapshotIndex = snapshotIndex;
    this.lastApplied = snapshotIndex;
    return this.takeWrites(snapshotIndex, snapshotTerm).ok;
  }

  /** The node compacted through `index` and kept what follows (the entry there is the snapshot's): drop the prefix. */
  dropPrefix(index: number): void {
    if (index <= this.baseIndex) return;
    this.entries.splice(0, Math.min(index - this.baseIndex, this.entries.length));
    this.baseIndex = index;
    this.snapshotIndex = index;
  }

  /** Installed a snapshot through `index` and discarded its whole log (Figure 13, step 7). */
  replaceBySnapshot(index: number): void {
    this.entries = [];
    this.baseIndex = index;
    this.snapshotIndex = index;
  }

  suspend(why: string): void {
    this.suspended ??= why;
    this.pending = [];
    this.pendingEntries = 0;
  }
}
