// The JSON payload of one WAL record (JSON measured faster than msgpack on this machine):
//
//   {"h":[term,votedFor]}                      hard state only
//   {"i":firstIndex,"e":[[term,command],...]}  entries: the stored log is cut at firstIndex, then these appended; a
//                                              configuration entry is [term,null,{"voters":[..],"learners":[..],
//                                              "outgoing":[..]}] (files from before membership have none)
//   {"h":[...],"i":...,"e":[...]}              both, applied hard state first; one record, so both or neither survive
//   {"s":[index,term,generation,bytes,config?],...}  a snapshot (config: its configuration, when it has one) (its data is in a file of its own: snapshot-file.ts),
//                                              applied before "h" and "e": entries up to index are dropped, and
//                                              the rest too unless the stored entry at index has that term (Fig. 13)
//
// Entries carry no index of their own: firstIndex + position is the index, so a record cannot describe a gapped log.

import type { Configuration, Entry, HardState } from '../../raft/types';
import { decodeConfiguration, encodeConfiguration } from './configuration-json';
import type { SnapshotRef } from './snapshot-file';

/** What one record tells replay to do. `entries` is empty when the record carries only a hard state. */
export interface WalRecord {
  readonly snapshot: SnapshotRef | null;
  readonly hardState: HardState | null;
  readonly entries: readonly Entry[];
}

/** Entries per record stay under about this many UTF-16 code units of JSON (<= 3 bytes each in UTF-8). */
const RECORD_TARGET_CHARS = 1024 * 1024;

/**
 * Payloads for one write. Large entry batches become several records; each starts right after the previous one, so
 * replaying them in order gives the same log as one record would have (and a prefix of them gives a prefix of it).
 */
export function encodeRecordPayloads(snapshot: SnapshotRef | null, hardState: HardState | null,
  entries: readonly Entry[]): string[] {
  const fields: string[] = [];
  if (snapshot !== null) {
    const config = snapshot.config === undefined ? '' : `,${encodeConfiguration(snapshot.config)}`;
    fields.push(`"s":[${snapshot.index},${snapshot.term},${snapshot.generation},${snapshot.bytes}${config}]`);
  }
  if (hardState !== null) fields.push(`"h":[${hardState.term},${hardState.votedFor ?? 'null'}]`);
  const headFields = fields.length === 0 ? null : fields.join(',');
  if (entries.length === 0) {
    if (headFields === null) throw new Error('encodeRecordPayloads: nothing to encode');
    return [`{${headFields}}`];
  }
  const payloads: string[] = [];
  let chunk: string[] = [];
  let chunkChars = 0;
  let chunkFirstIndex = entries[0]!.index;
  const flush = (): void => {
    const prefix = payloads.length === 0 && headFields !== null ? `${headFields},` : '';
    payloads.push(`{${prefix}"i":${chunkFirstIndex},"e":[${chunk.join(',')}]}`);
    chunk = [];
    chunkChars = 0;
  };
  for (const entry of entries) {
    const encoded = entry.config === undefined ? `[${entry.term},${JSON.stringify(entry.command)}]`
      : `[${entry.term},null,${encodeConfiguration(entry.config)}]`;
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
    if (key !== 's' && key !== 'h' && key !== 'i' && key !== 'e') throw new Error(`unknown field "${key}"`);
  }
  const snapshot = parsed.s === undefined ? null : decodeSnapshotRef(parsed.s);
  const hardState = parsed.h === undefined ? null : decodeHardState(parsed.h);
  const entries = parsed.e === undefined && parsed.i === undefined ? [] : decodeEntries(parsed.i, parsed.e);
  if (snapshot === null && hardState === null && entries.length === 0) {
    throw new Error('record carries neither snapshot, hard state nor entries');
  }
  return { snapshot, hardState, entries };
}

function decodeSnapshotRef(field: unknown): SnapshotRef {
  if (!Array.isArray(field) || (field.length !== 4 && field.length !== 5)) throw new Error('"s" is not [index, term, generation, bytes, config?]');
  const [index, term, generation, bytes, config] = field as unknown[];
  if (!isCount(index) || index < 1) throw new Error(`snapshot index ${String(index)} is not an index >= 1`);
  if (!isCount(term)) throw new Error(`snapshot term ${String(term)} is not a non-negative integer`);
  if (!isCount(generation) || generation < 1) throw new Error(`snapshot generation ${String(generation)} is not >= 1`);
  if (!isCount(bytes)) throw new Error(`snapshot length ${String(bytes)} is not a non-negative integer`);
  if (field.length === 4) return { index, term, generation, bytes };
  return { index, term, generation, bytes, config: decodeConfiguration(config, `snapshot ${index}'s configuration`) };
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
    if (!Array.isArray(item) || (item.length !== 2 && item.length !== 3)) throw new Error(`entry ${position} is not [term, command] or [term, null, config]`);
    const [term, command, config] = item as unknown[];
    if (!isCount(term)) throw new Error(`entry ${position} term ${String(term)} is not a non-negative integer`);
    if (item.length === 3) {
      if (command !== null) throw new Error(`configuration entry ${position} carries a command`);
      const decoded: Configuration = decodeConfiguration(config, `entry ${position}'s configuration`);
      return { index: firstIndex + position, term, command: null, config: decoded };
    }
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
