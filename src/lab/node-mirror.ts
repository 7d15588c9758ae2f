// The lab's copy of what one node reported: its Raft state and its log (from log-write events), so that the UI
// can ask for a node's details and the checkers can compare logs after a run. Bounded: the oldest entries are
// forgotten past the limit (the node's own WAL still has them).
import type { NodeStateView } from '../protocol/events';
import type { LogEntryView } from '../protocol/lab-api';
import { KvStateMachine } from '../kv/state-machine';

export const MAX_MIRRORED_ENTRIES = 200_000;

export class NodeMirror {
  state: NodeStateView | null = null;
  private entries: LogEntryView[] = [];
  /** Index of entries[0]; entries before it were forgotten. */
  private firstIndex = 1;

  writeEntries(written: readonly LogEntryView[]): void {
    const first = written[0];
    if (!first) return;
    const keep = Math.max(0, first.index - this.firstIndex);
    this.entries.length = Math.min(this.entries.length, keep);
    if (first.index > this.firstIndex + this.entries.length) {
      // A gap: we missed events (the node's reporter dropped some). Restart the mirror at what we know.
      this.entries = [];
      this.firstIndex = first.index;
    }
    this.entries.push(...written);
    if (this.entries.length > MAX_MIRRORED_ENTRIES) {
      const excess = this.entries.length - MAX_MIRRORED_ENTRIES;
      this.entries.splice(0, excess);
      this.firstIndex += excess;
    }
  }

  /** The node restarted with `lastIndex` entries on disk: forget anything past them (it re-reports the rest). */
  truncateTo(lastIndex: number): void {
    if (lastIndex < this.firstIndex) {
      this.entries = [];
      this.firstIndex = 1;
      return;
    }
    this.entries.length = Math.min(this.entries.length, lastIndex - this.firstIndex + 1);
  }

  log(): readonly LogEntryView[] {
    return this.entries;
  }

  /** True when the mirror holds the node's whole log from index 1. */
  get isComplete(): boolean {
    return this.firstIndex === 1;
  }

  /** The KV state after applying the first `lastApplied` entries (only when the mirror is complete). */
  kvState(lastApplied: number): Record<string, string> {
    if (!this.isComplete) return {};
    const machine = new KvStateMachine();
    for (const entry of this.entries.slice(0, lastApplied)) machine.apply(entry.index, entry.command);
    return machine.snapshotData();
  }
}
