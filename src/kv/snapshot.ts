// The KV state machine's state as a snapshot (§7, log compaction): every key and value, and the client sessions in
// least-recently-used order (their order decides which session is evicted next, so it must survive a restore for the
// replicas to keep evicting alike). A snapshot crosses process boundaries (InstallSnapshot, the disk), so decoding
// validates everything and rejects with a clear error rather than restoring half a state.
import { z } from 'zod';
import { KV_MAX_SESSIONS } from './limits';
import type { KvApplyResult } from './result';
import { clientIdProblem, keyProblem, valueProblem } from './validate';

export const KV_SNAPSHOT_VERSION = 1;

export interface KvSession {
  readonly clientId: string;
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
  status: z.enum(['ok', 'fail', 'stale']),
  value: valueSchema.nullable().optional(),
  reason: z.enum(['cas-mismatch', 'store-full']).optional(),
  duplicate: z.boolean(),
});

const snapshotSchema = z.strictObject({
  v: z.literal(KV_SNAPSHOT_VERSION),
  appliedIndex: countSchema,
  values: z.array(z.tuple([keySchema, valueSchema])),
  sessions: z.array(z.strictObject({ clientId: clientIdSchema, lastSeq: countSchema, lastResult: resultSchema }))
    .max(KV_MAX_SESSIONS),
  malformedCommandCount: countSchema,
});

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
  const clients = new Set<string>();
  for (const session of sessions) {
    if (clients.has(session.clientId)) throw new Error(`invalid KV snapshot: session ${JSON.stringify(session.clientId)} appears twice`);
    if (session.lastResult.clientId !== session.clientId || session.lastResult.seq !== session.lastSeq) {
      throw new Error(`invalid KV snapshot: session ${JSON.stringify(session.clientId)} holds the result of another request`);
    }
    clients.add(session.clientId);
  }
  return {
    appliedIndex, values, malformedCommandCount,
    sessions: sessions.map((s) => ({ clientId: s.clientId, lastSeq: s.lastSeq, lastResult: withoutUndefined(s.lastResult) })),
  };
}

function withoutUndefined(result: z.infer<typeof resultSchema>): KvApplyResult {
  return {
    clientId: result.clientId, seq: result.seq, status: result.status, duplicate: result.duplicate,
    ...(result.value === undefined ? {} : { value: result.value }),
    ...(result.reason === undefined ? {} : { reason: result.reason }),
  };
}

function refineWith(problem: (value: string) => string | null) {
  return (value: string, context: z.RefinementCtx): void => {
    const found = problem(value);
    if (found !== null) context.addIssue({ code: 'custom', message: found });
  };
}
