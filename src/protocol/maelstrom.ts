// Maelstrom's node protocol (jepsen-io/maelstrom, doc/protocol.md), which a student's own Raft speaks on its stdin and
// stdout: one JSON object per line, `{"src", "dest", "body": {"type", "msg_id"?, "in_reply_to"?, ...}}`. Nodes are
// "n1".."nN", clients "c1", "c2", ... (the lab's own init comes from "c0"), and "lab" is our extension: a node may
// tell the lab its Raft state (raft_lab_state) and notable events (raft_lab_event) for the richer views.
//
// Every line a student's node writes is untrusted: parseMaelstromLine never throws and says what is wrong.
import { z } from 'zod';
import { decodeWithSchema, nodeIdSchema } from './schema-helpers';
import { MAX_MESSAGE_ID_CHARS, MAX_NODE_ID, type Decoded } from './validate';

/** A longer line is malformed (and a node writing one without a newline is cut off there). */
export const MAX_MAELSTROM_LINE_BYTES = 1024 * 1024;
/** A relayed frame: one line plus addressing, well inside ZeroMQ's and the decoder's limits. */
export const MAX_RELAY_FRAME_BYTES = MAX_MAELSTROM_LINE_BYTES + 4096;
export const MAX_BODY_TYPE_CHARS = 64;
/** The lab's own client id, the sender of `init`. */
export const LAB_INIT_CLIENT = 'c0';
export const LAB_DEST = 'lab';
/**
 * What the lab's clients send a relay first on each connection, from LAB_INIT_CLIENT: it tells the relay where its
 * clients are before any of them has written to that node (a new leader answering a client of the old one), and is
 * never passed to the student's node.
 */
export const LAB_CLIENTS_HELLO = 'raft_lab_clients_hello';
/** Marks the lab's error events about a student's node breaking the protocol (CLI exit 2 counts them). */
export const PROTOCOL_ERROR_MARK = 'protocol error:';

/** Maelstrom's error codes (doc/protocol.md#errors). */
export const MAELSTROM_ERRORS = {
  timeout: 0, nodeNotFound: 1, notSupported: 10, temporarilyUnavailable: 11, malformedRequest: 12, crash: 13, abort: 14,
  keyDoesNotExist: 20, keyAlreadyExists: 21, preconditionFailed: 22, txnConflict: 30,
} as const;

/**
 * Errors that say the operation certainly did not happen. Timeouts, 11 (temporarily unavailable: a node may have
 * proposed the write before it lost leadership), 13 (crash) and unknown codes are indefinite: `unknown` in a history.
 */
const DEFINITE_ERROR_CODES: ReadonlySet<number> = new Set([1, 10, 12, 14, 20, 21, 22, 30]);

export function isDefiniteError(code: number): boolean {
  return DEFINITE_ERROR_CODES.has(code);
}

export interface MaelstromBody {
  readonly type: string;
  readonly msg_id?: number;
  readonly in_reply_to?: number;
  readonly [field: string]: unknown;
}

export interface MaelstromMessage {
  readonly src: string;
  readonly dest: string;
  readonly body: MaelstromBody;
}

const NODE_NAME = /^n([1-9]\d?)$/;
const CLIENT_NAME = /^c(0|[1-9]\d{0,8})$/;

/** "n3" -> 3; null for anything that is not a lab node id. */
export function nodeNumberOf(name: string): number | null {
  const match = NODE_NAME.exec(name);
  const id = match ? Number(match[1]) : NaN;
  return id >= 1 && id <= MAX_NODE_ID ? id : null;
}

export const nodeNameOf = (id: number): string => `n${id}`;

export function isClientName(name: string): boolean {
  return CLIENT_NAME.test(name);
}

const msgId = z.int().nonnegative();

export const maelstromBodySchema = z.looseObject({
  type: z.string().min(1).max(MAX_BODY_TYPE_CHARS),
  msg_id: msgId.optional(),
  in_reply_to: msgId.optional(),
});

export const maelstromMessageSchema = z.object({
  src: z.string().min(1).max(64),
  dest: z.string().min(1).max(64),
  body: maelstromBodySchema,
});

export type ParsedLine = { ok: true; message: MaelstromMessage } | { ok: false; problem: string };

/** One line of a node's stdout (without its newline): a message, or what is wrong with it. */
export function parseMaelstromLine(line: string): ParsedLine {
  if (Buffer.byteLength(line, 'utf8') > MAX_MAELSTROM_LINE_BYTES) return { ok: false, problem: `line longer than ${MAX_MAELSTROM_LINE_BYTES} bytes` };
  let value: unknown;
  try {
    value = JSON.parse(line) as unknown;
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problem: 'not a JSON object' };
  const fields = value as Record<string, unknown>;
  for (const name of ['src', 'dest', 'body'] as const) {
    if (!(name in fields)) return { ok: false, problem: `missing field "${name}"` };
  }
  const body = fields['body'];
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    if (!('type' in body)) return { ok: false, problem: 'missing field "body.type"' };
    // A null msg_id or in_reply_to is an absent one: `{"in_reply_to": body.get("msg_id")}` in Python, answering a
    // message that had none, writes null, and Maelstrom passes such messages between nodes unchanged.
    const fieldsOfBody = body as Record<string, unknown>;
    for (const name of ['msg_id', 'in_reply_to']) if (fieldsOfBody[name] === null) delete fieldsOfBody[name];
  }
  const parsed = maelstromMessageSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: `${issue?.path.map(String).join('.') || 'message'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, message: parsed.data as MaelstromMessage };
}

// ---- the frame one relay sends another over the peer transport --------------------------------------------------

export const RELAY_FRAME_VERSION = 1;

export interface RelayFrame {
  readonly v: typeof RELAY_FRAME_VERSION;
  readonly id: string;
  readonly sentAtNs: number;
  /** Lab time at which the receiver may hand it to its node (the cluster's network delay), as for Raft frames. */
  readonly deliverAtMs?: number;
  readonly from: number;
  readonly to: number;
  readonly msg: MaelstromMessage;
}

export const relayFrameSchema = z.strictObject({
  v: z.literal(RELAY_FRAME_VERSION),
  id: z.string().min(1).max(MAX_MESSAGE_ID_CHARS),
  sentAtNs: z.number().nonnegative(),
  deliverAtMs: z.number().nonnegative().optional(),
  from: nodeIdSchema,
  to: nodeIdSchema,
  msg: maelstromMessageSchema,
}).refine((frame) => frame.msg.src === nodeNameOf(frame.from) && frame.msg.dest === nodeNameOf(frame.to),
  'msg.src and msg.dest must name the frame\'s from and to');

export function encodeRelayFrame(frame: RelayFrame): Buffer {
  return Buffer.from(JSON.stringify(frame), 'utf8');
}

export function decodeRelayFrame(bytes: Buffer): { ok: true; frame: RelayFrame } | { ok: false; error: string } {
  const decoded: Decoded<z.infer<typeof relayFrameSchema>> = decodeWithSchema(bytes, relayFrameSchema, MAX_RELAY_FRAME_BYTES, 'relay frame');
  return decoded.ok ? { ok: true, frame: decoded.value as RelayFrame } : decoded;
}

// ---- what clients of the lab send a relay on its client socket ----------------------------------------------------

/** A client request (from "cK" to the relay's node) or, in the other direction, the node's reply to "cK". */
export function decodeClientMessage(bytes: Buffer): Decoded<MaelstromMessage> {
  if (bytes.byteLength > MAX_MAELSTROM_LINE_BYTES) return { ok: false, error: `client message of ${bytes.byteLength} bytes is too large` };
  const parsed = parseMaelstromLine(bytes.toString('utf8'));
  return parsed.ok ? { ok: true, value: parsed.message } : { ok: false, error: parsed.problem };
}
