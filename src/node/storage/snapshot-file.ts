// Snapshots (§7) live in files of their own next to the WAL, and the WAL holds only a reference to the current one
// (a "s" field in a record: index, term, generation, byte length). Why not snapshot records inside the WAL:
//  - a KV snapshot may be tens of MB (KV_MAX_STORE_BYTES is 64 MiB, more once JSON-escaped), beyond one record's
//    16 MiB payload; chunked records would need reassembly rules and torn-chunk handling of their own;
//  - the WAL is rewritten by its own compaction (snapshot-body.ts) whenever it grows: with the snapshot inside, every
//    such rewrite would copy tens of MB again; with a reference it copies a few bytes;
//  - the WAL mirror (log-mirror.ts) then never holds the snapshot's data, so the node keeps one copy (the core's).
//
// Crash safety: the file is written under a temp name, fsynced, renamed to a name no other snapshot ever had
// (snapshot-<index>-<generation>.snap) and the directory fsynced, all BEFORE the WAL record that refers to it is
// appended. So a crash leaves either the old reference (the new file is an unreferenced orphan, deleted at the next
// open) or the new one with its file whole on disk. Older files are deleted only once a newer reference is durable.
// A referenced file is never touched again, so any damage to it is corruption, reported with its path and offset.
//
//   file  = "RAFTSNP1" frame(header JSON {"index","term","generation","bytes"[,"config"]}) frame(data bytes)*
//           ("config": the snapshot's configuration, absent in files written before membership changes)
//   frame = record-frame.ts framing (length, CRC-32C); data frames hold up to 64 KiB of the data's UTF-8 bytes each
//           (files written before 2026-12-07 have frames of up to 1 MiB: the reader takes frames of any size)

import { open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeFrameBytes, FRAME_HEADER_BYTES, frameInPlace, readFrame } from './record-frame';
import { syncDirectory, writeFileAtomically, writeFully } from './wal-files';
import { WalCorruptionError } from './wal-errors';
import type { Configuration } from '../../raft/types';
import { encodeConfiguration } from './configuration-json';

/** What the WAL stores about the current snapshot; the data itself is in the file this names. */
export interface SnapshotRef {
  readonly index: number;
  readonly term: number;
  /** Distinguishes snapshot files with the same index (a follower may install one it had compacted to itself). */
  readonly generation: number;
  /** UTF-8 length of the data. */
  readonly bytes: number;
  /** The configuration as of `index` (dissertation ch. 4); absent in files from before membership changes. */
  readonly config?: Configuration;
}

export const SNAPSHOT_MAGIC = Buffer.from('RAFTSNP1', 'latin1');
const SNAPSHOT_TEMP_FILE_NAME = 'snapshot.tmp';
const SNAPSHOT_FILE_PATTERN = /^snapshot-(\d{1,16})-(\d{1,16})\.snap$/;
/**
 * Data bytes per frame. The writer encodes the data straight into one buffer of this size, frame after frame, so a
 * snapshot's write holds no UTF-8 copy of the whole data (a node's bench KV: ~650 KB, a copy per compaction).
 */
export const SNAPSHOT_DATA_FRAME_BYTES = 64 * 1024;
/** Upper bound on one snapshot's data; a KV snapshot stays far below (64 MiB of keys and values, JSON-escaped). */
export const MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024;

export function snapshotFileName(ref: SnapshotRef): string {
  return `snapshot-${ref.index}-${ref.generation}.snap`;
}

export function snapshotFilePath(dir: string, ref: SnapshotRef): string {
  return join(dir, snapshotFileName(ref));
}

/** The header frame's JSON: the file says which snapshot it is, so a mixed-up file is caught, not restored. */
function headerJson(ref: SnapshotRef): string {
  const head = `{"index":${ref.index},"term":${ref.term},"generation":${ref.generation},"bytes":${ref.bytes}`;
  return ref.config === undefined ? `${head}}` : `${head},"config":${encodeConfiguration(ref.config)}}`;
}

/**
 * Writes `data` as the snapshot file for `ref`, atomically and durably (temp file, fsync, rename, directory fsync).
 * ref.bytes is the data's UTF-8 length (snapshotDataBytes).
 */
export async function writeSnapshotFile(dir: string, ref: SnapshotRef, data: string): Promise<void> {
  const dataBytes = snapshotDataBytes(data);
  if (dataBytes !== ref.bytes) throw new Error(`snapshot data is ${dataBytes} bytes, its reference says ${ref.bytes}`);
  await writeFileAtomically(dir, join(dir, SNAPSHOT_TEMP_FILE_NAME), snapshotFilePath(dir, ref), async (handle) => {
    let offset = 0;
    const put = async (bytes: Buffer): Promise<void> => {
      await writeFully(handle, bytes, offset);
      offset += bytes.length;
    };
    await put(SNAPSHOT_MAGIC);
    await put(encodeFrameBytes(Buffer.from(headerJson(ref), 'utf8')));
    if (dataBytes === 0) return;
    const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + Math.min(SNAPSHOT_DATA_FRAME_BYTES, dataBytes));
    const payload = frame.subarray(FRAME_HEADER_BYTES);
    const encoder = new TextEncoder();
    let dataWritten = 0;
    // encodeInto never splits a character across frames, and a slice of a flat string is a view, not a copy.
    for (let charOffset = 0; charOffset < data.length;) {
      const { read, written } = encoder.encodeInto(charOffset === 0 ? data : data.slice(charOffset), payload);
      if (read === 0 || written === 0) throw new Error(`snapshot data made no progress at character ${charOffset}`);
      await put(frameInPlace(frame, written));
      charOffset += read;
      dataWritten += written;
    }
    if (dataWritten !== dataBytes) throw new Error(`snapshot data encoded to ${dataWritten} bytes, not ${dataBytes}`);
  });
}

/** A snapshot's data length in UTF-8 bytes (SnapshotRef.bytes), without encoding it. */
export function snapshotDataBytes(data: string): number {
  return Buffer.byteLength(data, 'utf8');
}

/**
 * Reads and verifies the snapshot file `ref` names; returns its data. Throws WalCorruptionError (path, offset) when
 * it is missing, damaged, or not the snapshot the reference describes: the WAL made it durable before referring to
 * it, so none of that is something a crash can cause.
 */
export async function readSnapshotFile(dir: string, ref: SnapshotRef): Promise<string> {
  const path = snapshotFilePath(dir, ref);
  let bytes: Buffer;
  try {
    bytes = await readWhole(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new WalCorruptionError(path, 0, `the WAL refers to snapshot ${ref.index} in this file, which cannot be read (${reason})`);
  }
  return decodeSnapshotFile(bytes, path, ref);
}

async function readWhole(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Pure part of readSnapshotFile, for tests. */
export function decodeSnapshotFile(bytes: Buffer, path: string, ref: SnapshotRef): string {
  if (bytes.length < SNAPSHOT_MAGIC.length || !bytes.subarray(0, SNAPSHOT_MAGIC.length).equals(SNAPSHOT_MAGIC)) {
    throw new WalCorruptionError(path, 0, `missing snapshot file header "${SNAPSHOT_MAGIC.toString('latin1')}"`);
  }
  let offset = SNAPSHOT_MAGIC.length;
  const header = readFrame(bytes, offset);
  if (!header.ok) throw new WalCorruptionError(path, offset, `snapshot header frame: ${header.reason}`);
  if (header.payload.toString('utf8') !== headerJson(ref)) {
    throw new WalCorruptionError(path, offset, `snapshot header ${header.payload.toString('utf8').slice(0, 200)} does not match ` +
      `the WAL's reference ${headerJson(ref)}`);
  }
  offset = header.nextOffset;
  const chunks: Buffer[] = [];
  let dataBytes = 0;
  while (offset < bytes.length) {
    const frame = readFrame(bytes, offset);
    if (!frame.ok) throw new WalCorruptionError(path, offset, `snapshot data frame: ${frame.reason}`);
    chunks.push(frame.payload);
    dataBytes += frame.payload.length;
    offset = frame.nextOffset;
  }
  if (dataBytes !== ref.bytes) {
    throw new WalCorruptionError(path, offset, `snapshot data is ${dataBytes} bytes, the reference says ${ref.bytes}`);
  }
  // Frames were cut at byte boundaries and are joined again before decoding; a fatal decoder refuses content that
  // passed the CRCs yet is not UTF-8 (a writer bug) instead of restoring a replacement-character version of the state.
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, dataBytes));
  } catch {
    throw new WalCorruptionError(path, SNAPSHOT_MAGIC.length, 'snapshot data is not valid UTF-8');
  }
  return text;
}

/**
 * Deletes snapshot files (and a stale temp file) other than `keep`'s. Called when no snapshot file is being written:
 * at open, and after a newer reference became durable. Returns the names deleted.
 */
export async function removeSnapshotFilesExcept(dir: string, keep: SnapshotRef | null): Promise<string[]> {
  const keepName = keep === null ? null : snapshotFileName(keep);
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    if (name === keepName || !(name === SNAPSHOT_TEMP_FILE_NAME || SNAPSHOT_FILE_PATTERN.test(name))) continue;
    await rm(join(dir, name), { force: true });
    removed.push(name);
  }
  if (removed.length > 0) await syncDirectory(dir);
  return removed;
}
