// Writes a whole WAL state (snapshot reference and hard state in the first record, then the entries after the
// snapshot) as WAL records: the body of a compacted file. Encoded a slice at a time so compacting a large log never
// holds a second full copy of it as bytes. The snapshot's data is not copied: its file stays where it is.

import type { FileHandle } from 'node:fs/promises';
import type { Entry, HardState } from '../../raft/types';
import type { MirrorState } from './log-mirror';
import { encodeRecordPayloads } from './record-payload';
import { encodeFrame } from './record-frame';
import type { SnapshotRef } from './snapshot-file';
import { writeFully } from './wal-files';

/**
 * Entries encoded per write. Each slice is a JSON string, then its UTF-8 Buffer, then garbage: a node's log after a
 * snapshot holds 1,000-3,000 entries (the snapshot policy), which at 4,096 per slice were all encoded at once, ~1.5 MB
 * of transient copies at the bench's ~200 bytes per entry; at 256, ~100 KB, for a few more write calls per compaction.
 */
export const ENTRIES_PER_SLICE = 256;

/** Writes at `offset`; returns the offset after the last byte written. */
export async function writeSnapshotBody(handle: FileHandle, offset: number, state: MirrorState): Promise<number> {
  const { entries } = state;
  let position = 0;
  let head: { snapshot: SnapshotRef | null; hardState: HardState | null } = { snapshot: state.snapshot, hardState: state.hardState };
  do {
    const slice = entries.slice(position, position + ENTRIES_PER_SLICE);
    const frames = encodeFrames(head.snapshot, head.hardState, slice);
    await writeFully(handle, frames, offset);
    offset += frames.length;
    position += slice.length;
    head = { snapshot: null, hardState: null };
  } while (position < entries.length);
  return offset;
}

/** All records for one write, framed and concatenated. */
export function encodeFrames(snapshot: SnapshotRef | null, hardState: HardState | null, entries: readonly Entry[]): Buffer {
  const frames = encodeRecordPayloads(snapshot, hardState, entries).map(encodeFrame);
  return frames.length === 1 ? frames[0]! : Buffer.concat(frames);
}
