// What a quiet node (benchmarks) tells the lab about its durable log: not every entry with its command (that cost ~20%
// of the measured throughput), but which indexes now hold which terms, gathered over all writes since its last event
// and sent right before its next one. That order is what the lab's safety monitor relies on: any event of a node is
// preceded by every write the node had made durable before it. Terms along a log never decrease, so a change is a
// handful of (first index, term) runs however many entries it wrote.
import type { UnsequencedLabEvent } from '../../protocol/events';
import type { Entry, NodeId } from '../../raft/types';

export type LogTermsEvent = Extract<UnsequencedLabEvent, { type: 'log-terms' }>;

/** The protocol's bound on runs per event; a longer change goes out as several events, each continuing the last. */
const MAX_RUNS_PER_EVENT = 1024;

export class DurableTerms {
  /** First index changed since the last report; 0 when nothing changed. */
  private from = 0;
  private last = 0;
  private runs: [number, number][] = [];

  constructor(private readonly node: NodeId) {}

  /** A durable write: `entries` replaced the log from entries[0].index on. */
  written(entries: readonly Entry[]): void {
    const first = entries[0];
    if (first === undefined) return;
    if (this.from === 0 || first.index <= this.from) {
      this.from = first.index;
      this.runs = [];
    } else {
      while (this.runs.length > 0 && (this.runs[this.runs.length - 1] as [number, number])[0] >= first.index) this.runs.pop();
    }
    for (const entry of entries) {
      const run = this.runs[this.runs.length - 1];
      if (run === undefined || run[1] !== entry.term) this.runs.push([entry.index, entry.term]);
    }
    this.last = (entries[entries.length - 1] as Entry).index;
  }

  /** The change since the last call as events (none if nothing changed), oldest first. */
  take(atNs: number): LogTermsEvent[] {
    if (this.from === 0) return [];
    const events: LogTermsEvent[] = [];
    for (let start = 0; start < this.runs.length; start += MAX_RUNS_PER_EVENT) {
      const runs = this.runs.slice(start, start + MAX_RUNS_PER_EVENT);
      const next = this.runs[start + MAX_RUNS_PER_EVENT];
      events.push({ type: 'log-terms', atNs, node: this.node, from: (runs[0] as [number, number])[0],
        last: next === undefined ? this.last : next[0] - 1, runs });
    }
    this.from = 0;
    this.runs = [];
    return events;
  }
}
