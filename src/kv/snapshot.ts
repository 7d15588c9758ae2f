// The KV state machine's state as a snapshot (§7, log compaction): every key and value, and the client sessions in
// least-recently-used order (their order decides which session expires next, so it must survive a restore for the
// replicas to keep expiring alike). A snapshot crosses process boundaries (InstallSnapshot, the disk), so decoding
// validates everything and rejects with a clear error rather than restoring half a state.
//
// Version 2 added registered sessions (`session`, the index of the register entry, dissertation §6.3); version 1
// snapshots (written before) still decode: their sessions are all of the older form, keyed by client id.
import { z } from 'zod';
import { KV_MAX_SESSIONS } from './limits';
import type { KvApplyResult } from './result';
import { sessionKey } from './sessions';
import { clientIdProblem, keyProblem, valueProblem } from './validate';

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

const countSchema = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const keySchema = z.string().superRefine(refineWith(keyProblem));
const valueSchema = z.string().superRefine(refineWith((value) => valueProblem(value, 'value')));
const clientIdSchema = z.string().superRefine(refineWith(clientIdProblem));

const resultSchema = z.strictObject({
  clientId: clientIdSchema,
  seq: countSchema,
  status: z.enum(['ok', 'fail', 'stale', 'session-expired']),
  value: valueSchema.nullable().optional(),
  reason: z.enum(['cas-mismatch', 'store-full']).optional(),
  session: z.int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  duplicate: z.boolean(),
});

const snapshotSchema = z.strictObject({
  v: z.union([z.literal(1), z.literal(KV_SNAPSHOT_VERSION)]),
  appliedIndex: countSchema,
  values: z.array(z.tuple([keySchema, valueSchema])),
  sessions: z.array(z.strictObject({
    clientId: clientIdSchema, session: z.int().min(1).max(Number.MAX_SAFE_INTEGER).optional(), lastSeq: countSchema, lastResult: resultSchema,
  })).max(KV_MAX_SESSIONS),
  malformedCommandCount: countSchema,
}).refine((snapshot) => snapshot.v === KV_SNAPSHOT_VERSION || snapshot.sessions.every((session) => session.session === undefined),
  { message: 'a version 1 snapshot has no registered sessions', path: ['sessions'] });

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
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid KV snapshot at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown problem'}`);
  }
  const { appliedIndex, values, sessions, malformedCommandCount } = parsed.data;
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
    sessions: sessions.map((s) => ({
      clientId: s.clientId, ...(s.session === undefined ? {} : { session: s.session }), lastSeq: s.lastSeq, lastResult: withoutUndefined(s.lastResult),
    })),
  };
}

function withoutUndefined(result: z.infer<typeof resultSchema>): KvApplyResult {
  return {
    clientId: result.clientId, seq: result.seq, status: result.status, duplicate: result.duplicate,
    ...(result.value === undefined ? {} : { value: result.value }),
    ...(result.reason === undefined ? {} : { reason: result.reason }),
    ...(result.session === undefined ? {} : { session: result.session }),
  };
}

function refineWith(problem: (value: string) => string | null) {
  return (value: string, context: z.RefinementCtx): void => {
    const found = problem(value);
    if (found !== null) context.addIssue({ code: 'custom', message: found });
  };
}
