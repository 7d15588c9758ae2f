// The node's durable write-ahead log: one file, `raft.wal`, in the node's data directory.
//
//   file   = "RAFTWAL1" record* zero*     (zeros: preallocated space, up to the next multiple of 1 MiB; wal-files.ts)
//   record = [u32 LE payloadBytes][u32 LE crc32c(length field ‖ payload)][JSON payload]   (record-frame.ts)
//   payload: hard state and/or entries with "replace the log from entries[0].index" semantics (record-payload.ts)
//
//   snapshots: files of their own (snapshot-<index>-<generation>.snap, snapshot-file.ts), referred to by records
//
// Recovery: an all-zero tail is the clean end. A damaged last record is a torn write and is cut away (reported),
// the space zeroed again before any append; damage followed by intact records, or by non-zero bytes a torn write
// into the zeros cannot leave, is corruption and opening refuses (replay.ts), as it does when the snapshot the WAL
// refers to is missing or damaged. Compaction
// rewrites snapshot reference + hard state + the log after the snapshot into a temp file, fsyncs, renames it over.

export { openWal, type OpenedWal, type RecoveryReport } from './open-wal';
export { describeWal, type WalDescription } from './describe-wal';
export { WalCorruptionError } from './wal-errors';
export type { Wal, WalStats } from './wal';
export type { WalOptions } from './wal-options';
export type { TornTail } from './replay';
export { WAL_FILE_NAME, WAL_TEMP_FILE_NAME } from './wal-files';
export { MAX_SNAPSHOT_BYTES, snapshotFileName, type SnapshotRef } from './snapshot-file';
