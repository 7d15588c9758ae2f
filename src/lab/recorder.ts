// Records the lab's event stream as NDJSON (one LabEvent per line), the same format a saved session's events use.
// Bounded: past maxBytes the recording stops and says so in the stream, rather than filling the disk.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { LabEvent } from '../protocol/events';
import type { EventHub } from './event-hub';
import { monotonicNowNs } from '../shared/monotonic-clock';

export const DEFAULT_MAX_RECORDING_BYTES = 1024 * 1024 * 1024;

export class EventRecorder {
  private readonly stream: WriteStream;
  private bytes = 0;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(readonly path: string, private readonly hub: EventHub, private readonly maxBytes = DEFAULT_MAX_RECORDING_BYTES) {
    this.stream = createWriteStream(path, { flags: 'w' });
    this.stream.on('error', (error) => this.stop(`recording to ${path} failed: ${error.message}`));
    this.unsubscribe = hub.subscribe((events) => this.write(events));
  }

  private write(events: readonly LabEvent[]): void {
    if (this.stopped) return;
    const text = events.map((event) => JSON.stringify(event)).join('\n') + '\n';
    this.bytes += Buffer.byteLength(text);
    if (this.bytes > this.maxBytes) {
      this.stop(`recording stopped: ${this.path} reached its limit of ${this.maxBytes} bytes`);
      return;
    }
    this.stream.write(text);
  }

  private stop(why: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe();
    this.hub.publish({ type: 'error', atNs: monotonicNowNs(), node: null, message: why });
    this.stream.end();
  }

  async close(): Promise<void> {
    this.unsubscribe();
    this.stopped = true;
    await new Promise<void>((resolve) => this.stream.end(() => resolve()));
  }
}
