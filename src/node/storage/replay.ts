// Rebuilds the state from a WAL file's bytes. Pure (no I/O) so describeWal and openWal share it and tests can feed
// it any bytes. Policy: a bad record with nothing intact after it is a torn tail (a crash cut the last write short)
// and is reported for truncation; a bad record with intact records after it is corruption and throws.

import { decodeRecordPayload } from './record-payload';
import { findIntactFrameAfter, readFrame } from './record-frame';
import { LogMirror } from './log-mirror';
import { WalCorruptionError } from './wal-errors';
import { WAL_MAGIC } from './wal-files';

export interface TornTail {
  /** Byte offset where the torn record starts; the file is cut back to this length. */
  readonly offset: number;
  readonly droppedBytes: number;
  readonly reason: string;
}

export interface ReplayResult {
  readonly mirror: LogMirror;
  readonly records: number;
  /** Length of the intact prefix: header plus every record replayed. */
  readonly validBytes: number;
  readonly tornTail: TornTail | null;
}

/** Throws WalCorruptionError (naming `path` and the offset) on anything that is not a clean file or a torn tail. */
export function replayWalBytes(bytes: Buffer, path: string): ReplayResult {
  if (bytes.length < WAL_MAGIC.length || !bytes.subarray(0, WAL_MAGIC.length).equals(WAL_MAGIC)) {
    // Files are created atomically with their header, so a bad header is never a torn write.
    throw new WalCorruptionError(path, 0, `missing file header "${WAL_MAGIC.toString('latin1')}"`);
  }
  const mirror = new LogMirror();
  let offset = WAL_MAGIC.length;
  let records = 0;
  while (offset < bytes.length) {
    const frame = readFrame(bytes, offset);
    if (!frame.ok) return endAtBadFrame(bytes, path, offset, frame.reason, { mirror, records });
    applyRecord(mirror, frame.payload, path, offset);
    records++;
    offset = frame.nextOffset;
  }
  return { mirror, records, validBytes: offset, tornTail: null };
}

function endAtBadFrame(
  bytes: Buffer,
  path: string,
  offset: number,
  reason: string,
  replayed: { mirror: LogMirror; records: number },
): ReplayResult {
  const intactOffset = findIntactFrameAfter(bytes, offset);
  if (intactOffset !== null) {
    throw new WalCorruptionError(path, offset, `${reason}; an intact record follows at offset ${intactOffset}`);
  }
  const tornTail = { offset, droppedBytes: bytes.length - offset, reason };
  return { ...replayed, validBytes: offset, tornTail };
}

function applyRecord(mirror: LogMirror, payload: Buffer, path: string, offset: number): void {
  try {
    const record = decodeRecordPayload(payload);
    if (record.snapshot !== null) mirror.setSnapshot(record.snapshot);
    if (record.hardState !== null) mirror.setHardState(record.hardState);
    mirror.replaceFrom(record.entries);
  } catch (error) {
    // The CRC matched, so these bytes are what was written: a writer bug, not a crash. Never guess past it.
    const reason = error instanceof Error ? error.message : String(error);
    throw new WalCorruptionError(path, offset, `intact record with invalid content: ${reason}`);
  }
}
