// The frame one Raft node process sends to another over ZeroMQ. JSON on the wire (measured ~2x faster to encode
// than msgpack here); validated on receipt, because a peer may be buggy (planted bugs), old, or not a peer at all
// (fuzz tests, a student's netcat). The zod schema below is the definition. Every frame of the write path passes
// through here, so a hand-written check (isPeerFrame) accepts the frames the schema accepts at a fraction of
// zod's cost; whatever it does not accept goes to the schema, which rejects it with a readable error (or accepts it:
// the fast check may only be stricter than the schema, never looser; test/unit/protocol/fast-checks.test.ts).
// Beyond each field's shape, the message as a whole must be one a correct Raft server could send (terms >= 1,
// entries numbered from prevLogIndex + 1 with terms up to the message's, ...): both apply the core's own rules,
// messageProblem in src/raft/message-checks.ts, so an invalid frame is refused here with the reason and changes nothing.
import { z } from 'zod';
import { messageProblem } from '../raft/message-checks';
import type { Message } from '../raft/types';
import { countSchema, decodeJsonBytes, decodeWithSchema, MAX_MESSAGE_ID_CHARS, MAX_NODE_ID, nodeIdSchema } from './validate';

export { MAX_MESSAGE_ID_CHARS } from './validate';

export const PEER_FRAME_VERSION = 1;
/** Frames larger than this are rejected by the decoder. Bounds the memory one message can take. */
export const MAX_PEER_FRAME_BYTES = 4 * 1024 * 1024;
/** A single client command (opaque text; the KV layer encodes JSON). */
export const MAX_COMMAND_CHARS = 64 * 1024;
/** Entries in one AppendEntries; the core's `maxEntriesPerMessage` should stay well below this. */
export const MAX_ENTRIES_PER_FRAME = 10_000;
/**
 * Snapshot characters in one InstallSnapshot. JSON-encoding a character takes at most 6 bytes ("\u001f"), so a
 * chunk of this many takes at most 3 MiB, inside MAX_PEER_FRAME_BYTES with 1 MiB to spare for the other fields.
 */
export const MAX_SNAPSHOT_CHUNK_CHARS = 512 * 1024;
/** Worst-case UTF-8 bytes of one JSON-encoded string character (a control character as \uXXXX). */
export const MAX_JSON_BYTES_PER_CHAR = 6;

/** Servers in one configuration's list: the lab's node ids (1..MAX_NODE_ID) bound it. */
export const MAX_CONFIGURATION_IDS = MAX_NODE_ID;

/**
 * A cluster configuration (dissertation ch. 4): voters, learners, and in joint consensus the old voters. A server in
 * both voters and learners, or listed twice, is refused by messageProblem (configurationProblem), as in the core.
 */
export const configurationSchema = z.strictObject({
  voters: z.array(nodeIdSchema).max(MAX_CONFIGURATION_IDS).readonly(),
  learners: z.array(nodeIdSchema).max(MAX_CONFIGURATION_IDS).readonly(),
  outgoing: z.array(nodeIdSchema).max(MAX_CONFIGURATION_IDS).readonly(),
});

export const entrySchema = z.strictObject({
  index: z.int().min(1),
  term: countSchema,
  command: z.string().max(MAX_COMMAND_CHARS).nullable(),
  /** Present on a configuration entry only (its command is null). */
  config: configurationSchema.optional(),
});

const addressing = { from: nodeIdSchema, to: nodeIdSchema, term: countSchema };

export const requestVoteSchema = z.strictObject({
  type: z.literal('RequestVote'),
  ...addressing,
  lastLogIndex: countSchema,
  lastLogTerm: countSchema,
  preVote: z.boolean(),
  /** Only on a vote request caused by TimeoutNow (dissertation §3.10). */
  leadershipTransfer: z.literal(true).optional(),
});

export const requestVoteReplySchema = z.strictObject({
  type: z.literal('RequestVoteReply'),
  ...addressing,
  voteGranted: z.boolean(),
  preVote: z.boolean(),
});

export const appendEntriesSchema = z.strictObject({
  type: z.literal('AppendEntries'),
  ...addressing,
  prevLogIndex: countSchema,
  prevLogTerm: countSchema,
  entries: z.array(entrySchema).max(MAX_ENTRIES_PER_FRAME).readonly(),
  leaderCommit: countSchema,
  readRound: countSchema,
});

export const appendEntriesReplySchema = z.strictObject({
  type: z.literal('AppendEntriesReply'),
  ...addressing,
  success: z.boolean(),
  matchIndex: countSchema,
  conflictTerm: countSchema,
  conflictIndex: countSchema,
  readRound: countSchema,
});

export const installSnapshotSchema = z.strictObject({
  type: z.literal('InstallSnapshot'),
  ...addressing,
  lastIncludedIndex: z.int().min(1),
  lastIncludedTerm: z.int().min(1),
  offset: countSchema,
  data: z.string().max(MAX_SNAPSHOT_CHUNK_CHARS),
  done: z.boolean(),
  /** The snapshot's configuration; absent: the bootstrap configuration (a snapshot taken before any change). */
  config: configurationSchema.optional(),
// A snapshot holds committed entries, whose terms never exceed the sender's: refused here, before it can move our term.
}).refine((message) => message.lastIncludedTerm <= message.term,
  { message: 'lastIncludedTerm must not exceed term', path: ['lastIncludedTerm'] });

export const installSnapshotReplySchema = z.strictObject({
  type: z.literal('InstallSnapshotReply'),
  ...addressing,
  lastIncludedIndex: z.int().min(1),
  bytesStored: countSchema,
  done: z.boolean(),
});

export const timeoutNowSchema = z.strictObject({
  type: z.literal('TimeoutNow'),
  ...addressing,
});

export const messageSchema = z.discriminatedUnion('type', [
  requestVoteSchema,
  requestVoteReplySchema,
  appendEntriesSchema,
  appendEntriesReplySchema,
  installSnapshotSchema,
  installSnapshotReplySchema,
  timeoutNowSchema,
]);

// Compile-time proof that the schema and the core's Message type describe the same values: each must be
// assignable to the other. If someone adds a field to a message in types.ts, this stops compiling until the
// schema follows.
type AssertAssignable<Sub extends Super, Super> = [Sub, Super];
export type MessageSchemaMatchesMessage = [
  AssertAssignable<z.infer<typeof messageSchema>, Message>,
  AssertAssignable<Message, z.infer<typeof messageSchema>>,
];

export const peerFrameSchema = z.strictObject({
  v: z.literal(PEER_FRAME_VERSION),
  /** Unique per sender, e.g. "3-1042"; a duplicated frame keeps its id so duplicates can be recognised. */
  id: z.string().min(1).max(MAX_MESSAGE_ID_CHARS),
  /**
   * Sender's CLOCK_MONOTONIC in ns when the core emitted the message. Not an integer check: past 2^53 ns
   * (~104 days of uptime) a float loses the last digits but stays ordered well enough.
   */
  sentAtNs: z.number().nonnegative(),
  /**
   * Lab time (ms, src/protocol/lab-clock.ts) at which the receiver may hand the message to its core: the sender's
   * lab time plus the cluster's network delay. Absent: at once. The receiver holds it until then (and while frozen).
   */
  deliverAtMs: z.number().nonnegative().optional(),
  msg: messageSchema.superRefine((message, context) => {
    const problem = messageProblem(message);
    if (problem !== null) context.addIssue({ code: 'custom', message: `not a message a Raft server sends: ${problem}` });
  }),
});

export interface PeerFrame {
  readonly v: typeof PEER_FRAME_VERSION;
  readonly id: string;
  readonly sentAtNs: number;
  readonly deliverAtMs?: number;
  readonly msg: Message;
}

export type PeerFrameSchemaMatchesPeerFrame = [
  AssertAssignable<z.infer<typeof peerFrameSchema>, PeerFrame>,
  AssertAssignable<PeerFrame, z.infer<typeof peerFrameSchema>>,
];

export type DecodePeerFrameResult = { ok: true; frame: PeerFrame } | { ok: false; error: string };

/** JSON bytes of the frame. Does not validate (the types already do); the receiver checks the size limit. */
export function encodePeerFrame(frame: PeerFrame): Buffer {
  return Buffer.from(JSON.stringify(frame), 'utf8');
}

/** Never throws: oversize, bad UTF-8, bad JSON and schema mismatches all come back as `{ ok: false, error }`. */
export function decodePeerFrame(buf: Buffer): DecodePeerFrameResult {
  const json = decodeJsonBytes(buf, MAX_PEER_FRAME_BYTES);
  if (json.ok && isPeerFrame(json.value)) {
    // As the schema's `.readonly()` would: the core keeps these entries in its log.
    if (json.value.msg.type === 'AppendEntries') Object.freeze(json.value.msg.entries);
    return { ok: true, frame: json.value };
  }
  const decoded = decodeWithSchema(buf, peerFrameSchema, MAX_PEER_FRAME_BYTES, 'peer frame');
  return decoded.ok ? { ok: true, frame: decoded.value } : decoded;
}

// --- The fast check: the same rules as the schemas above, written out by hand. ---

type Fields = Readonly<Record<string, unknown>>;

/** A plain JSON object with exactly `keyCount` own keys (the checks below then name each one: a strict object). */
export function isObjectWithKeys(value: unknown, keyCount: number): value is Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  let keys = 0;
  for (const key in value) if (Object.hasOwn(value, key)) keys += 1;
  return keys === keyCount && Object.getPrototypeOf(value) === Object.prototype;
}

export function isIntIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

export const isCount = (value: unknown): boolean => isIntIn(value, 0, Number.MAX_SAFE_INTEGER);
const isNodeId = (value: unknown): boolean => isIntIn(value, 1, MAX_NODE_ID);

/**
 * Lengths in UTF-16 units. The schema counts code points (never more than units), so a string that fits here
 * fits there; a longer one is left to the schema.
 */
export function isStringOfLength(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

function isIdList(value: unknown): boolean {
  if (!Array.isArray(value) || value.length > MAX_CONFIGURATION_IDS) return false;
  for (const id of value) if (!isNodeId(id)) return false;
  return true;
}

/** The shape of configurationSchema; its rules (no server twice) are messageProblem's. */
export function isConfiguration(value: unknown): boolean {
  return isObjectWithKeys(value, 3) && isIdList(value['voters']) && isIdList(value['learners']) && isIdList(value['outgoing']);
}

function isEntry(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const config = (value as Fields)['config'];
  const hasConfig = config !== undefined;
  if (!isObjectWithKeys(value, hasConfig ? 4 : 3)) return false;
  const { command } = value;
  return isIntIn(value['index'], 1, Number.MAX_SAFE_INTEGER) && isCount(value['term']) &&
    (command === null || isStringOfLength(command, 0, MAX_COMMAND_CHARS)) && (!hasConfig || isConfiguration(config));
}

function isEntries(value: unknown): boolean {
  if (!Array.isArray(value) || value.length > MAX_ENTRIES_PER_FRAME) return false;
  for (const entry of value) if (!isEntry(entry)) return false;
  return true;
}

function isMessage(msg: unknown): msg is Message {
  if (typeof msg !== 'object' || msg === null) return false;
  const m = msg as Fields;
  if (!isNodeId(m['from']) || !isNodeId(m['to']) || !isCount(m['term'])) return false;
  switch (m['type']) {
    case 'RequestVote':
      return isObjectWithKeys(m, m['leadershipTransfer'] === undefined ? 7 : 8) && (m['leadershipTransfer'] === undefined || m['leadershipTransfer'] === true) &&
        isCount(m['lastLogIndex']) && isCount(m['lastLogTerm']) && typeof m['preVote'] === 'boolean';
    case 'RequestVoteReply':
      return isObjectWithKeys(m, 6) && typeof m['voteGranted'] === 'boolean' && typeof m['preVote'] === 'boolean';
    case 'AppendEntries':
      return isObjectWithKeys(m, 9) && isCount(m['prevLogIndex']) && isCount(m['prevLogTerm']) && isCount(m['leaderCommit']) &&
        isCount(m['readRound']) && isEntries(m['entries']);
    case 'AppendEntriesReply':
      return isObjectWithKeys(m, 9) && typeof m['success'] === 'boolean' && isCount(m['matchIndex']) && isCount(m['conflictTerm']) &&
        isCount(m['conflictIndex']) && isCount(m['readRound']);
    case 'InstallSnapshot':
      return isObjectWithKeys(m, m['config'] === undefined ? 9 : 10) && (m['config'] === undefined || isConfiguration(m['config'])) && isIntIn(m['lastIncludedIndex'], 1, Number.MAX_SAFE_INTEGER) &&
        isIntIn(m['lastIncludedTerm'], 1, m['term'] as number) &&
        isCount(m['offset']) && isStringOfLength(m['data'], 0, MAX_SNAPSHOT_CHUNK_CHARS) && typeof m['done'] === 'boolean';
    case 'InstallSnapshotReply':
      return isObjectWithKeys(m, 7) && isIntIn(m['lastIncludedIndex'], 1, Number.MAX_SAFE_INTEGER) && isCount(m['bytesStored']) &&
        typeof m['done'] === 'boolean';
    case 'TimeoutNow':
      return isObjectWithKeys(m, 4);
    default:
      return false;
  }
}

/** True only for values peerFrameSchema accepts unchanged. */
export function isPeerFrame(value: unknown): value is PeerFrame {
  if (typeof value !== 'object' || value === null) return false;
  const { sentAtNs, deliverAtMs } = value as Record<string, unknown>;
  const hasDeliverAt = deliverAtMs !== undefined;
  if (!isObjectWithKeys(value, hasDeliverAt ? 5 : 4)) return false;
  return value['v'] === PEER_FRAME_VERSION && isStringOfLength(value['id'], 1, MAX_MESSAGE_ID_CHARS) &&
    typeof sentAtNs === 'number' && Number.isFinite(sentAtNs) && sentAtNs >= 0 &&
    (!hasDeliverAt || (typeof deliverAtMs === 'number' && Number.isFinite(deliverAtMs) && deliverAtMs >= 0)) &&
    isMessage(value['msg']) && messageProblem(value['msg']) === null;
}
