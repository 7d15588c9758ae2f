// Opening a node's data directory: replay first and read the snapshot the WAL refers to (refusing, untouched, on
// corruption of either), then clean up what a crash can leave behind (a stale compaction temp file, a torn last
// record, snapshot files no record refers to), make sure zeros follow the last record (preallocated space, so the
// torn bytes can never be read back as records), then hand out the live WAL.

import { mkdir, open, readFile, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PersistedState, Snapshot } from '../../raft/types';
import { LogMirror } from './log-mirror';
import { replayWalBytes, type ReplayResult, type TornTail } from './replay';
import { readSnapshotFile, removeSnapshotFilesExcept } from './snapshot-file';
import { FileWal, type Wal } from './wal';
import { preallocatedLength, replaceWalFile, syncDirectory, walPath, walTempPath, writeZeros, WAL_MAGIC, type WalExtent } from './wal-files';
import { resolveWalOptions, type WalOptions } from './wal-options';

export interface RecoveryReport {
  readonly path: string;
  /** True when there was no WAL yet and an empty one was created. */
  readonly createdFile: boolean;
  /** Intact records replayed. */
  readonly records: number;
  /** Length of the intact prefix after recovery: where appends continue. */
  readonly validBytes: number;
  /** File length after recovery: the intact prefix and the preallocated zeros after it. */
  readonly fileBytes: number;
  /** The half-written last record a crash left, now cut away (zeros in its place); null when the file ended cleanly. */
  readonly tornTail: TornTail | null;
  /** A compaction was interrupted by a crash; its temp file was deleted (the live file was never touched by it). */
  readonly removedTempFile: boolean;
  /** Snapshot files deleted because no record refers to them (a crash before their record, or after a newer one). */
  readonly removedSnapshotFiles: readonly string[];
  /** Last index of the recovered snapshot; 0 when there is none. */
  readonly snapshotIndex: number;
  readonly lastIndex: number;
  readonly term: number;
  readonly durationMs: number;
}

export interface OpenedWal {
  readonly wal: Wal;
  readonly recovered: PersistedState;
  readonly report: RecoveryReport;
}

/**
 * Opens (creating if needed) the WAL in `dir` and replays it. Throws WalCorruptionError, changing nothing on disk,
 * when a damaged record has intact records after it.
 */
export async function openWal(dir: string, options: WalOptions = {}): Promise<OpenedWal> {
  const startedMs = performance.now();
  const resolvedOptions = resolveWalOptions(options);
  await makeDirectoryDurably(dir);
  const path = walPath(dir);
  const existing = await readIfExists(path);
  const replay: ReplayResult =
    existing === null
      ? { mirror: new LogMirror(), records: 0, validBytes: WAL_MAGIC.length, tornTail: null,
        freeBytes: preallocatedLength(WAL_MAGIC.length, resolvedOptions.preallocateBytes) - WAL_MAGIC.length }
      : replayWalBytes(existing, path);
  const ref = replay.mirror.snapshot;
  const snapshot: Snapshot | null = ref === null ? null
    : { lastIncludedIndex: ref.index, lastIncludedTerm: ref.term, data: await readSnapshotFile(dir, ref),
      ...(ref.config === undefined ? {} : { config: ref.config }) };
  const removedSnapshotFiles = await removeSnapshotFilesExcept(dir, ref);
  const removedTempFile = await removeIfExists(walTempPath(dir));
  if (existing === null) await replaceWalFile(dir, async (_handle, offset) => offset, resolvedOptions.preallocateBytes);
  const handle = await open(path, 'r+');
  let extent: WalExtent;
  try {
    extent = await prepareFreeSpace(handle, replay, resolvedOptions.preallocateBytes);
  } catch (error) {
    await handle.close();
    throw error;
  }
  const wal = new FileWal(dir, handle, extent, replay.mirror, resolvedOptions);
  const report: RecoveryReport = {
    path,
    createdFile: existing === null,
    records: replay.records,
    validBytes: replay.validBytes,
    fileBytes: extent.fileBytes,
    tornTail: replay.tornTail,
    removedTempFile,
    removedSnapshotFiles,
    snapshotIndex: replay.mirror.snapshotIndex,
    lastIndex: replay.mirror.lastIndex,
    term: replay.mirror.hardState.term,
    durationMs: performance.now() - startedMs,
  };
  const { hardState, entries } = replay.mirror.state();
  // `snapshot` only when there is one: a WAL that never compacted recovers exactly what it did before snapshots.
  const recovered: PersistedState = snapshot === null ? { hardState, entries } : { hardState, snapshot, entries };
  return { wal, recovered, report };
}

/**
 * Leaves zeros after the intact prefix, durably, before anything is appended there. A torn tail is cut off (with the
 * zeros after it) and the space preallocated again, so no byte of it can later be read back as part of a record;
 * a file from before preallocation (its data runs to its end) is preallocated the same way. A clean preallocated file
 * is left as it is. A crash in between leaves the cut or the old torn tail, which the next open handles the same way.
 */
async function prepareFreeSpace(handle: FileHandle, replay: ReplayResult, preallocateBytes: number): Promise<WalExtent> {
  const endBytes = replay.validBytes;
  if (replay.freeBytes > 0) return { endBytes, fileBytes: endBytes + replay.freeBytes };
  if (replay.tornTail !== null) await handle.truncate(endBytes);
  const fileBytes = preallocatedLength(endBytes, preallocateBytes);
  await writeZeros(handle, endBytes, fileBytes);
  await handle.datasync();
  return { endBytes, fileBytes };
}

async function makeDirectoryDurably(dir: string): Promise<void> {
  const firstCreated = await mkdir(dir, { recursive: true });
  if (firstCreated !== undefined) await syncDirectory(dirname(firstCreated));
}

export async function readIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isMissingFile(error)) return null;
    throw error;
  }
}

async function removeIfExists(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch (error) {
    if (isMissingFile(error)) return false;
    throw error;
  }
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT';
}
