// The lab's merged event stream: gives each event its place (seq), keeps a bounded window for late subscribers
// and the UI, and delivers to subscribers in batches so that a burst of thousands of events is one message.
import type { LabEvent, UnsequencedLabEvent } from '../protocol/events';

export const DEFAULT_WINDOW_EVENTS = 50_000;
const FLUSH_INTERVAL_MS = 16;

export type EventListener = (events: readonly LabEvent[]) => void;

export class EventHub {
  private nextSeq = 0;
  private readonly window: LabEvent[] = [];
  private pending: LabEvent[] = [];
  private readonly listeners = new Set<EventListener>();
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(private readonly windowEvents = DEFAULT_WINDOW_EVENTS) {}

  publish(event: UnsequencedLabEvent): LabEvent {
    const sequenced = { ...event, seq: this.nextSeq } as LabEvent;
    this.nextSeq += 1;
    this.window.push(sequenced);
    if (this.window.length > this.windowEvents) this.window.splice(0, this.window.length - this.windowEvents);
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

  recent(limit = this.windowEvents): readonly LabEvent[] {
    return this.window.slice(-limit);
  }

  close(): void {
    this.flush();
    this.listeners.clear();
  }
}
