// Framing of one WAL record on disk:
//
//   [u32 LE payloadBytes][u32 LE crc32c(payloadBytes field ‖ payload)][payload: UTF-8 JSON, payloadBytes long]
//
// The CRC covers the length field too, so a flipped length bit is caught instead of sending the reader to a wrong
// offset. Payloads are JSON text, which never contains a byte below 0x20 (control characters are escaped); read as a
// u32, any four payload bytes are >= 0x20202020, far above MAX_FRAME_PAYLOAD_BYTES. So a valid-looking frame cannot be
// hiding inside another record's payload, which is what lets the reader tell a torn tail from mid-file corruption.
// A payload length of 0 is never valid (encodeFrame refuses it, readFrame reports it): that is what lets the zeros of
// the preallocated space after the last record (wal-files.ts) read as the end of the log, never as a record.

import { crc32c } from './crc32c';

export const FRAME_HEADER_BYTES = 8;
/** Upper bound on one record's payload; bigger batches are split into several records by the encoder. */
export const MAX_FRAME_PAYLOAD_BYTES = 16 * 1024 * 1024;

export type FrameRead =
  | { readonly ok: true; readonly payload: Buffer; readonly nextOffset: number }
  | { readonly ok: false; readonly reason: string };

/** Frames one UTF-8 payload. Throws RangeError when the payload is empty or larger than the bound. */
export function encodeFrame(payload: string): Buffer {
  const payloadBytes = Buffer.byteLength(payload, 'utf8');
  if (payloadBytes < 1 || payloadBytes > MAX_FRAME_PAYLOAD_BYTES) {
    throw new RangeError(`WAL record payload of ${payloadBytes} bytes is outside [1, ${MAX_FRAME_PAYLOAD_BYTES}]`);
  }
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payloadBytes);
  frame.writeUInt32LE(payloadBytes, 0);
  const written = frame.write(payload, FRAME_HEADER_BYTES, 'utf8');
  if (written !== payloadBytes) throw new Error(`encodeFrame: wrote ${written} of ${payloadBytes} payload bytes`);
  frame.writeUInt32LE(frameCrc(frame, 0, payloadBytes), 4);
  return frame;
}

/**
 * Frames raw bytes, for snapshot files (snapshot-file.ts). Those are read front to back only, never scanned for
 * the next intact frame, so their payloads need not be JSON. Throws RangeError like encodeFrame.
 */
export function encodeFrameBytes(payload: Uint8Array): Buffer {
  if (payload.length < 1 || payload.length > MAX_FRAME_PAYLOAD_BYTES) {
    throw new RangeError(`frame payload of ${payload.length} bytes is outside [1, ${MAX_FRAME_PAYLOAD_BYTES}]`);
  }
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frameInPlace(frame, payload.length);
}

/**
 * Frames a payload already placed at `frame[FRAME_HEADER_BYTES...]` by writing the header in front of it; returns the
 * frame (a view of `frame`'s first FRAME_HEADER_BYTES + payloadBytes bytes). Lets a writer encode straight into one
 * reused buffer instead of copying each payload into a new frame (snapshot-file.ts). Throws RangeError like encodeFrame.
 */
export function frameInPlace(frame: Buffer, payloadBytes: number): Buffer {
  if (payloadBytes < 1 || payloadBytes > MAX_FRAME_PAYLOAD_BYTES || FRAME_HEADER_BYTES + payloadBytes > frame.length) {
    throw new RangeError(`frame payload of ${payloadBytes} bytes is outside [1, ${Math.min(MAX_FRAME_PAYLOAD_BYTES, frame.length - FRAME_HEADER_BYTES)}]`);
  }
  frame.writeUInt32LE(payloadBytes, 0);
  frame.writeUInt32LE(frameCrc(frame, 0, payloadBytes), 4);
  return frame.subarray(0, FRAME_HEADER_BYTES + payloadBytes);
}

function frameCrc(bytes: Buffer, offset: number, payloadBytes: number): number {
  const payloadStart = offset + FRAME_HEADER_BYTES;
  const lengthCrc = crc32c(bytes, offset, offset + 4);
  return crc32c(bytes, payloadStart, payloadStart + payloadBytes, lengthCrc);
}

/** Reads the frame starting at `offset`; `ok: false` says why it is not a whole, intact frame. */
export function readFrame(bytes: Buffer, offset: number): FrameRead {
  const remainingBytes = bytes.length - offset;
  if (remainingBytes < FRAME_HEADER_BYTES) {
    return { ok: false, reason: `short header: ${remainingBytes} of ${FRAME_HEADER_BYTES} bytes` };
  }
  const payloadBytes = bytes.readUInt32LE(offset);
  if (payloadBytes < 1 || payloadBytes > MAX_FRAME_PAYLOAD_BYTES) {
    return { ok: false, reason: `impossible payload length ${payloadBytes}` };
  }
  if (remainingBytes - FRAME_HEADER_BYTES < payloadBytes) {
    return {
      ok: false,
      reason: `short payload: ${remainingBytes - FRAME_HEADER_BYTES} of ${payloadBytes} bytes`,
    };
  }
  if (frameCrc(bytes, offset, payloadBytes) !== bytes.readUInt32LE(offset + 4)) {
    return { ok: false, reason: 'CRC mismatch' };
  }
  const nextOffset = offset + FRAME_HEADER_BYTES + payloadBytes;
  return { ok: true, payload: bytes.subarray(offset + FRAME_HEADER_BYTES, nextOffset), nextOffset };
}

/**
 * The first offset after `badOffset` where an intact frame starts, or null. A bad frame with nothing intact after it
 * is a torn tail (a write cut short by a crash); one followed by intact frames is corruption.
 */
export function findIntactFrameAfter(bytes: Buffer, badOffset: number): number | null {
  for (let offset = badOffset + 1; offset + FRAME_HEADER_BYTES <= bytes.length; offset++) {
    // Cheap length check first: most offsets fail it, so the CRC runs rarely (see the header comment).
    const payloadBytes = bytes.readUInt32LE(offset);
    if (payloadBytes < 1 || payloadBytes > bytes.length - offset - FRAME_HEADER_BYTES) continue;
    if (readFrame(bytes, offset).ok) return offset;
  }
  return null;
}
