// Opening a node's data directory: replay first and read the snapshot the WAL refers to (refusing, untouched, on
// corruption of either), then clean up what a crash can leave behind (a stale compaction temp file, a torn last
// record, snapshot files no record refers to), then hand out the live WAL.

import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PersistedState, Snapshot } from '../../raft/types';
import { LogMirror } from './log-mirror';
import { replayWalBytes, type ReplayResult, type TornTail } from './replay';
import { readSnapshotFile, removeSnapshotFilesExcept } from './snapshot-file';
import { FileWal, type Wal } from './wal';
import { replaceWalFile, syncDirectory, walPath, walTempPath, WAL_MAGIC } from './wal-files';
import { resolveWalOptions, type WalOptions } from './wal-options';

export interface RecoveryReport {
  readonly path: string;
  /** True when there was no WAL yet and an empty one was created. */
  readonly createdFile: boolean;
  /** Intact records replayed. */
  readonly records: number;
  /** File length after recovery (the intact prefix). */
  readonly validBytes: number;
  /** The half-written last record a crash left, now cut away; null when the file ended cleanly. */
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
      ? { mirror: new LogMirror(), records: 0, validBytes: WAL_MAGIC.length, tornTail: null }
      : replayWalBytes(existing, path);
  const ref = replay.mirror.snapshot;
  const snapshot: Snapshot | null = ref === null ? null
    : { lastIncludedIndex: ref.index, lastIncludedTerm: ref.term, data: await readSnapshotFile(dir, ref),
      ...(ref.config === undefined ? {} : { config: ref.config }) };
  const removedSnapshotFiles = await removeSnapshotFilesExcept(dir, ref);
  const removedTempFile = await removeIfExists(walTempPath(dir));
  if (existing === null) await replaceWalFile(dir, async (_handle, offset) => offset);
  const handle = await open(path, 'r+');
  try {
    if (replay.tornTail !== null) {
      await handle.truncate(replay.validBytes);
      await handle.datasync(); // the cut must be on disk before new records go where the torn one was
    }
  } catch (error) {
    await handle.close();
    throw error;
  }
  const wal = new FileWal(dir, handle, replay.validBytes, replay.mirror, resolvedOptions);
  const report: RecoveryReport = {
    path,
    createdFile: existing === null,
    records: replay.records,
    validBytes: replay.validBytes,
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
