// The lab's copy of what one node reported: its Raft state and its log (from log-write events), so that the UI
// can ask for a node's details and the checkers can compare logs after a run. Bounded: the oldest entries are
// forgotten past the limit (the node's own WAL still has them).
//
// Log compaction (§7): a node that compacts its own log keeps reporting as before, and the mirror keeps the entries
// it already had. A node that installs a leader's snapshot, or restarts from one, reports a log that starts after
// it: the mirror then starts there too (incomplete: it cannot replay the KV from index 1).
import type { NodeStateView } from '../protocol/events';
import type { LogEntryView } from '../protocol/lab-api';
import { KvStateMachine } from '../kv/state-machine';

export const MAX_MIRRORED_ENTRIES = 200_000;

export class NodeMirror {
  private current: NodeStateView | null = null;
  private entries: LogEntryView[] = [];
  /** Index of entries[0]; entries before it were forgotten. */
  private firstIndex = 1;

  get state(): NodeStateView | null {
    return this.current;
  }

  /**
   * A node-state report. When the node's snapshot moved past what the mirror holds (it installed one from the
   * leader), the mirror restarts after it; when the install dropped the node's entries after it (Figure 13: they
   * did not match the leader's), the mirror drops them too.
   */
  setState(state: NodeStateView): void {
    const previousSnapshotIndex = this.current?.snapshotIndex ?? 0;
    this.current = state;
    const snapshotIndex = state.snapshotIndex ?? 0;
    if (snapshotIndex <= previousSnapshotIndex) return;
    const lastIndex = this.firstIndex + this.entries.length - 1;
    if (lastIndex < snapshotIndex) {
      this.entries = [];
      this.firstIndex = snapshotIndex + 1;
    } else if (lastIndex > Math.max(snapshotIndex, state.lastLogIndex)) {
      this.entries.length = Math.max(snapshotIndex, state.lastLogIndex) - this.firstIndex + 1;
    }
  }

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

  /**
   * The node restarted with a log ending at `lastIndex` on disk: forget anything past it (it re-reports the entries
   * it recovered, which start after its snapshot if it has one).
   */
  truncateTo(lastIndex: number): void {
    if (lastIndex < this.firstIndex) {
      this.entries = [];
      this.firstIndex = 1;
      return;
    }
    this.entries.length = Math.min(this.entries.length, lastIndex - this.firstIndex + 1);
  }

  /** The mirrored entry at `index`, if held. */
  entryAt(index: number): LogEntryView | undefined {
    return index >= this.firstIndex ? this.entries[index - this.firstIndex] : undefined;
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
