// The in-flight window of a follower in Replicate state (flow control as in etcd-io/raft's tracker.Inflights): the
// AppendEntries sent and not yet acknowledged, oldest first. A leader stops sending once the window is full, in
// messages or in bytes, so a slow or silent follower costs a bounded amount of memory and bandwidth; each
// acknowledgement frees every message it covers.

import { fail } from './assert';
import type { Entry } from './types';

export class Inflights {
  /** Last index of each unacknowledged AppendEntries, oldest first (increasing). */
  private readonly lastIndexes: number[] = [];
  private readonly sizes: number[] = [];
  private totalBytes = 0;
  /** When the newest message in flight was sent (leader clock), or -Infinity when none is. */
  private newestSentMs = -Infinity;

  constructor(readonly maxMessages: number, readonly maxBytes: number) {}

  get count(): number {
    return this.lastIndexes.length;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Full when either bound is reached; one message may take the bytes past the bound (it is never split). */
  isFull(): boolean {
    return this.lastIndexes.length >= this.maxMessages || this.totalBytes >= this.maxBytes;
  }

  /** Leader clock when the newest unacknowledged message was sent; -Infinity when nothing is in flight. */
  get newestSentAtMs(): number {
    return this.lastIndexes.length === 0 ? -Infinity : this.newestSentMs;
  }

  add(lastIndex: number, bytes: number, sentAtMs: number): void {
    if (this.isFull()) fail(`in-flight window full (${this.count} messages, ${this.totalBytes} bytes): nothing may be sent`);
    const newest = this.lastIndexes[this.lastIndexes.length - 1];
    if (newest !== undefined && lastIndex <= newest) fail(`in-flight AppendEntries out of order: ${lastIndex} after ${newest}`);
    this.lastIndexes.push(lastIndex);
    this.sizes.push(bytes);
    this.totalBytes += bytes;
    this.newestSentMs = sentAtMs;
  }

  /** The follower stores our log up to `index`: every message ending there or before is acknowledged. */
  freeUpTo(index: number): void {
    let freed = 0;
    while (freed < this.lastIndexes.length && (this.lastIndexes[freed] as number) <= index) {
      this.totalBytes -= this.sizes[freed] as number;
      freed++;
    }
    if (freed === 0) return;
    this.lastIndexes.splice(0, freed);
    this.sizes.splice(0, freed);
  }

  reset(): void {
    this.lastIndexes.length = 0;
    this.sizes.length = 0;
    this.totalBytes = 0;
  }
}

/**
 * What an entry costs in the window: its command's UTF-8 bytes (as etcd counts payload bytes), and at least one byte
 * so a window of no-ops still fills.
 */
export function entryBytes(entry: Entry): number {
  const command = entry.command;
  if (command === null) return 1;
  let bytes = command.length;
  for (let i = 0; i < command.length; i++) {
    const code = command.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 2; // a surrogate pair: 2 UTF-16 units, 4 bytes
      i++;
    } else bytes += 2;
  }
  return Math.max(bytes, 1);
}
