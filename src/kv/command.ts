// Client commands that go through the Raft log (writes), and their text encoding. Reads do not go through the log:
// they use ReadIndex (dissertation §6.4) and are served by KvStateMachine.read.
//
// The encoded text crosses process boundaries and is stored in every replica's log, so decoding is strict: exactly
// the fields of the operation, each of the right type and size, and nothing else.
import { KV_MAX_COMMAND_CHARS } from './limits';
import { clientIdProblem, describe, firstExtraField, isJsonObject, keyProblem, valueProblem } from './validate';

interface CommandBase {
  /** Identifies the client session (dissertation §6.3). */
  readonly clientId: string;
  /** Per-client request number, starting at 1 and increasing by one per new request; a retry reuses it. */
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

export type KvCommand = KvPut | KvDelete | KvCas;
export type KvWriteOp = KvCommand['op'];

export class KvCommandError extends Error {
  override readonly name = 'KvCommandError';
}

const FIELDS_BY_OP: Readonly<Record<KvWriteOp, readonly string[]>> = {
  put: ['clientId', 'seq', 'op', 'key', 'value'],
  delete: ['clientId', 'seq', 'op', 'key'],
  cas: ['clientId', 'seq', 'op', 'key', 'from', 'to'],
};

/** Encodes a command for the log. Throws KvCommandError if the command is invalid, so junk never enters the log. */
export function encodeKvCommand(command: KvCommand): string {
  const valid = validateKvCommand(command);
  // Fixed field order: the same command always encodes to the same text.
  switch (valid.op) {
    case 'put':
      return JSON.stringify({
        clientId: valid.clientId, seq: valid.seq, op: 'put', key: valid.key, value: valid.value,
      });
    case 'delete':
      return JSON.stringify({ clientId: valid.clientId, seq: valid.seq, op: 'delete', key: valid.key });
    case 'cas':
      return JSON.stringify({
        clientId: valid.clientId, seq: valid.seq, op: 'cas', key: valid.key, from: valid.from, to: valid.to,
      });
  }
}

/** Decodes a command from the log or the wire. Throws KvCommandError saying what is wrong. */
export function decodeKvCommand(text: string): KvCommand {
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
  return validateKvCommand(parsed);
}

/** Checks that an untrusted value is a valid KvCommand and returns a fresh copy holding only its fields. */
export function validateKvCommand(value: unknown): KvCommand {
  if (!isJsonObject(value)) throw new KvCommandError(`command must be a JSON object, got ${describe(value)}`);
  const op = value['op'];
  if (op !== 'put' && op !== 'delete' && op !== 'cas') {
    throw new KvCommandError(`"op" must be "put", "delete" or "cas", got ${JSON.stringify(op) ?? 'nothing'}`);
  }
  const allowed = FIELDS_BY_OP[op];
  const extra = firstExtraField(value, allowed);
  if (extra !== null) throw new KvCommandError(`unexpected field "${extra}" in a ${op} command`);
  for (const field of allowed) {
    if (!Object.hasOwn(value, field)) throw new KvCommandError(`missing field "${field}" in a ${op} command`);
  }
  const clientId = value['clientId'];
  const seq = value['seq'];
  const key = value['key'];
  fail(clientIdProblem(clientId));
  fail(seqProblem(seq));
  fail(keyProblem(key));
  const base = { clientId: clientId as string, seq: seq as number, key: key as string };
  switch (op) {
    case 'put':
      fail(valueProblem(value['value'], 'value'));
      return { ...base, op, value: value['value'] as string };
    case 'delete':
      return { ...base, op };
    case 'cas':
      fail(valueProblem(value['from'], 'from'));
      fail(valueProblem(value['to'], 'to'));
      return { ...base, op, from: value['from'] as string, to: value['to'] as string };
  }
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
