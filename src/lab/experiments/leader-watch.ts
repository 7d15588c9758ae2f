// Watches the lab's event stream for the first node that reports itself leader of a term above the killed leader's.
// The time is the node's own stamp on the shared monotonic clock (not when the lab got round to the event), so the
// lab's batching and a busy event loop do not lengthen the measurement.
import type { LabEvent } from '../../protocol/events';

export interface NewLeader {
  readonly node: number;
  readonly term: number;
  readonly atNs: number;
}

export interface EventSource {
  subscribe(listener: (events: readonly LabEvent[]) => void): () => void;
}

export class LeaderWatch {
  private found: NewLeader | null = null;
  private readonly waiting = new Set<(leader: NewLeader | null) => void>();
  private readonly unsubscribe: () => void;

  constructor(source: EventSource, private readonly aboveTerm: number) {
    this.unsubscribe = source.subscribe((events) => {
      for (const event of events) {
        if (this.found || event.type !== 'node-state') continue;
        if (event.state.role === 'leader' && event.state.term > this.aboveTerm) {
          this.found = { node: event.node, term: event.state.term, atNs: event.atNs };
          for (const done of [...this.waiting]) done(this.found);
        }
      }
    });
  }

  /** The new leader, or null if none reported itself within `deadlineMs`. */
  wait(deadlineMs: number): Promise<NewLeader | null> {
    if (this.found) return Promise.resolve(this.found);
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(null), deadlineMs);
      const done = (leader: NewLeader | null): void => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve(leader);
      };
      this.waiting.add(done);
    });
  }

  /** Stops listening; a wait still pending ends at once with null (no timer outlives the watch). */
  stop(): void {
    this.unsubscribe();
    for (const done of [...this.waiting]) done(null);
  }
}
