// The KV snapshot's hand-written check (src/kv/snapshot.ts; a node restores snapshots and does not load zod) against
// the zod schema and decoder it replaced, kept here as the reference: the same generated, mutated and garbage
// snapshots must be accepted and rejected alike and decode to equal states.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KV_MAX_SESSIONS } from '../../../src/kv/limits';
import type { KvApplyResult } from '../../../src/kv/result';
import { sessionKey } from '../../../src/kv/sessions';
import { decodeKvSnapshot, KV_SNAPSHOT_VERSION, type KvSnapshotState } from '../../../src/kv/snapshot';
import { clientIdProblem, keyProblem, valueProblem } from '../../../src/kv/validate';
import { agreementSeed, expectAgreement, intIn, pick, type Json, type Outcome, type Random } from '../protocol/agreement';

// --- The reference: src/kv/snapshot.ts's zod schema and decoder as they were at 9446c8a. ---

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

/** Throws an Error saying what is wrong when `data` is not a valid KV snapshot. */
function decodeWithZod(data: string): KvSnapshotState {
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

// --- Generated snapshots. ---

function text(random: Random, max: number): string {
  const length = pick(random, [1, max, intIn(random, 1, Math.min(max, 20))]);
  return random() < 0.2 ? 'é'.repeat(Math.floor(length / 2) || 1) : 'k'.repeat(length);
}

function result(random: Random, clientId: string, seq: number): Json {
  const made: Record<string, Json> = { clientId, seq, status: pick(random, ['ok', 'fail', 'stale', 'session-expired']), duplicate: random() < 0.5 };
  if (random() < 0.3) made['value'] = random() < 0.5 ? null : text(random, 50);
  if (random() < 0.2) made['reason'] = pick(random, ['cas-mismatch', 'store-full']);
  if (random() < 0.2) made['session'] = intIn(random, 1, 100);
  return made;
}

function snapshot(random: Random): Json {
  const version = random() < 0.8 ? KV_SNAPSHOT_VERSION : 1;
  const appliedIndex = intIn(random, 0, 1000);
  const values: Json[] = [];
  for (let i = intIn(random, 0, 5); i > 0; i -= 1) values.push([`key-${i}-${text(random, 30)}`, random() < 0.1 ? '' : text(random, 100)]);
  const sessions: Json[] = [];
  for (let i = intIn(random, 0, 4); i > 0; i -= 1) {
    const registered = version === KV_SNAPSHOT_VERSION && appliedIndex > 0 && random() < 0.5;
    const clientId = registered && random() < 0.5 ? `#${i}` : `client-${i}`;
    const lastSeq = intIn(random, 0, 50);
    const session: Record<string, Json> = { clientId, lastSeq, lastResult: result(random, clientId, lastSeq) };
    if (registered) session['session'] = intIn(random, 1, appliedIndex);
    sessions.push(session);
  }
  return { v: version, appliedIndex, values, sessions, malformedCommandCount: intIn(random, 0, 3) };
}

function outcome(decode: (data: string) => KvSnapshotState, value: unknown): Outcome {
  try {
    return { ok: true, value: decode(JSON.stringify(value)) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

describe('the KV snapshot check', () => {
  it('agrees with the zod schema it replaced', () => {
    const seed = agreementSeed();
    const { accepted, rejected } = expectAgreement({
      name: 'KV snapshot', seed, rounds: 3000, valid: snapshot,
      bySchema: (value) => outcome(decodeWithZod, value),
      byCheck: (value) => outcome(decodeKvSnapshot, value),
    });
    expect(accepted, `seed=${seed}`).toBeGreaterThan(750);
    expect(rejected, `seed=${seed}`).toBeGreaterThan(750);
  });

  it('names the path of what is wrong', () => {
    const good = { v: 2, appliedIndex: 3, values: [['a', '1']], sessions: [], malformedCommandCount: 0 };
    expect(() => decodeKvSnapshot(JSON.stringify({ ...good, values: [['a', 1]] }))).toThrow(/^invalid KV snapshot at values\.0\.1: "value" must be a string, got number 1$/);
    expect(() => decodeKvSnapshot(JSON.stringify({ ...good, extra: 1 }))).toThrow(/^invalid KV snapshot at \(root\): Unrecognized key "extra"$/);
    expect(() => decodeKvSnapshot(JSON.stringify({ ...good, sessions: [{ clientId: 'c', lastSeq: 1, lastResult: { clientId: 'c', seq: 1, status: 'maybe', duplicate: false } }] })))
      .toThrow(/^invalid KV snapshot at sessions\.0\.lastResult\.status: expected one of ok, fail, stale, session-expired/);
  });
});
