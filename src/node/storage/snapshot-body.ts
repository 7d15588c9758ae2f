// Writes a whole state (hard state, then the log from index 1) as WAL records: the body of a compacted file.
// Encoded a slice at a time so compacting a large log never holds a second full copy of it as bytes.

import type { FileHandle } from 'node:fs/promises';
import type { Entry, HardState } from '../../raft/types';
import { encodeRecordPayloads } from './record-payload';
import { encodeFrame } from './record-frame';
import { writeFully } from './wal-files';

const ENTRIES_PER_SLICE = 4096;

/** Writes at `offset`; returns the offset after the last byte written. */
export async function writeSnapshotBody(
  handle: FileHandle,
  offset: number,
  hardState: HardState,
  entries: readonly Entry[],
): Promise<number> {
  let position = 0;
  let pendingHardState: HardState | null = hardState;
  do {
    const slice = entries.slice(position, position + ENTRIES_PER_SLICE);
    const frames = encodeFrames(pendingHardState, slice);
    await writeFully(handle, frames, offset);
    offset += frames.length;
    position += slice.length;
    pendingHardState = null;
  } while (position < entries.length);
  return offset;
}

/** All records for one write, framed and concatenated. */
export function encodeFrames(hardState: HardState | null, entries: readonly Entry[]): Buffer {
  const frames = encodeRecordPayloads(hardState, entries).map(encodeFrame);
  return frames.length === 1 ? frames[0]! : Buffer.concat(frames);
}
