// The KV state machine's state as a snapshot (§7, log compaction): every key and value, and the client sessions in
// least-recently-used order (their order decides which session expires next, so it must survive a restore for the
// replicas to keep expiring alike). A snapshot crosses process boundaries (InstallSnapshot, the disk), so decoding
// validates everything and rejects with a clear error rather than restoring half a state.
//
// Version 2 added registered sessions (`session`, the index of the register entry, dissertation §6.3); version 1
// snapshots (written before) still decode: their sessions are all of the older form, keyed by client id.
//
// Checked by hand, not with zod: node processes restore snapshots and do not load zod (docs/benchmarks.md). The
// rules are those of the zod schema this replaced; test/unit/kv/snapshot-check.test.ts holds the two to the same
// answers on generated and mutated snapshots.
import { KV_MAX_SESSIONS } from './limits';
import type { KvApplyResult, KvApplyStatus, KvFailReason } from './result';
import { sessionKey } from './sessions';
import { clientIdProblem, describe, isJsonObject, keyProblem, valueProblem } from './validate';

export const KV_SNAPSHOT_VERSION = 2;

export interface KvSession {
  readonly clientId: string;
  /** A registered session's id (its register entry's index); absent for a session of the older form. */
  readonly session?: number;
  readonly lastSeq: number;
  readonly lastResult: KvApplyResult;
}

export interface KvSnapshotState {
  readonly appliedIndex: number;
  /** [key, value] pairs. */
  readonly values: readonly (readonly [string, string])[];
  /** Least recently used first. */
  readonly sessions: readonly KvSession[];
  readonly malformedCommandCount: number;
}

export function encodeKvSnapshot(state: KvSnapshotState): string {
  return JSON.stringify({ v: KV_SNAPSHOT_VERSION, ...state });
}

/** Throws an Error saying what is wrong when `data` is not a valid KV snapshot. */
export function decodeKvSnapshot(data: string): KvSnapshotState {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (error) {
    throw new Error(`KV snapshot is not JSON: ${(error as Error).message}`);
  }
  const { appliedIndex, values, sessions, malformedCommandCount } = checkSnapshot(json);
  const keys = new Set<string>();
  for (const [key] of values) {
    if (keys.has(key)) throw new Error(`invalid KV snapshot: key ${JSON.stringify(key)} appears twice`);
    keys.add(key);
  }
  const seen = new Set<string>();
  for (const session of sessions) {
    if (session.session === undefined && session.clientId.startsWith('#')) {
      throw new Error(`invalid KV snapshot: session ${JSON.stringify(session.clientId)} starts with "#" but is not registered`);
    }
    if (session.session !== undefined && session.session > appliedIndex) {
      throw new Error(`invalid KV snapshot: session ${session.session} was registered after entry ${appliedIndex}`);
    }
    const key = sessionKey(session.clientId, session.session);
    if (seen.has(key)) throw new Error(`invalid KV snapshot: session ${JSON.stringify(key)} appears twice`);
    if (session.lastResult.clientId !== session.clientId || session.lastResult.seq !== session.lastSeq) {
      throw new Error(`invalid KV snapshot: session ${JSON.stringify(key)} holds the result of another request`);
    }
    seen.add(key);
  }
  return {
    appliedIndex, values, malformedCommandCount,
    sessions,
  };
}

/** A snapshot's fields, each refused with its path ("sessions.3.lastResult.status: ..."). */
class SnapshotProblem extends Error {}

function problemAt(path: string, problem: string): never {
  throw new SnapshotProblem(`invalid KV snapshot at ${path}: ${problem}`);
}

function checkFields(value: unknown, path: string, required: readonly string[], optional: readonly string[]): Record<string, unknown> {
  if (!isJsonObject(value)) return problemAt(path, `expected an object, got ${describe(value)}`);
  for (const field in value) {
    if (!required.includes(field) && !optional.includes(field)) problemAt(path, `Unrecognized key ${JSON.stringify(field)}`);
  }
  for (const field of required) if (!(field in value)) problemAt(`${path}.${field}`, 'missing');
  return value;
}

function checkCount(value: unknown, path: string, min = 0): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min) return value;
  return problemAt(path, `expected an integer >= ${min}, got ${describe(value)}`);
}

function checkProblem(problem: string | null, path: string): void {
  if (problem !== null) problemAt(path, problem);
}

const STATUSES: readonly KvApplyStatus[] = ['ok', 'fail', 'stale', 'session-expired'];
const REASONS: readonly KvFailReason[] = ['cas-mismatch', 'store-full'];

function checkResult(value: unknown, path: string): KvApplyResult {
  const fields = checkFields(value, path, ['clientId', 'seq', 'status', 'duplicate'], ['value', 'reason', 'session']);
  const { clientId, status, value: resultValue, reason, session, duplicate } = fields;
  checkProblem(clientIdProblem(clientId), `${path}.clientId`);
  const seq = checkCount(fields['seq'], `${path}.seq`);
  if (!STATUSES.includes(status as KvApplyStatus)) problemAt(`${path}.status`, `expected one of ${STATUSES.join(', ')}, got ${describe(status)}`);
  if (resultValue !== undefined && resultValue !== null) checkProblem(valueProblem(resultValue, 'value'), `${path}.value`);
  if (reason !== undefined && !REASONS.includes(reason as KvFailReason)) problemAt(`${path}.reason`, `expected one of ${REASONS.join(', ')}, got ${describe(reason)}`);
  if (session !== undefined) checkCount(session, `${path}.session`, 1);
  if (typeof duplicate !== 'boolean') problemAt(`${path}.duplicate`, `expected true or false, got ${describe(duplicate)}`);
  return {
    clientId: clientId as string, seq, status: status as KvApplyStatus, duplicate,
    ...(resultValue === undefined ? {} : { value: resultValue as string | null }),
    ...(reason === undefined ? {} : { reason: reason as KvFailReason }),
    ...(session === undefined ? {} : { session: session as number }),
  };
}

function checkSession(value: unknown, path: string): KvSession {
  const fields = checkFields(value, path, ['clientId', 'lastSeq', 'lastResult'], ['session']);
  const { clientId, session } = fields;
  checkProblem(clientIdProblem(clientId), `${path}.clientId`);
  if (session !== undefined) checkCount(session, `${path}.session`, 1);
  const lastSeq = checkCount(fields['lastSeq'], `${path}.lastSeq`);
  const lastResult = checkResult(fields['lastResult'], `${path}.lastResult`);
  return { clientId: clientId as string, ...(session === undefined ? {} : { session: session as number }), lastSeq, lastResult };
}

function checkValues(value: unknown): [string, string][] {
  if (!Array.isArray(value)) return problemAt('values', `expected an array, got ${describe(value)}`);
  return value.map((pair: unknown, index): [string, string] => {
    if (!Array.isArray(pair) || pair.length !== 2) return problemAt(`values.${index}`, `expected a [key, value] pair, got ${describe(pair)}`);
    const [key, stored] = pair as unknown[];
    checkProblem(keyProblem(key), `values.${index}.0`);
    checkProblem(valueProblem(stored, 'value'), `values.${index}.1`);
    return [key as string, stored as string];
  });
}

function checkSnapshot(json: unknown): KvSnapshotState {
  const fields = checkFields(json, '(root)', ['v', 'appliedIndex', 'values', 'sessions', 'malformedCommandCount'], []);
  const version = fields['v'];
  if (version !== 1 && version !== KV_SNAPSHOT_VERSION) problemAt('v', `expected 1 or ${KV_SNAPSHOT_VERSION}, got ${describe(version)}`);
  const appliedIndex = checkCount(fields['appliedIndex'], 'appliedIndex');
  const values = checkValues(fields['values']);
  const sessionList = fields['sessions'];
  if (!Array.isArray(sessionList)) return problemAt('sessions', `expected an array, got ${describe(sessionList)}`);
  if (sessionList.length > KV_MAX_SESSIONS) problemAt('sessions', `more than ${KV_MAX_SESSIONS} sessions (${sessionList.length})`);
  const sessions = sessionList.map((session: unknown, index) => checkSession(session, `sessions.${index}`));
  const malformedCommandCount = checkCount(fields['malformedCommandCount'], 'malformedCommandCount');
  if (version === 1 && sessions.some((session) => session.session !== undefined)) {
    problemAt('sessions', 'a version 1 snapshot has no registered sessions');
  }
  return { appliedIndex, values, sessions, malformedCommandCount };
}
