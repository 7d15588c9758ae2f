// Batches a node's events to the lab: one control frame per ~10 ms or per 500 events, whichever comes first. The
// buffer is bounded: if the lab cannot keep up, the oldest unsent events are dropped and the loss itself reported.
// Bounded in events and in the log entries they carry (a log-write event holds up to 1,024), so a slow lab can
// never make a node hold more than a few MB of entries the log itself already dropped by compaction.
import type { UnsequencedLabEvent } from '../../protocol/events';
import { CONTROL_PROTOCOL_VERSION } from '../../protocol/control';
import { monotonicNowNs } from '../../shared/monotonic-clock';
import type { LabLink } from '../lab-link';

const FLUSH_EVERY_MS = 10;
const FLUSH_AT_EVENTS = 500;
const MAX_BUFFERED_EVENTS = 20_000;
const MAX_BUFFERED_LOG_ENTRIES = 20_000;

const logEntriesOf = (event: UnsequencedLabEvent): number => (event.type === 'log-write' ? event.entries.length : 0);

export class EventReporter {
  private buffer: UnsequencedLabEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private droppedEvents = 0;
  private bufferedLogEntries = 0;

  /** Events to send before any other one (quiet nodes' durable log changes: durable-terms.ts). */
  private prelude: ((atNs: number) => readonly UnsequencedLabEvent[]) | null = null;

  constructor(private readonly link: LabLink, private readonly nodeId: number, private readonly secret: string) {}

  /** `source` is asked right before each event is buffered and before each flush; what it returns goes first. */
  sendBeforeEachEvent(source: (atNs: number) => readonly UnsequencedLabEvent[]): void {
    this.prelude = source;
  }

  report(event: UnsequencedLabEvent): void {
    if (this.prelude) for (const first of this.prelude(event.atNs)) this.buffer.push(first);
    this.bufferedLogEntries += logEntriesOf(event);
    while (this.buffer.length > 0 &&
      (this.buffer.length >= MAX_BUFFERED_EVENTS || this.bufferedLogEntries > MAX_BUFFERED_LOG_ENTRIES)) {
      this.bufferedLogEntries -= logEntriesOf(this.buffer.shift()!);
      this.droppedEvents += 1;
    }
    this.buffer.push(event);
    if (this.buffer.length >= FLUSH_AT_EVENTS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_EVERY_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.prelude) for (const first of this.prelude(monotonicNowNs())) this.buffer.push(first);
    if (this.droppedEvents > 0) {
      const lost = this.droppedEvents;
      this.droppedEvents = 0;
      this.buffer.push({ type: 'error', atNs: monotonicNowNs(), node: this.nodeId,
        message: `S${this.nodeId} dropped ${lost} events: the lab was not reading fast enough` });
    }
    this.bufferedLogEntries = 0;
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, FLUSH_AT_EVENTS);
      this.link.send({ v: CONTROL_PROTOCOL_VERSION, secret: this.secret, type: 'events', node: this.nodeId,
        pid: process.pid, events: batch as unknown as Record<string, unknown>[] });
    }
  }
}
