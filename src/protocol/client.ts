// KV client <-> node frames. A client sends to any node; a node that is not the leader answers with a hint.
// Decoding never throws: a bad frame gets an error reply (when it has an id) and changes nothing.
//
// Sessions (dissertation §6.3): a client first sends `register` (no key); the leader answers as soon as it has
// appended the register entry, and the reply's `index` (that entry's index) is the new session id, which each of the
// client's writes then carries (`session`, with `seq` 1, 2, ...). A write of a session that is not open (it expired,
// or its register entry never committed) is answered `session-expired` and was not applied: the client registers
// again and sends the write again when no earlier attempt of it can have been applied (every attempt was refused, or
// the session never opened: SESSION_NEVER_OPENED_ERROR), and reports it unknown otherwise.
// The checks here are a node's (no zod): it decodes requests; the lab decodes replies with client-schema.ts's schema,
// and the schemas and the checks agree (test/unit/protocol/hand-checks.test.ts, fast-checks.test.ts).
import { integer, literal, object, oneOf, optional, refined, text, type Check } from './check';
import { checkDecoded, decodeJsonBytes, type Decoded } from './validate';
import { isCount, isIntIn, isObjectWithKeys, isStringOfLength } from './wire';

export const MAX_CLIENT_FRAME_BYTES = 128 * 1024;

export const KV_KEY_MAX_CHARS = 256;
export const KV_VALUE_MAX_CHARS = 64 * 1024;
export const CLIENT_ID_MAX_CHARS = 64;
export const CLIENT_ERROR_MAX_CHARS = 1024;
const KEY_MAX = KV_KEY_MAX_CHARS;
const VALUE_MAX = KV_VALUE_MAX_CHARS;

export const CLIENT_OPS = ['get', 'put', 'delete', 'cas', 'register'] as const;
/**
 * ok / fail: final. not-leader: try leaderHint. retry: leadership changed under the request, try again.
 * session-expired: the write's session is not open (expired, or never committed): not applied; register again.
 * For register, ok (sent once the entry is appended, before it commits) carries the new session id in `index`.
 */
export const CLIENT_REPLY_STATUSES = ['ok', 'fail', 'not-leader', 'retry', 'error', 'session-expired'] as const;
/**
 * The `error` of a session-expired reply whose session never opened (its register entry was lost with a leader
 * change, and its index committed holding something else: src/kv/session-origin.ts): no attempt of the write was
 * applied, nor ever will be, so the client may send it again in a new session.
 */
export const SESSION_NEVER_OPENED_ERROR = 'the session never opened (its register entry was lost with a leader change): no attempt of this request was applied; register a new session';

const WRITE_OPS: ReadonlySet<string> = new Set(['put', 'delete', 'cas']);

export interface ClientRequestFrame {
  v: 1;
  requestId: string;
  clientId: string;
  /** The session of a write: the index of the client's register entry (dissertation §6.3). Absent otherwise. */
  session?: number;
  /** Session sequence number of a write (dissertation §6.3), from 1; a retry reuses it. Reads and register carry 0. */
  seq: number;
  op: (typeof CLIENT_OPS)[number];
  /** Every op but register names a key. */
  key?: string;
  value?: string;
  from?: string;
  to?: string;
}

export interface ClientReplyFrame {
  v: 1;
  requestId: string;
  status: (typeof CLIENT_REPLY_STATUSES)[number];
  value: string | null;
  leaderHint: number | null;
  index: number | null;
  node: number;
  error: string | null;
}

/** The rules of a request beyond its fields' shapes, each with the field it names and its sentence. */
export const CLIENT_REQUEST_RULES = [
  { field: 'key', message: 'register names no key; every other op names one',
    holds: (frame: ClientRequestFrame) => (frame.key === undefined) === (frame.op === 'register') },
  { field: 'session', message: 'a write carries its session (register first); get and register carry none',
    holds: (frame: ClientRequestFrame) => (frame.session === undefined) !== WRITE_OPS.has(frame.op) },
  { field: 'seq', message: 'a write carries seq >= 1; get and register carry 0',
    holds: (frame: ClientRequestFrame) => (frame.seq >= 1) === WRITE_OPS.has(frame.op) },
] as const;

const kvValue = text(0, VALUE_MAX);

export const checkClientRequest: Check<ClientRequestFrame> = CLIENT_REQUEST_RULES.reduce<Check<ClientRequestFrame>>(
  (check, rule) => refined(check, rule.holds, rule.message, rule.field),
  object<ClientRequestFrame>({
    v: literal(1),
    requestId: text(1, CLIENT_ID_MAX_CHARS),
    clientId: text(1, CLIENT_ID_MAX_CHARS),
    session: optional(integer(1)),
    seq: integer(0),
    op: oneOf(CLIENT_OPS),
    key: optional(text(1, KEY_MAX)),
    value: optional(kvValue),
    from: optional(kvValue),
    to: optional(kvValue),
  }));

// Every write crosses the node's decoder, so it first tries a hand-written check of the same rules written for
// speed (as for peer frames, see wire.ts); what that does not accept goes to the full check, which explains the
// rejection.

export function decodeClientRequest(bytes: Uint8Array): Decoded<ClientRequestFrame> {
  const json = decodeJsonBytes(bytes, MAX_CLIENT_FRAME_BYTES);
  if (!json.ok) return { ok: false, error: `client request: ${json.error}` };
  if (isClientRequestFrame(json.value)) return { ok: true, value: json.value };
  return checkDecoded(json.value, checkClientRequest, 'client request');
}

const OPS: ReadonlySet<unknown> = new Set(CLIENT_OPS);
const STATUSES: ReadonlySet<unknown> = new Set(CLIENT_REPLY_STATUSES);
const REQUEST_OPTIONAL_KEYS = ['value', 'from', 'to'] as const;

/** True only for values checkClientRequest accepts unchanged. */
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
