// The history as a time-ordered list of call and return events, doubly linked so that the search can take an
// operation's two events out when it linearizes the operation and put them back, in O(1), when it backtracks
// (the "lift"/"unlift" of Lowe's algorithm, as in Porcupine). Optional operations are not in the list: they may
// take effect at any time after their call, or never, and the search places them on demand (optional-groups.ts).
import type { CompiledPartition } from './model';

export const HEAD = 0; // sentinel before the first event
export const NONE = -1;

export interface EventList {
  readonly next: Int32Array;
  readonly prev: Int32Array;
  /** Operation of each event (event 0 is the head). */
  readonly opOf: Int32Array;
  readonly isCall: Uint8Array;
  readonly callEvent: Int32Array; // per operation, NONE for optional ones
  readonly returnEvent: Int32Array; // per operation, NONE for optional ones
}

/**
 * Orders events by time. At equal times a call comes before a return, so operations whose intervals touch count as
 * concurrent: the checker never blames an order the timestamps cannot prove.
 */
export function buildEventList(partition: CompiledPartition): EventList {
  const opCount = partition.ops.length;
  const events: { time: number; isCall: boolean; op: number }[] = [];
  for (let op = 0; op < opCount; op++) {
    if (partition.optional[op] === 1) continue;
    events.push({ time: partition.callNs[op] ?? 0, isCall: true, op });
    events.push({ time: partition.retNs[op] ?? 0, isCall: false, op });
  }
  events.sort((x, y) => x.time - y.time || Number(y.isCall) - Number(x.isCall) || x.op - y.op);
  const size = events.length + 1;
  const next = new Int32Array(size);
  const prev = new Int32Array(size);
  const opOf = new Int32Array(size).fill(NONE);
  const isCall = new Uint8Array(size);
  const callEvent = new Int32Array(opCount).fill(NONE);
  const returnEvent = new Int32Array(opCount).fill(NONE);
  events.forEach((event, i) => {
    const id = i + 1;
    opOf[id] = event.op;
    isCall[id] = event.isCall ? 1 : 0;
    if (event.isCall) callEvent[event.op] = id;
    else returnEvent[event.op] = id;
  });
  for (let id = 0; id < size; id++) {
    next[id] = id + 1 < size ? id + 1 : NONE;
    prev[id] = id - 1;
  }
  return { next, prev, opOf, isCall, callEvent, returnEvent };
}

/** Takes operation `op`'s events out of the list (nothing for an optional operation). */
export function lift(list: EventList, op: number): void {
  const call = list.callEvent[op] ?? NONE;
  if (call === NONE) return;
  unlink(list, call);
  unlink(list, list.returnEvent[op] ?? NONE);
}

/** Puts back the events of `op`, which must be the operation lifted last (undo is strictly LIFO). */
export function unlift(list: EventList, op: number): void {
  const call = list.callEvent[op] ?? NONE;
  if (call === NONE) return;
  relink(list, list.returnEvent[op] ?? NONE);
  relink(list, call);
}

function unlink(list: EventList, id: number): void {
  const before = list.prev[id] ?? NONE;
  const after = list.next[id] ?? NONE;
  list.next[before] = after;
  if (after !== NONE) list.prev[after] = before;
}

// An unlinked event keeps its own prev/next, so putting events back in reverse order restores the list exactly.
function relink(list: EventList, id: number): void {
  const before = list.prev[id] ?? NONE;
  const after = list.next[id] ?? NONE;
  list.next[before] = id;
  if (after !== NONE) list.prev[after] = id;
}
