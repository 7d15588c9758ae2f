// KV client <-> node frames. A client sends to any node; a node that is not the leader answers with a hint.
// Decoding never throws: a bad frame gets an error reply (when it has an id) and changes nothing.
//
// Sessions (dissertation §6.3): a client first sends `register` (no key); the leader answers as soon as it has
// appended the register entry, and the reply's `index` (that entry's index) is the new session id, which each of the
// client's writes then carries (`session`, with `seq` 1, 2, ...). A write of a session that is not open (it expired,
// or its register entry never committed) is answered `session-expired` and was not applied: the client registers
// again and reports that write as unknown.
import { z } from 'zod';
import { decodeJsonBytes, decodeWithSchema, type Decoded } from './validate';
import { isCount, isIntIn, isObjectWithKeys, isStringOfLength } from './wire';

export const MAX_CLIENT_FRAME_BYTES = 128 * 1024;

const KEY_MAX = 256;
const VALUE_MAX = 64 * 1024;
const kvKey = z.string().min(1).max(KEY_MAX);
const kvValue = z.string().max(VALUE_MAX);

const WRITE_OPS: ReadonlySet<string> = new Set(['put', 'delete', 'cas']);

export const clientRequestFrameSchema = z.strictObject({
  v: z.literal(1),
  requestId: z.string().min(1).max(64),
  clientId: z.string().min(1).max(64),
  /** The session of a write: the index of the client's register entry (dissertation §6.3). Absent otherwise. */
  session: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  /** Session sequence number of a write (dissertation §6.3), from 1; a retry reuses it. Reads and register carry 0. */
  seq: z.number().int().nonnegative(),
  op: z.enum(['get', 'put', 'delete', 'cas', 'register']),
  /** Every op but register names a key. */
  key: kvKey.optional(),
  value: kvValue.optional(),
  from: kvValue.optional(),
  to: kvValue.optional(),
}).refine((frame) => (frame.key === undefined) === (frame.op === 'register'), { message: 'register names no key; every other op names one', path: ['key'] })
  .refine((frame) => (frame.session === undefined) !== WRITE_OPS.has(frame.op), { message: 'a write carries its session (register first); get and register carry none', path: ['session'] })
  .refine((frame) => (frame.seq >= 1) === WRITE_OPS.has(frame.op), { message: 'a write carries seq >= 1; get and register carry 0', path: ['seq'] });
export type ClientRequestFrame = z.infer<typeof clientRequestFrameSchema>;

export const clientReplyFrameSchema = z.strictObject({
  v: z.literal(1),
  requestId: z.string().max(64),
  /**
   * ok / fail: final. not-leader: try leaderHint. retry: leadership changed under the request, try again.
   * session-expired: the write's session is not open (expired, or never committed): not applied; register again.
   * For register, ok (sent once the entry is appended, before it commits) carries the new session id in `index`.
   */
  status: z.enum(['ok', 'fail', 'not-leader', 'retry', 'error', 'session-expired']),
  value: kvValue.nullable(),
  leaderHint: z.number().int().min(1).max(25).nullable(),
  index: z.number().int().nonnegative().nullable(),
  node: z.number().int().min(1).max(25),
  error: z.string().max(1024).nullable(),
});
export type ClientReplyFrame = z.infer<typeof clientReplyFrameSchema>;

// Every write crosses both decoders, so each first tries a hand-written check of the same rules (as for peer frames,
// see wire.ts); what it does not accept goes to the schema, which explains the rejection.

export function decodeClientRequest(bytes: Uint8Array): Decoded<ClientRequestFrame> {
  const json = decodeJsonBytes(bytes, MAX_CLIENT_FRAME_BYTES);
  if (json.ok && isClientRequestFrame(json.value)) return { ok: true, value: json.value };
  return decodeWithSchema(bytes, clientRequestFrameSchema, MAX_CLIENT_FRAME_BYTES, 'client request');
}

export function decodeClientReply(bytes: Uint8Array): Decoded<ClientReplyFrame> {
  const json = decodeJsonBytes(bytes, MAX_CLIENT_FRAME_BYTES);
  if (json.ok && isClientReplyFrame(json.value)) return { ok: true, value: json.value };
  return decodeWithSchema(bytes, clientReplyFrameSchema, MAX_CLIENT_FRAME_BYTES, 'client reply');
}

const OPS: ReadonlySet<unknown> = new Set(clientRequestFrameSchema.shape.op.options);
const STATUSES: ReadonlySet<unknown> = new Set(clientReplyFrameSchema.shape.status.options);
const REQUEST_OPTIONAL_KEYS = ['value', 'from', 'to'] as const;

/** True only for values clientRequestFrameSchema accepts unchanged. */
export function isClientRequestFrame(value: unknown): value is ClientRequestFrame {
  if (typeof value !== 'object' || value === null) return false;
  const fields = value as Readonly<Record<string, unknown>>;
  const op = fields['op'];
  if (!OPS.has(op)) return false;
  const write = WRITE_OPS.has(op as string);
  const register = op === 'register';
  let keyCount = write ? 6 : 5; // v, requestId, clientId, seq, op, plus session (writes) and key (all but register)
  if (!register) keyCount += 1;
  for (const key of REQUEST_OPTIONAL_KEYS) {
    const optional = fields[key];
    if (optional === undefined) continue;
    if (!isStringOfLength(optional, 0, VALUE_MAX)) return false;
    keyCount += 1;
  }
  if (!isObjectWithKeys(value, keyCount)) return false;
  return value['v'] === 1 && isStringOfLength(value['requestId'], 1, 64) && isStringOfLength(value['clientId'], 1, 64) &&
    (register ? value['key'] === undefined : isStringOfLength(value['key'], 1, KEY_MAX)) &&
    (write ? isIntIn(value['session'], 1, Number.MAX_SAFE_INTEGER) && isIntIn(value['seq'], 1, Number.MAX_SAFE_INTEGER)
      : value['session'] === undefined && value['seq'] === 0);
}

/** True only for values clientReplyFrameSchema accepts unchanged. */
export function isClientReplyFrame(value: unknown): value is ClientReplyFrame {
  if (!isObjectWithKeys(value, 8)) return false;
  const { value: replyValue, leaderHint, index, error } = value;
  return value['v'] === 1 && isStringOfLength(value['requestId'], 0, 64) && STATUSES.has(value['status']) &&
    (replyValue === null || isStringOfLength(replyValue, 0, VALUE_MAX)) &&
    (leaderHint === null || isIntIn(leaderHint, 1, 25)) && (index === null || isCount(index)) &&
    isIntIn(value['node'], 1, 25) && (error === null || isStringOfLength(error, 0, 1024));
}
