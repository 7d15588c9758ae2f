// Where the WAL lives in a node's data directory, and the one way a WAL file is ever created: written in full to a
// temp file, fsynced, renamed over the live name, directory fsynced. So the live file always starts with a whole
// header, and a crash during compaction leaves either the old file or the new one, plus at most a stale temp file.
//
// Preallocation: past its last record a file holds zeros up to a multiple of the preallocation step (wal-options.ts),
// written and synced before any record may land there, so replay can read an all-zero tail as the clean end.

import { fdatasyncSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileHandle } from 'node:fs/promises';

export const WAL_FILE_NAME = 'raft.wal';
export const WAL_TEMP_FILE_NAME = 'raft.wal.tmp';
/** File header: format name and version. A file without it is not ours (or from a future version). */
export const WAL_MAGIC = Buffer.from('RAFTWAL1', 'latin1');

export function walPath(dir: string): string {
  return join(dir, WAL_FILE_NAME);
}

export function walTempPath(dir: string): string {
  return join(dir, WAL_TEMP_FILE_NAME);
}

/** Makes renames and creations inside `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface WalExtent {
  /** Offset after the last record: where the next record goes. */
  readonly endBytes: number;
  /** File length: endBytes plus the preallocated zeros after it. */
  readonly fileBytes: number;
}

/**
 * The file length that preallocates past `endBytes`: the next multiple of `stepBytes` strictly above it, so there is
 * always room for at least one more byte.
 */
export function preallocatedLength(endBytes: number, stepBytes: number): number {
  return (Math.floor(endBytes / stepBytes) + 1) * stepBytes;
}

/**
 * Replaces the WAL in `dir` atomically with the header followed by what `writeBody` writes (it gets the handle and
 * the offset to write at, and returns the offset after its last byte), then zeros up to the preallocated length.
 */
export async function replaceWalFile(
  dir: string,
  writeBody: (handle: FileHandle, offset: number) => Promise<number>,
  preallocateBytes: number,
): Promise<WalExtent> {
  return writeFileAtomically(dir, walTempPath(dir), walPath(dir), async (handle) => {
    await writeFully(handle, WAL_MAGIC, 0);
    const endBytes = await writeBody(handle, WAL_MAGIC.length);
    const fileBytes = preallocatedLength(endBytes, preallocateBytes);
    await writeZeros(handle, endBytes, fileBytes);
    return { endBytes, fileBytes };
  });
}

const ZEROS = Buffer.alloc(64 * 1024);

/** Writes zeros over [fromBytes, toBytes). The caller syncs. */
export async function writeZeros(handle: FileHandle, fromBytes: number, toBytes: number): Promise<void> {
  for (let offset = fromBytes; offset < toBytes; offset += ZEROS.length) {
    await writeFully(handle, ZEROS.subarray(0, Math.min(ZEROS.length, toBytes - offset)), offset);
  }
}

/**
 * Grows the file from `fileBytes` to `toBytes` with zeros and syncs them, on the calling thread (the WAL's hot path,
 * see FileWal.writeBatch). Synced before any record is written there: on a file system that can expose stale blocks
 * after a crash (ext4 data=writeback), replay would otherwise find garbage instead of zeros past the last record.
 */
export function extendWithZerosSync(fd: number, fileBytes: number, toBytes: number): void {
  for (let offset = fileBytes; offset < toBytes; offset += ZEROS.length) {
    writeFullySync(fd, ZEROS.subarray(0, Math.min(ZEROS.length, toBytes - offset)), offset);
  }
  fdatasyncSync(fd);
}

/**
 * Writes a file so that a crash leaves either the old `finalPath` or the complete new one, never a mix: `write` fills
 * a temp file, which is fsynced, renamed over `finalPath`, and the directory fsynced (so the rename is durable too).
 * On failure the temp file is removed and the error rethrown.
 */
export async function writeFileAtomically<T>(
  dir: string,
  tempPath: string,
  finalPath: string,
  write: (handle: FileHandle) => Promise<T>,
): Promise<T> {
  const handle = await open(tempPath, 'w');
  let result: T;
  try {
    result = await write(handle);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tempPath, { force: true });
    throw error;
  }
  await handle.close();
  await rename(tempPath, finalPath);
  await syncDirectory(dir);
  return result;
}

/** fs write may write fewer bytes than asked; loop until all are down. */
export async function writeFully(handle: FileHandle, bytes: Uint8Array, offset: number): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, offset + written);
    if (bytesWritten <= 0) throw new Error(`write to WAL made no progress at offset ${offset + written}`);
    written += bytesWritten;
  }
}

/** writeFully on the calling thread (see FileWal.writeBatch for why the hot path writes synchronously). */
export function writeFullySync(fd: number, bytes: Uint8Array, offset: number): void {
  let written = 0;
  while (written < bytes.length) {
    const bytesWritten = writeSync(fd, bytes, written, bytes.length - written, offset + written);
    if (bytesWritten <= 0) throw new Error(`write to WAL made no progress at offset ${offset + written}`);
    written += bytesWritten;
  }
}
