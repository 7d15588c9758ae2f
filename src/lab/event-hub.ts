// The lab's merged event stream: gives each event its place (seq), keeps a bounded window for late subscribers
// and the UI, and delivers to subscribers in batches so that a burst of thousands of events is one message.
import type { LabEvent, UnsequencedLabEvent } from '../protocol/events';

export const DEFAULT_WINDOW_EVENTS = 50_000;
const FLUSH_INTERVAL_MS = 16;

export type EventListener = (events: readonly LabEvent[]) => void;

export class EventHub {
  private nextSeq = 0;
  // A ring buffer: publishing must stay O(1) at thousands of events per second with a 50,000-event window.
  private readonly window: (LabEvent | undefined)[];
  private windowStart = 0;
  private windowSize = 0;
  private pending: LabEvent[] = [];
  private readonly listeners = new Set<EventListener>();
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(private readonly windowEvents = DEFAULT_WINDOW_EVENTS) {
    if (!Number.isInteger(windowEvents) || windowEvents < 1) throw new RangeError(`windowEvents must be a positive integer`);
    this.window = new Array<LabEvent | undefined>(windowEvents);
  }

  publish(event: UnsequencedLabEvent): LabEvent {
    const sequenced = { ...event, seq: this.nextSeq } as LabEvent;
    this.nextSeq += 1;
    this.window[(this.windowStart + this.windowSize) % this.windowEvents] = sequenced;
    if (this.windowSize < this.windowEvents) this.windowSize += 1;
    else this.windowStart = (this.windowStart + 1) % this.windowEvents;
    this.pending.push(sequenced);
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_INTERVAL_MS);
    return sequenced;
  }

  /** Deliver what is pending now (also used before shutdown so nothing is lost). */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    for (const listener of this.listeners) {
      try {
        listener(batch);
      } catch (error) {
        // A broken subscriber (e.g. a closed WebSocket) must not stop the others.
        process.stderr.write(`raft-lab: event subscriber failed: ${(error as Error).message}\n`);
      }
    }
  }

  /** Seq the next published event will get. */
  get nextSequence(): number {
    return this.nextSeq;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The newest `limit` events of the window, oldest first. */
  recent(limit = this.windowEvents): readonly LabEvent[] {
    const count = Math.min(limit, this.windowSize);
    const events: LabEvent[] = [];
    for (let i = this.windowSize - count; i < this.windowSize; i += 1) {
      const event = this.window[(this.windowStart + i) % this.windowEvents];
      if (event) events.push(event);
    }
    return events;
  }

  close(): void {
    this.flush();
    this.listeners.clear();
  }
}
