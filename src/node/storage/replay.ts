// Rebuilds the state from a WAL file's bytes. Pure (no I/O) so describeWal and openWal share it and tests can feed
// it any bytes. Policy, from the first offset that does not hold an intact record:
//   - only zeros from there to the end of the file: the clean end (the preallocated space, wal-files.ts). A zero
//     payload length is never a valid frame (record-frame.ts), so zeros cannot be mistaken for a record;
//   - an intact record follows somewhere: corruption, throws (dropping the bad record could lose committed data);
//   - the file's last byte is not zero: a write cut short at the end of the file, a torn tail (files from before
//     preallocation, or a write that filled the preallocated space);
//   - zeros at the end: a torn tail only if every non-zero byte lies inside the frames the torn write's headers span
//     (a header followed by part of its payload, or a whole frame whose CRC fails, then zeros). Anything non-zero
//     beyond them cannot come from one write cut short in zeroed space: corruption, throws. (A power loss that
//     persisted a later sector of an unsynced write but not the one with its frame header lands here too: opening
//     then refuses and changes nothing rather than guess. A killed process cannot cause it: the page cache survives.)
// A torn tail is reported; openWal cuts it away and preallocates again.

import { decodeRecordPayload } from './record-payload';
import { FRAME_HEADER_BYTES, findIntactFrameAfter, MAX_FRAME_PAYLOAD_BYTES, readFrame } from './record-frame';
import { LogMirror } from './log-mirror';
import { WalCorruptionError } from './wal-errors';
import { WAL_MAGIC } from './wal-files';

export interface TornTail {
  /** Byte offset where the torn record starts; appends continue here once the torn bytes are gone. */
  readonly offset: number;
  /** The torn write's bytes (the zeros of the preallocated space after it are not counted). */
  readonly droppedBytes: number;
  readonly reason: string;
}

export interface ReplayResult {
  readonly mirror: LogMirror;
  readonly records: number;
  /** Length of the intact prefix: header plus every record replayed. Appends continue here. */
  readonly validBytes: number;
  /** Zeros after the intact prefix (the preallocated space); 0 when there is a torn tail. */
  readonly freeBytes: number;
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
  return { mirror, records, validBytes: offset, freeBytes: 0, tornTail: null };
}

function endAtBadFrame(
  bytes: Buffer,
  path: string,
  offset: number,
  reason: string,
  replayed: { mirror: LogMirror; records: number },
): ReplayResult {
  const lastNonZero = lastNonZeroOffset(bytes, offset);
  if (lastNonZero === -1) return { ...replayed, validBytes: offset, freeBytes: bytes.length - offset, tornTail: null };
  const intactOffset = findIntactFrameAfter(bytes, offset);
  if (intactOffset !== null) {
    throw new WalCorruptionError(path, offset, `${reason}; an intact record follows at offset ${intactOffset}`);
  }
  if (lastNonZero === bytes.length - 1) {
    return { ...replayed, validBytes: offset, freeBytes: 0, tornTail: { offset, droppedBytes: bytes.length - offset, reason } };
  }
  const tornEnd = tornWriteEnd(bytes, offset);
  if (lastNonZero >= tornEnd) {
    throw new WalCorruptionError(path, offset, `${reason}; non-zero bytes at offset ${lastNonZero}, in the zeroed ` +
      `space past the end (${tornEnd}) of the frames a torn write there could have left`);
  }
  return { ...replayed, validBytes: offset, freeBytes: 0, tornTail: { offset, droppedBytes: tornEnd - offset, reason } };
}

/** The offset of the last non-zero byte at or after `from`, or -1 when there is none. */
function lastNonZeroOffset(bytes: Buffer, from: number): number {
  for (let offset = bytes.length - 1; offset >= from; offset--) if (bytes[offset] !== 0) return offset;
  return -1;
}

/**
 * Where the frames written from `offset` on would end, by their headers alone (their CRCs are not checked: a torn
 * frame's is wrong). Follows one header to the next until a zero header; a header whose length is impossible spans
 * only its own bytes. Never beyond the end of `bytes`.
 */
function tornWriteEnd(bytes: Buffer, offset: number): number {
  let end = offset;
  while (end + 4 <= bytes.length) {
    const payloadBytes = bytes.readUInt32LE(end);
    const headerEnd = Math.min(bytes.length, end + FRAME_HEADER_BYTES);
    if (payloadBytes === 0) return bytes.subarray(end, headerEnd).some((byte) => byte !== 0) ? headerEnd : end;
    if (payloadBytes > MAX_FRAME_PAYLOAD_BYTES) return headerEnd;
    end = Math.min(bytes.length, headerEnd + payloadBytes);
  }
  return bytes.length;
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
