// Histories that are linearizable by construction: clients run operations one at a time, each operation takes
// effect at a point inside its [call, ret] interval, and results are computed by applying the operations to a
// model in the order of those points. Intervals of different clients overlap at random.
import type { HistoryOp } from '../../../../src/check/history';
import type { Rng } from './rng';

export interface RandomHistoryShape {
  readonly clients: number;
  readonly opsPerClient: number;
  readonly keys: readonly string[];
  readonly values: readonly string[];
  /** Probability that an operation's outcome is unknown (its ret is lost; it took effect or not, at random). */
  readonly unknownRate: number;
  /** Longest gap between call, effect and return, ns: larger means more overlap. */
  readonly maxLatencyNs: number;
}

interface Planned {
  readonly client: number;
  readonly call: number;
  readonly effectAt: number;
  readonly ret: number;
  readonly unknown: boolean;
  readonly tookEffect: boolean;
  readonly request:
    | { readonly op: 'put'; readonly key: string; readonly value: string }
    | { readonly op: 'get'; readonly key: string }
    | { readonly op: 'delete'; readonly key: string }
    | { readonly op: 'cas'; readonly key: string; readonly from: string; readonly to: string };
}

export function randomLinearizableHistory(rng: Rng, shape: RandomHistoryShape): HistoryOp[] {
  const planned: Planned[] = [];
  for (let client = 0; client < shape.clients; client++) {
    let time = rng.int(shape.maxLatencyNs);
    for (let i = 0; i < shape.opsPerClient; i++) {
      // Distinct times (multiples of the client count plus the client) so no two events tie.
      const call = time * shape.clients + client;
      const effectAt = (time + 1 + rng.int(shape.maxLatencyNs)) * shape.clients + client;
      const ret = effectAt + (1 + rng.int(shape.maxLatencyNs)) * shape.clients;
      const unknown = rng.chance(shape.unknownRate);
      const tookEffect = !unknown || rng.chance(0.5);
      planned.push({ client, call, effectAt, ret, unknown, tookEffect, request: randomRequest(rng, shape) });
      time = Math.ceil(ret / shape.clients) + rng.int(shape.maxLatencyNs);
    }
  }
  const values = new Map<string, string>();
  const history: HistoryOp[] = [];
  for (const op of [...planned].sort((x, y) => x.effectAt - y.effectAt)) {
    history.push(execute(op, values));
  }
  return history.sort((x, y) => x.call - y.call);
}

function randomRequest(rng: Rng, shape: RandomHistoryShape): Planned['request'] {
  const key = rng.pick(shape.keys);
  const roll = rng.next();
  if (roll < 0.35) return { op: 'get', key };
  if (roll < 0.65) return { op: 'put', key, value: rng.pick(shape.values) };
  if (roll < 0.75) return { op: 'delete', key };
  return { op: 'cas', key, from: rng.pick(shape.values), to: rng.pick(shape.values) };
}

function execute(op: Planned, values: Map<string, string>): HistoryOp {
  const request = op.request;
  const base = { client: op.client, key: request.key, call: op.call };
  const outcome = op.unknown ? { status: 'unknown' as const, ret: null } : { status: 'ok' as const, ret: op.ret };
  switch (request.op) {
    case 'get': {
      const value = values.get(request.key) ?? null;
      if (op.unknown) return { ...base, op: 'get', status: 'unknown', ret: null };
      return { ...base, op: 'get', status: 'ok', ret: op.ret, value };
    }
    case 'put':
      if (op.tookEffect) values.set(request.key, request.value);
      return { ...base, op: 'put', value: request.value, ...outcome };
    case 'delete':
      if (op.tookEffect) values.delete(request.key);
      return { ...base, op: 'delete', ...outcome };
    case 'cas': {
      const matches = values.get(request.key) === request.from;
      if (op.tookEffect && matches) values.set(request.key, request.to);
      const cas = { ...base, op: 'cas' as const, from: request.from, to: request.to };
      if (op.unknown) return { ...cas, status: 'unknown', ret: null };
      return matches ? { ...cas, status: 'ok', ret: op.ret } : { ...cas, status: 'fail', ret: op.ret };
    }
  }
}

/**
 * Whether changing the ok get at `index` to return `value` must make the history non-linearizable: some completed
 * write of another value (w) finished before the get was called, and every operation that could have written
 * `value` (or the initial absence, for null) finished before w was called. Then `value` was overwritten for good.
 */
export function corruptedReadMustFail(history: readonly HistoryOp[], index: number, value: string | null): boolean {
  const read = history[index];
  if (read === undefined || read.op !== 'get' || read.status !== 'ok') throw new Error('not an ok get');
  // The latest any writer of `value` may have taken effect (the initial absence counts as written at -infinity).
  let lastWriterRetNs = -Infinity;
  for (const op of history) {
    if (op.key !== read.key || writtenBy(op) !== value) continue;
    if (op.ret === null) return false; // an unknown writer may take effect at any time
    lastWriterRetNs = Math.max(lastWriterRetNs, op.ret);
  }
  return history.some((w) => {
    const written = writtenBy(w);
    return (
      w.key === read.key && w.status === 'ok' && written !== undefined && written !== value &&
      w.ret < read.call && w.call > lastWriterRetNs
    );
  });
}

/** What a write that took effect wrote (null = delete), or undefined for a read or a failed operation. */
function writtenBy(op: HistoryOp): string | null | undefined {
  if (op.status === 'fail') return undefined;
  if (op.op === 'put') return op.value;
  if (op.op === 'delete') return null;
  if (op.op === 'cas') return op.to;
  return undefined;
}
