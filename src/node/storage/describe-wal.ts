// A read-only summary of a data directory's WAL for the UI and CLI. Never changes the directory (a torn tail is
// counted out, not cut; a corrupt file throws WalCorruptionError like openWal does).

import { readIfExists } from './open-wal';
import { replayWalBytes } from './replay';
import { walPath } from './wal-files';

export interface WalDescription {
  /** Intact records. */
  readonly records: number;
  /** File size, torn tail and preallocated zeros included. 0 when there is no WAL. */
  readonly bytes: number;
  /** The intact records' end (header included): where the next record goes. 0 when there is no WAL. */
  readonly dataBytes: number;
  /** Preallocated zeros after the last record, free for appends (0 with a torn tail, which openWal cuts first). */
  readonly freeBytes: number;
  /** Last index of the snapshot the WAL refers to (0: none); the log holds snapshotIndex + 1..lastIndex. */
  readonly snapshotIndex: number;
  readonly lastIndex: number;
  readonly term: number;
  /** The vote recorded with the term (null: none cast in it). */
  readonly votedFor: number | null;
}

export async function describeWal(dir: string): Promise<WalDescription> {
  const path = walPath(dir);
  const bytes = await readIfExists(path);
  if (bytes === null) return { records: 0, bytes: 0, dataBytes: 0, freeBytes: 0, snapshotIndex: 0, lastIndex: 0, term: 0, votedFor: null };
  const replay = replayWalBytes(bytes, path);
  return {
    records: replay.records,
    bytes: bytes.length,
    dataBytes: replay.validBytes,
    freeBytes: replay.freeBytes,
    snapshotIndex: replay.mirror.snapshotIndex,
    lastIndex: replay.mirror.lastIndex,
    term: replay.mirror.hardState.term,
    votedFor: replay.mirror.hardState.votedFor,
  };
}
