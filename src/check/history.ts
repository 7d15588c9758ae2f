// The operation history format: one JSON object per line (NDJSON), written by simulated and real clients and read
// by the linearizability checker (`raft-lab check FILE`). PUBLIC: other tools produce and consume it.
//
//   {"client":0,"op":"put","key":"x","value":"1","call":100,"ret":250,"status":"ok"}
//   {"client":1,"op":"get","key":"x","call":120,"ret":260,"status":"ok","value":"1"}      value null = absent
//   {"client":2,"op":"cas","key":"x","from":"1","to":"2","call":130,"ret":null,"status":"unknown"}
//   {"client":3,"op":"delete","key":"x","call":140,"ret":300,"status":"ok"}
//
// Times are integer nanoseconds on one monotonic clock shared by all clients (0 <= t <= 2^53). `status` is `ok`,
// `fail` (the operation definitely did not take effect, e.g. a cas whose `from` did not match) or `unknown` (the
// client never learned the outcome, e.g. a timeout; `ret` is then null). A `get` carries `value` only when `ok`.
import { describe, firstExtraField, isJsonObject, keyProblem, valueProblem } from '../kv/validate';
import { HISTORY_DEFAULT_MAX_OPS, HISTORY_MAX_LINE_CHARS, HISTORY_MAX_TIME_NS } from './history-limits';

export { HISTORY_DEFAULT_MAX_OPS, HISTORY_MAX_LINE_CHARS, HISTORY_MAX_TIME_NS } from './history-limits';

export type HistoryStatus = 'ok' | 'fail' | 'unknown';
export type HistoryOpName = 'put' | 'get' | 'delete' | 'cas';

interface OpBase {
  /** Client number; one client has at most one operation in flight, though the checker does not rely on it. */
  readonly client: number;
  readonly key: string;
  /** When the client sent the request (ns). */
  readonly call: number;
}

/** A completed operation has a return time; an unknown one does not. */
export type Outcome =
  | { readonly status: 'ok' | 'fail'; readonly ret: number }
  | { readonly status: 'unknown'; readonly ret: null };

export type PutOp = OpBase & { readonly op: 'put'; readonly value: string } & Outcome;
export type DeleteOp = OpBase & { readonly op: 'delete' } & Outcome;
export type CasOp = OpBase & { readonly op: 'cas'; readonly from: string; readonly to: string } & Outcome;
export type GetOp = OpBase & { readonly op: 'get' } & (
  | { readonly status: 'ok'; readonly ret: number; readonly value: string | null }
  | { readonly status: 'fail'; readonly ret: number }
  | { readonly status: 'unknown'; readonly ret: null }
);
export type HistoryOp = PutOp | DeleteOp | CasOp | GetOp;

/** A malformed history line. `line` is 1-based; `detail` is the problem without the line number. */
export class HistoryFormatError extends Error {
  override readonly name = 'HistoryFormatError';
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(`line ${line}: ${detail}`);
  }
}

const FIELDS: Readonly<Record<HistoryOpName, readonly string[]>> = {
  put: ['client', 'op', 'key', 'value', 'call', 'ret', 'status'],
  delete: ['client', 'op', 'key', 'call', 'ret', 'status'],
  cas: ['client', 'op', 'key', 'from', 'to', 'call', 'ret', 'status'],
  get: ['client', 'op', 'key', 'call', 'ret', 'status', 'value'],
};

/** Parses a whole history. Blank lines are allowed. Throws HistoryFormatError on the first malformed line. */
export function parseHistory(text: string, options: { readonly maxOps?: number } = {}): HistoryOp[] {
  const maxOps = options.maxOps ?? HISTORY_DEFAULT_MAX_OPS;
  const ops: HistoryOp[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (ops.length >= maxOps) throw new HistoryFormatError(i + 1, `more than ${maxOps} operations`);
    ops.push(parseHistoryLine(line, i + 1));
  }
  return ops;
}

/** Parses one non-blank line; `lineNumber` only labels errors. */
export function parseHistoryLine(line: string, lineNumber: number): HistoryOp {
  const fail = (detail: string): never => {
    throw new HistoryFormatError(lineNumber, detail);
  };
  if (line.length > HISTORY_MAX_LINE_CHARS) fail(`line is longer than ${HISTORY_MAX_LINE_CHARS} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message})`);
  }
  if (!isJsonObject(parsed)) return fail(`expected a JSON object, got ${describe(parsed)}`);
  const result = validateHistoryObject(parsed);
  return typeof result === 'string' ? fail(result) : result;
}

/** Checks an untrusted object; returns the operation or a description of what is wrong. */
export function validateHistoryObject(object: Record<string, unknown>): HistoryOp | string {
  const op = object['op'];
  if (op !== 'put' && op !== 'get' && op !== 'delete' && op !== 'cas') {
    return `"op" must be "put", "get", "delete" or "cas", got ${JSON.stringify(op) ?? 'nothing'}`;
  }
  const extra = firstExtraField(object, FIELDS[op]);
  if (extra !== null) return `unexpected field "${extra}" in a ${op} operation`;
  const status = object['status'];
  for (const field of FIELDS[op]) {
    const optional = op === 'get' && field === 'value' && status !== 'ok';
    if (!optional && !Object.hasOwn(object, field)) return `missing field "${field}" in a ${op} operation`;
  }
  if (op === 'get' && status !== 'ok' && Object.hasOwn(object, 'value')) {
    return `a get with status "${String(status)}" has no "value" (only an ok get returned one)`;
  }
  const client = object['client'];
  if (typeof client !== 'number' || !Number.isSafeInteger(client) || client < 0) {
    return `"client" must be a non-negative integer, got ${describe(client)}`;
  }
  const key = object['key'];
  const keyIssue = keyProblem(key);
  if (keyIssue !== null) return keyIssue;
  const timing = validateTiming(object['call'], object['ret'], status);
  if (typeof timing === 'string') return timing;
  const base = { client, key: key as string, call: timing.call };
  const outcome: Outcome = timing.outcome;
  switch (op) {
    case 'put': {
      const issue = valueProblem(object['value'], 'value');
      return issue ?? { ...base, op, value: object['value'] as string, ...outcome };
    }
    case 'delete':
      return { ...base, op, ...outcome };
    case 'cas': {
      const issue = valueProblem(object['from'], 'from') ?? valueProblem(object['to'], 'to');
      return issue ?? { ...base, op, from: object['from'] as string, to: object['to'] as string, ...outcome };
    }
    case 'get':
      return validateGet(base, outcome, object['value']);
  }
}

function validateGet(base: OpBase, outcome: Outcome, value: unknown): GetOp | string {
  if (outcome.status === 'unknown') return { ...base, op: 'get', status: 'unknown', ret: null };
  if (outcome.status === 'fail') return { ...base, op: 'get', status: 'fail', ret: outcome.ret };
  if (value === null) return { ...base, op: 'get', status: 'ok', ret: outcome.ret, value: null };
  const issue = valueProblem(value, 'value');
  if (issue !== null) return `${issue} (or null for an absent key)`;
  return { ...base, op: 'get', status: 'ok', ret: outcome.ret, value: value as string };
}

function validateTiming(call: unknown, ret: unknown, status: unknown): { call: number; outcome: Outcome } | string {
  const callIssue = timeProblem(call, 'call');
  if (callIssue !== null) return callIssue;
  const callNs = call as number;
  if (status === 'unknown') {
    if (ret !== null) return `an operation with status "unknown" must have "ret": null, got ${describe(ret)}`;
    return { call: callNs, outcome: { status, ret: null } };
  }
  if (status !== 'ok' && status !== 'fail') {
    return `"status" must be "ok", "fail" or "unknown", got ${JSON.stringify(status) ?? 'nothing'}`;
  }
  if (ret === null) return `an operation with status "${status}" must have a "ret" time (null is for "unknown")`;
  const retIssue = timeProblem(ret, 'ret');
  if (retIssue !== null) return retIssue;
  const retNs = ret as number;
  if (retNs < callNs) return `"ret" (${retNs}) is before "call" (${callNs})`;
  return { call: callNs, outcome: { status, ret: retNs } };
}

function timeProblem(time: unknown, field: string): string | null {
  if (typeof time !== 'number' || !Number.isInteger(time) || time < 0 || time > HISTORY_MAX_TIME_NS) {
    return `"${field}" must be an integer number of nanoseconds in [0, 2^53], got ${describe(time)}`;
  }
  return null;
}

/** One line of the format (no newline), fields in the canonical order shown at the top of this file. */
export function formatHistoryOp(op: HistoryOp): string {
  const head = { client: op.client, op: op.op, key: op.key };
  const tail = { call: op.call, ret: op.ret, status: op.status };
  switch (op.op) {
    case 'put':
      return JSON.stringify({ ...head, value: op.value, ...tail });
    case 'delete':
      return JSON.stringify({ ...head, ...tail });
    case 'cas':
      return JSON.stringify({ ...head, from: op.from, to: op.to, ...tail });
    case 'get':
      return JSON.stringify(op.status === 'ok' ? { ...head, ...tail, value: op.value } : { ...head, ...tail });
  }
}

/** The whole history as NDJSON text (one line per operation, trailing newline when not empty). */
export function formatHistory(ops: readonly HistoryOp[]): string {
  return ops.map((op) => formatHistoryOp(op) + '\n').join('');
}

export { HistoryRecorder, HISTORY_RECORDER_DEFAULT_MAX_OPS } from './history-recorder';
export type { HistoryRequest, HistoryResponse } from './history-recorder';
