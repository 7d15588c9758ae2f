// Client commands that go through the Raft log (writes, and the registration of a client session), and their text
// encoding. Reads do not go through the log: they use ReadIndex (dissertation §6.4) and are served by
// KvStateMachine.read.
//
// Sessions (dissertation §6.3): a client first registers (`{"clientId":…,"op":"register"}`); the index of that entry
// is its session id, which every later write carries (`session`) with its sequence number. A write without `session`
// is the older form, from before sessions were registered: still decoded so that logs and snapshots written then
// replay the same, but no client sends it any more (the client protocol requires a session for writes).
//
// The encoded text crosses process boundaries and is stored in every replica's log, so decoding is strict: exactly
// the fields of the operation, each of the right type and size, and nothing else.
import { KV_MAX_COMMAND_CHARS } from './limits';
import { clientIdProblem, describe, firstExtraField, isJsonObject, keyProblem, valueProblem } from './validate';

interface CommandBase {
  /** Names the client (shown in the lab; with no `session`, it identifies the session itself: the older form). */
  readonly clientId: string;
  /** The client's session: the index of its register entry (dissertation §6.3). Absent in the older form. */
  readonly session?: number;
  /** Per-session request number, starting at 1 and increasing by one per new request; a retry reuses it. */
  readonly seq: number;
  readonly key: string;
}

export interface KvPut extends CommandBase {
  readonly op: 'put';
  readonly value: string;
}

export interface KvDelete extends CommandBase {
  readonly op: 'delete';
}

/** Compare-and-set: sets `to` only if the current value equals `from`; an absent key never matches. */
export interface KvCas extends CommandBase {
  readonly op: 'cas';
  readonly from: string;
  readonly to: string;
}

/** Opens a client session (dissertation §6.3, RegisterClient); the session's id is this entry's log index. */
export interface KvRegister {
  readonly op: 'register';
  readonly clientId: string;
}

/** A write. */
export type KvCommand = KvPut | KvDelete | KvCas;
export type KvWriteOp = KvCommand['op'];
/** Everything a client puts in the log. */
export type KvLogCommand = KvCommand | KvRegister;

export class KvCommandError extends Error {
  override readonly name = 'KvCommandError';
}

const FIELDS_BY_OP: Readonly<Record<KvWriteOp, readonly string[]>> = {
  put: ['clientId', 'session', 'seq', 'op', 'key', 'value'],
  delete: ['clientId', 'session', 'seq', 'op', 'key'],
  cas: ['clientId', 'session', 'seq', 'op', 'key', 'from', 'to'],
};
const REGISTER_FIELDS: readonly string[] = ['clientId', 'op'];

/** Encodes a command for the log. Throws KvCommandError if the command is invalid, so junk never enters the log. */
export function encodeKvCommand(command: KvLogCommand): string {
  // The validated copy is built in the encoding's fixed field order, and JSON.stringify leaves out an absent session:
  // the same command always encodes to the same text. (No second copy: this runs for every client write.)
  return JSON.stringify(validateKvLogCommand(command));
}

/** Decodes a write from the log or the wire. Throws KvCommandError saying what is wrong (a register is not a write). */
export function decodeKvCommand(text: string): KvCommand {
  const command = decodeKvLogCommand(text);
  if (command.op === 'register') throw new KvCommandError('a register command is not a write');
  return command;
}

/** Decodes any command a client puts in the log (a write or a register). Throws KvCommandError saying what is wrong. */
export function decodeKvLogCommand(text: string): KvLogCommand {
  if (typeof text !== 'string') throw new KvCommandError(`command must be a string, got ${describe(text)}`);
  if (text.length > KV_MAX_COMMAND_CHARS) {
    throw new KvCommandError(`command is ${text.length} characters, more than the ${KV_MAX_COMMAND_CHARS} limit`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new KvCommandError(`command is not valid JSON: ${(error as Error).message}`);
  }
  return validateKvLogCommand(parsed);
}

/** Checks that an untrusted value is a valid write and returns a fresh copy holding only its fields. */
export function validateKvCommand(value: unknown): KvCommand {
  const command = validateKvLogCommand(value);
  if (command.op === 'register') throw new KvCommandError('a register command is not a write');
  return command;
}

/** Checks that an untrusted value is a valid write or register command and returns a fresh copy of its fields. */
export function validateKvLogCommand(value: unknown): KvLogCommand {
  if (!isJsonObject(value)) throw new KvCommandError(`command must be a JSON object, got ${describe(value)}`);
  const op = value['op'];
  if (op === 'register') {
    const extra = firstExtraField(value, REGISTER_FIELDS);
    if (extra !== null) throw new KvCommandError(`unexpected field "${extra}" in a register command`);
    fail(clientIdProblem(value['clientId']));
    return { clientId: value['clientId'] as string, op };
  }
  if (op !== 'put' && op !== 'delete' && op !== 'cas') {
    throw new KvCommandError(`"op" must be "put", "delete", "cas" or "register", got ${JSON.stringify(op) ?? 'nothing'}`);
  }
  const allowed = FIELDS_BY_OP[op];
  const extra = firstExtraField(value, allowed);
  if (extra !== null) throw new KvCommandError(`unexpected field "${extra}" in a ${op} command`);
  for (const field of allowed) {
    if (field !== 'session' && !Object.hasOwn(value, field)) throw new KvCommandError(`missing field "${field}" in a ${op} command`);
  }
  const clientId = value['clientId'];
  const session = value['session'];
  const seq = value['seq'];
  const key = value['key'];
  fail(clientIdProblem(clientId));
  fail(sessionProblem(session, clientId as string));
  fail(seqProblem(seq));
  fail(keyProblem(key));
  // One object per command, its fields in the encoding's order (clientId, session, seq, op, key, ...): encodeKvCommand
  // stringifies it as it is, and an absent session (the older form) is an undefined field JSON.stringify leaves out.
  const id = clientId as string;
  const sessionId = session as number | undefined;
  const n = seq as number;
  const k = key as string;
  switch (op) {
    case 'put':
      fail(valueProblem(value['value'], 'value'));
      return { clientId: id, session: sessionId, seq: n, op, key: k, value: value['value'] as string };
    case 'delete':
      return { clientId: id, session: sessionId, seq: n, op, key: k };
    case 'cas':
      fail(valueProblem(value['from'], 'from'));
      fail(valueProblem(value['to'], 'to'));
      return { clientId: id, session: sessionId, seq: n, op, key: k, from: value['from'] as string, to: value['to'] as string };
  }
}

/**
 * A session is a log index (>= 1). Without one (the older form) the client id names the session, and may not start
 * with "#", the prefix the state machine gives registered sessions (so the two can never be confused).
 */
function sessionProblem(session: unknown, clientId: string): string | null {
  if (session === undefined) return clientId.startsWith('#') ? `a client id starting with "#" needs a "session"` : null;
  if (typeof session !== 'number' || !Number.isSafeInteger(session) || session < 1) {
    return `"session" must be a positive integer (the index of the client's register entry), got ${describe(session)}`;
  }
  return null;
}

function seqProblem(seq: unknown): string | null {
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
    return `"seq" must be a positive integer, got ${describe(seq)}`;
  }
  return null;
}

function fail(problem: string | null): void {
  if (problem !== null) throw new KvCommandError(problem);
}
