// The run's trace: Raft events with their reasons, and every message sent, delivered or dropped, plus faults.
// Kept in a bounded ring (the newest records win); listeners see every record as it happens (for a UI, a
// recorder, or a test hashing the whole run).

import type { Message, NodeId, RaftEvent } from '../../raft/types';
import type { DropReason } from './network';

export type TraceRecord =
  | { readonly kind: 'raft-event'; readonly timeMs: number; readonly event: RaftEvent }
  | { readonly kind: 'send'; readonly timeMs: number; readonly messageId: number; readonly message: Message; readonly copies: number }
  | { readonly kind: 'deliver'; readonly timeMs: number; readonly messageId: number; readonly message: Message }
  | { readonly kind: 'drop'; readonly timeMs: number; readonly messageId: number; readonly message: Message; readonly reason: DropReason }
  | { readonly kind: 'crash'; readonly timeMs: number; readonly node: NodeId; readonly unsyncedWritesLost: number }
  /** The vote recovered with the term: what keeps a restarted server from voting twice in one term. */
  | {
    readonly kind: 'restart'; readonly timeMs: number; readonly node: NodeId; readonly persistedTerm: number;
    readonly persistedVotedFor: NodeId | null; readonly persistedEntries: number;
  }
  | { readonly kind: 'propose'; readonly timeMs: number; readonly node: NodeId; readonly command: string; readonly index: number | null }
  | { readonly kind: 'fault'; readonly timeMs: number; readonly description: string };

export type TraceListener = (record: TraceRecord) => void;

export class Trace {
  private readonly ring: (TraceRecord | undefined)[];
  private next = 0;
  private count = 0;
  private readonly listeners: TraceListener[] = [];

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new Error(`trace capacity must be an integer >= 0, got ${capacity}`);
    this.ring = new Array<TraceRecord | undefined>(capacity);
  }

  /** Records ever added, including those the ring has since forgotten. */
  get total(): number {
    return this.count;
  }

  /** True when something wants the records; lets hot paths skip building them. */
  get active(): boolean {
    return this.capacity > 0 || this.listeners.length > 0;
  }

  add(record: TraceRecord): void {
    this.count++;
    if (this.capacity > 0) {
      this.ring[this.next] = record;
      this.next = (this.next + 1) % this.capacity;
    }
    for (const listener of this.listeners) listener(record);
  }

  subscribe(listener: TraceListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  /** The retained records, oldest first (at most `capacity`). */
  records(): TraceRecord[] {
    const kept = Math.min(this.count, this.capacity);
    const result: TraceRecord[] = [];
    for (let i = 0; i < kept; i++) {
      const record = this.ring[(this.next - kept + i + this.capacity) % this.capacity];
      if (record !== undefined) result.push(record);
    }
    return result;
  }
}
