// Builds a history as clients run: `invoke` when a request is sent, `complete` when its answer arrives. An operation
// never completed is recorded as `unknown` (it may or may not have taken effect). Re-exported by history.ts.
import { keyProblem, valueProblem } from '../kv/validate';
import type { HistoryOp } from './history';
import { HISTORY_MAX_TIME_NS } from './history-limits';

export type HistoryRequest =
  | { readonly op: 'put'; readonly key: string; readonly value: string }
  | { readonly op: 'get'; readonly key: string }
  | { readonly op: 'delete'; readonly key: string }
  | { readonly op: 'cas'; readonly key: string; readonly from: string; readonly to: string };

/** `value` is required for an ok get (null = absent) and not allowed otherwise. */
export type HistoryResponse =
  | { readonly status: 'ok'; readonly value?: string | null }
  | { readonly status: 'fail' };

interface Pending {
  readonly client: number;
  readonly request: HistoryRequest;
  readonly callNs: number;
  completion: { readonly response: HistoryResponse; readonly retNs: number } | null;
}

export const HISTORY_RECORDER_DEFAULT_MAX_OPS = 100_000;

export class HistoryRecorder {
  private readonly records: Pending[] = [];
  private pending = 0;
  private readonly maxOps: number;

  constructor(options: { readonly maxOps?: number } = {}) {
    this.maxOps = options.maxOps ?? HISTORY_RECORDER_DEFAULT_MAX_OPS;
    if (!Number.isSafeInteger(this.maxOps) || this.maxOps < 1) {
      throw new RangeError(`maxOps must be a positive integer, got ${this.maxOps}`);
    }
  }

  /** Operations recorded so far. */
  get size(): number {
    return this.records.length;
  }

  /** Operations invoked and not completed (they will be written as `unknown`). */
  get pendingCount(): number {
    return this.pending;
  }

  /** True when `invoke` would throw: callers should stop issuing operations they want recorded. */
  get isFull(): boolean {
    return this.records.length >= this.maxOps;
  }

  /** Records that `client` sent `request` at `callNs`; returns a handle for `complete`. Throws when full. */
  invoke(client: number, request: HistoryRequest, callNs: number): number {
    if (this.isFull) throw new RangeError(`history recorder is full (${this.maxOps} operations)`);
    if (!Number.isSafeInteger(client) || client < 0) throw new RangeError(`client must be a non-negative integer`);
    assertTime(callNs, 'callNs');
    assertNoProblem(keyProblem(request.key));
    if (request.op === 'put') assertNoProblem(valueProblem(request.value, 'value'));
    if (request.op === 'cas') assertNoProblem(valueProblem(request.from, 'from') ?? valueProblem(request.to, 'to'));
    this.records.push({ client, request, callNs, completion: null });
    this.pending++;
    return this.records.length - 1;
  }

  /** Records the answer to the operation `handle` at `retNs` (>= its call time). Each handle completes once. */
  complete(handle: number, response: HistoryResponse, retNs: number): void {
    const record = this.records[handle];
    if (record === undefined) throw new RangeError(`unknown history handle ${handle}`);
    if (record.completion !== null) throw new Error(`history handle ${handle} completed twice`);
    assertTime(retNs, 'retNs');
    if (retNs < record.callNs) throw new RangeError(`retNs ${retNs} is before callNs ${record.callNs}`);
    const hasValue = response.status === 'ok' && response.value !== undefined;
    const isOkGet = record.request.op === 'get' && response.status === 'ok';
    if (isOkGet && !hasValue) throw new Error('an ok get must carry its value (null = absent)');
    if (!isOkGet && hasValue) throw new Error(`only an ok get carries a value, not a ${record.request.op}`);
    if (hasValue && response.value !== null) assertNoProblem(valueProblem(response.value, 'value'));
    record.completion = { response, retNs };
    this.pending--;
  }

  /** The history so far, in invocation order; operations not completed are `unknown`. */
  ops(): HistoryOp[] {
    return this.records.map(toHistoryOp);
  }
}

function toHistoryOp(record: Pending): HistoryOp {
  const base = { client: record.client, key: record.request.key, call: record.callNs };
  const completion = record.completion;
  const outcome =
    completion === null
      ? { status: 'unknown' as const, ret: null }
      : { status: completion.response.status, ret: completion.retNs };
  const request = record.request;
  switch (request.op) {
    case 'put':
      return { ...base, op: 'put', value: request.value, ...outcome };
    case 'delete':
      return { ...base, op: 'delete', ...outcome };
    case 'cas':
      return { ...base, op: 'cas', from: request.from, to: request.to, ...outcome };
    case 'get':
      if (completion !== null && completion.response.status === 'ok') {
        return { ...base, op: 'get', status: 'ok', ret: completion.retNs, value: completion.response.value ?? null };
      }
      if (completion !== null) return { ...base, op: 'get', status: 'fail', ret: completion.retNs };
      return { ...base, op: 'get', status: 'unknown', ret: null };
  }
}

function assertTime(timeNs: number, name: string): void {
  if (!Number.isInteger(timeNs) || timeNs < 0 || timeNs > HISTORY_MAX_TIME_NS) {
    throw new RangeError(`${name} must be an integer number of nanoseconds in [0, 2^53], got ${timeNs}`);
  }
}

function assertNoProblem(problem: string | null): void {
  if (problem !== null) throw new RangeError(problem);
}
