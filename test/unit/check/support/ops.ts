// Short constructors for hand-made histories. `ret: null` makes the outcome unknown.
import type { HistoryOp } from '../../../../src/check/history';

export function put(client: number, value: string, call: number, ret: number | null, key = 'x'): HistoryOp {
  const base = { client, op: 'put' as const, key, value, call };
  return ret === null ? { ...base, ret: null, status: 'unknown' } : { ...base, ret, status: 'ok' };
}

export function failedPut(client: number, value: string, call: number, ret: number, key = 'x'): HistoryOp {
  return { client, op: 'put', key, value, call, ret, status: 'fail' };
}

export function del(client: number, call: number, ret: number | null, key = 'x'): HistoryOp {
  const base = { client, op: 'delete' as const, key, call };
  return ret === null ? { ...base, ret: null, status: 'unknown' } : { ...base, ret, status: 'ok' };
}

export function get(client: number, value: string | null, call: number, ret: number, key = 'x'): HistoryOp {
  return { client, op: 'get', key, call, ret, status: 'ok', value };
}

export function cas(client: number, from: string, to: string, call: number, ret: number | null, key = 'x'): HistoryOp {
  const base = { client, op: 'cas' as const, key, from, to, call };
  return ret === null ? { ...base, ret: null, status: 'unknown' } : { ...base, ret, status: 'ok' };
}

export function failedCas(client: number, from: string, to: string, call: number, ret: number, key = 'x'): HistoryOp {
  return { client, op: 'cas', key, from, to, call, ret, status: 'fail' };
}
