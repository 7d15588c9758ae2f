// The cluster's committed log as the lab saw it, from index 1, for the checkers (lost acknowledged writes) and the
// UI's KV view. With log compaction (§7) no single node's mirror need hold it whole: a node that installs a leader's
// snapshot, or restarts from one, reports a log that starts after it (node-mirror.ts). But each committed entry was
// in some node's mirror when it became committed (its leader's at least), so the lab copies committed entries from
// the mirrors as nodes report their commit index, and keeps them here. Entries up to a node's commit index are the
// committed ones (State Machine Safety), so any node's mirror is as good a source as another.
import type { LogEntryView } from '../protocol/lab-api';
import { KvStateMachine } from '../kv/state-machine';
import { MAX_MIRRORED_ENTRIES, type NodeMirror } from './node-mirror';

export class CommittedLog {
  private entries: LogEntryView[] = [];
  /** Index of entries[0]; past MAX_MIRRORED_ENTRIES the oldest are forgotten, as mirrors forget theirs. */
  private firstIndex = 1;

  /** Index of the last committed entry held (0: none). */
  get lastIndex(): number {
    return this.firstIndex + this.entries.length - 1;
  }

  /** True while the log is held from index 1. */
  get isComplete(): boolean {
    return this.firstIndex === 1;
  }

  /** A node with this mirror reported `commitIndex`: copy the committed entries it holds that follow ours. */
  learn(mirror: NodeMirror, commitIndex: number): void {
    while (this.lastIndex < commitIndex) {
      const entry = mirror.entryAt(this.lastIndex + 1);
      if (entry === undefined) return;
      this.entries.push(entry);
    }
    if (this.entries.length > MAX_MIRRORED_ENTRIES) {
      const excess = this.entries.length - MAX_MIRRORED_ENTRIES;
      this.entries.splice(0, excess);
      this.firstIndex += excess;
    }
  }

  /** Entries 1..count, when held. */
  prefix(count: number): readonly LogEntryView[] | null {
    return this.isComplete && this.lastIndex >= count ? this.entries.slice(0, count) : null;
  }

  /** The KV state after applying entries 1..lastApplied; null when they are not all held. */
  kvState(lastApplied: number): Record<string, string> | null {
    const entries = this.prefix(lastApplied);
    if (entries === null) return null;
    const machine = new KvStateMachine();
    for (const entry of entries) machine.apply(entry.index, entry.command);
    return machine.snapshotData();
  }
}
