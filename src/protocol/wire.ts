// The frame one Raft node process sends to another over ZeroMQ. JSON on the wire (measured ~2x faster to encode
// than msgpack here); validated on receipt, because a peer may be buggy (planted bugs), old, or not a peer at all
// (fuzz tests, a student's netcat). Every frame of the write path passes through here, so a hand-written fast check
// (isPeerFrame) accepts the frames at a fraction of a full check's cost; whatever it does not accept goes to the full
// check (checkPeerFrame), which rejects it with the field and the reason (or accepts it: the fast check may only be
// stricter, never looser; test/unit/protocol/fast-checks.test.ts). Neither uses zod, which a node process does not
// load (docs/benchmarks.md); the zod schemas in wire-schema.ts are the same rules for the lab, and the full check
// agrees with them (test/unit/protocol/hand-checks.test.ts).
// Beyond each field's shape, the message as a whole must be one a correct Raft server could send (terms >= 1,
// entries numbered from prevLogIndex + 1 with terms up to the message's, ...): both checks apply the core's own rules,
// messageProblem in src/raft/message-checks.ts, so an invalid frame is refused here with the reason and changes nothing.
import { messageProblem } from '../raft/message-checks';
import type {
  AppendEntries, AppendEntriesReply, Configuration, Entry, InstallSnapshot, InstallSnapshotReply, Message, RequestVote,
  RequestVoteReply, TimeoutNow,
} from '../raft/types';
import { boolean, fail, finite, integer, list, literal, nullable, object, optional, refined, tagged, text, type Check } from './check';
import { checkDecoded, decodeJsonBytes, MAX_MESSAGE_ID_CHARS, MAX_NODE_ID } from './validate';

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

export interface PeerFrame {
  readonly v: typeof PEER_FRAME_VERSION;
  /** Unique per sender, e.g. "3-1042"; a duplicated frame keeps its id so duplicates can be recognised. */
  readonly id: string;
  /**
   * Sender's CLOCK_MONOTONIC in ns when the core emitted the message. Not an integer check: past 2^53 ns
   * (~104 days of uptime) a float loses the last digits but stays ordered well enough.
   */
  readonly sentAtNs: number;
  /**
   * Lab time (ms, src/protocol/lab-clock.ts) at which the receiver may hand the message to its core: the sender's
   * lab time plus the cluster's network delay. Absent: at once. The receiver holds it until then (and while frozen).
   */
  readonly deliverAtMs?: number;
  readonly msg: Message;
}

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
  if (!json.ok) return { ok: false, error: `peer frame: ${json.error}` };
  const decoded = checkDecoded(json.value, checkPeerFrame, 'peer frame');
  return decoded.ok ? { ok: true, frame: decoded.value } : decoded;
}

// --- The fast check: the same rules as the full check below, for valid frames only. ---

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

/** The shape of checkConfiguration; its rules (no server twice) are messageProblem's. */
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

/** True only for values checkPeerFrame (and peerFrameSchema) accept unchanged. */
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

// --- The full check: every rule, with the field and the reason when a frame breaks one. ---

const nodeId = integer(1, MAX_NODE_ID);
const count = integer(0);
const nodeIds = list(nodeId, MAX_CONFIGURATION_IDS, { frozen: true });

/**
 * A cluster configuration (dissertation ch. 4): voters, learners, and in joint consensus the old voters. A server in
 * both voters and learners, or listed twice, is refused by messageProblem (configurationProblem), as in the core.
 */
export const checkConfiguration: Check<Configuration> = object<Configuration>({ voters: nodeIds, learners: nodeIds, outgoing: nodeIds });

export const checkEntry: Check<Entry> = object<Entry>({
  index: integer(1),
  term: count,
  command: nullable(text(0, MAX_COMMAND_CHARS)),
  /** Present on a configuration entry only (its command is null). */
  config: optional(checkConfiguration),
});

const addressing = { from: nodeId, to: nodeId, term: count };

const checkMessageShape = tagged<Message>('type', {
  RequestVote: object<RequestVote>({
    type: literal('RequestVote'), ...addressing, lastLogIndex: count, lastLogTerm: count, preVote: boolean,
    /** Only on a vote request caused by TimeoutNow (dissertation §3.10). */
    leadershipTransfer: optional(literal(true)),
  }),
  RequestVoteReply: object<RequestVoteReply>({ type: literal('RequestVoteReply'), ...addressing, voteGranted: boolean, preVote: boolean }),
  AppendEntries: object<AppendEntries>({
    type: literal('AppendEntries'), ...addressing, prevLogIndex: count, prevLogTerm: count,
    entries: list(checkEntry, MAX_ENTRIES_PER_FRAME, { frozen: true }), leaderCommit: count, readRound: count,
  }),
  AppendEntriesReply: object<AppendEntriesReply>({
    type: literal('AppendEntriesReply'), ...addressing, success: boolean, matchIndex: count, conflictTerm: count,
    conflictIndex: count, readRound: count,
  }),
  // A snapshot holds committed entries, whose terms never exceed the sender's: refused here, before it can move our term.
  InstallSnapshot: refined(object<InstallSnapshot>({
    type: literal('InstallSnapshot'), ...addressing, lastIncludedIndex: integer(1), lastIncludedTerm: integer(1), offset: count,
    data: text(0, MAX_SNAPSHOT_CHUNK_CHARS), done: boolean,
    /** The snapshot's configuration; absent: the bootstrap configuration (a snapshot taken before any change). */
    config: optional(checkConfiguration),
  }), (message) => message.lastIncludedTerm <= message.term, 'lastIncludedTerm must not exceed term', 'lastIncludedTerm'),
  InstallSnapshotReply: object<InstallSnapshotReply>({
    type: literal('InstallSnapshotReply'), ...addressing, lastIncludedIndex: integer(1), bytesStored: count, done: boolean,
  }),
  TimeoutNow: object<TimeoutNow>({ type: literal('TimeoutNow'), ...addressing }),
});

/** A message of the right shape that a correct Raft server could send (messageProblem). */
export const checkMessage: Check<Message> = (value) => {
  const message = checkMessageShape(value);
  const problem = messageProblem(message);
  return problem === null ? message : fail(`not a message a Raft server sends: ${problem}`);
};

export const checkPeerFrame: Check<PeerFrame> = object<PeerFrame>({
  v: literal(PEER_FRAME_VERSION),
  id: text(1, MAX_MESSAGE_ID_CHARS),
  sentAtNs: finite(0),
  deliverAtMs: optional(finite(0)),
  msg: checkMessage,
});
