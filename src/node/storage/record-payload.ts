// The JSON payload of one WAL record (JSON measured faster than msgpack on this machine):
//
//   {"h":[term,votedFor]}                      hard state only
//   {"i":firstIndex,"e":[[term,command],...]}  entries: the stored log is cut at firstIndex, then these appended
//   {"h":[...],"i":...,"e":[...]}              both, applied hard state first; one record, so both or neither survive
//
// Entries carry no index of their own: firstIndex + position is the index, so a record cannot describe a gapped log.

import type { Entry, HardState } from '../../raft/types';

/** What one record tells replay to do. `entries` is empty when the record carries only a hard state. */
export interface WalRecord {
  readonly hardState: HardState | null;
  readonly entries: readonly Entry[];
}

/** Entries per record stay under about this many UTF-16 code units of JSON (<= 3 bytes each in UTF-8). */
const RECORD_TARGET_CHARS = 1024 * 1024;

/**
 * Payloads for one write. Large entry batches become several records; each starts right after the previous one, so
 * replaying them in order gives the same log as one record would have (and a prefix of them gives a prefix of it).
 */
export function encodeRecordPayloads(hardState: HardState | null, entries: readonly Entry[]): string[] {
  const hardStateField = hardState === null ? null : `"h":[${hardState.term},${hardState.votedFor ?? 'null'}]`;
  if (entries.length === 0) {
    if (hardStateField === null) throw new Error('encodeRecordPayloads: nothing to encode');
    return [`{${hardStateField}}`];
  }
  const payloads: string[] = [];
  let chunk: string[] = [];
  let chunkChars = 0;
  let chunkFirstIndex = entries[0]!.index;
  const flush = (): void => {
    const prefix = payloads.length === 0 && hardStateField !== null ? `${hardStateField},` : '';
    payloads.push(`{${prefix}"i":${chunkFirstIndex},"e":[${chunk.join(',')}]}`);
    chunk = [];
    chunkChars = 0;
  };
  for (const entry of entries) {
    const encoded = `[${entry.term},${JSON.stringify(entry.command)}]`;
    if (chunk.length > 0 && chunkChars + encoded.length > RECORD_TARGET_CHARS) {
      flush();
      chunkFirstIndex = entry.index;
    }
    chunk.push(encoded);
    chunkChars += encoded.length + 1;
  }
  flush();
  return payloads;
}

/** Parses and validates one payload; throws Error saying what is wrong. */
export function decodeRecordPayload(payload: Buffer): WalRecord {
  const parsed: unknown = JSON.parse(payload.toString('utf8'));
  if (!isPlainObject(parsed)) throw new Error('payload is not a JSON object');
  for (const key of Object.keys(parsed)) {
    if (key !== 'h' && key !== 'i' && key !== 'e') throw new Error(`unknown field "${key}"`);
  }
  const hardState = parsed.h === undefined ? null : decodeHardState(parsed.h);
  const entries = parsed.e === undefined && parsed.i === undefined ? [] : decodeEntries(parsed.i, parsed.e);
  if (hardState === null && entries.length === 0) throw new Error('record carries neither hard state nor entries');
  return { hardState, entries };
}

function decodeHardState(field: unknown): HardState {
  if (!Array.isArray(field) || field.length !== 2) throw new Error('"h" is not [term, votedFor]');
  const [term, votedFor] = field as unknown[];
  if (!isCount(term)) throw new Error(`hard state term ${String(term)} is not a non-negative integer`);
  if (votedFor !== null && !(isCount(votedFor) && votedFor >= 1)) {
    throw new Error(`hard state votedFor ${String(votedFor)} is neither null nor a node id`);
  }
  return { term, votedFor };
}

function decodeEntries(firstIndex: unknown, field: unknown): Entry[] {
  if (!isCount(firstIndex) || firstIndex < 1) throw new Error(`"i" ${String(firstIndex)} is not an index >= 1`);
  if (!Array.isArray(field) || field.length === 0) throw new Error('"e" is not a non-empty array');
  return field.map((item: unknown, position): Entry => {
    if (!Array.isArray(item) || item.length !== 2) throw new Error(`entry ${position} is not [term, command]`);
    const [term, command] = item as unknown[];
    if (!isCount(term)) throw new Error(`entry ${position} term ${String(term)} is not a non-negative integer`);
    if (command !== null && typeof command !== 'string') throw new Error(`entry ${position} command is not text`);
    return { index: firstIndex + position, term, command };
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
