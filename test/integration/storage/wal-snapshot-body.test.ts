// A compacted WAL's body is written a slice of entries at a time (snapshot-body.ts), so rewriting the log after a
// snapshot never holds the whole tail as one JSON string and one Buffer; the slices together are the whole state.
import { describe, expect, it } from 'vitest';
import type { FileHandle } from 'node:fs/promises';
import { ENTRIES_PER_SLICE, writeSnapshotBody } from '../../../src/node/storage/snapshot-body';
import { readFrame } from '../../../src/node/storage/record-frame';
import { decodeRecordPayload } from '../../../src/node/storage/record-payload';
import type { Entry } from '../../../src/raft/types';

/** Records every write call; enough of a FileHandle for writeFully. */
function recordingHandle(): { handle: FileHandle; writes: Buffer[] } {
  const writes: Buffer[] = [];
  const handle = {
    write: (bytes: Uint8Array, offset: number, length: number) => {
      writes.push(Buffer.from(bytes.subarray(offset, offset + length)));
      return Promise.resolve({ bytesWritten: length, buffer: bytes });
    },
  } as unknown as FileHandle;
  return { handle, writes };
}

describe('writeSnapshotBody', () => {
  it('writes 3,000 entries after a snapshot in slices of at most ENTRIES_PER_SLICE entries, in order', async () => {
    const entries: Entry[] = Array.from({ length: 3000 }, (_, position) => ({
      index: 1001 + position, term: 3, command: JSON.stringify({ type: 'put', key: `bench-key-${position}`, value: 'v'.repeat(64) }),
    }));
    const snapshot = { index: 1000, term: 3, generation: 2, bytes: 700_000 };
    const { handle, writes } = recordingHandle();
    const end = await writeSnapshotBody(handle, 8, { snapshot, hardState: { term: 3, votedFor: 1 }, entries });
    expect(end).toBe(8 + writes.reduce((sum, bytes) => sum + bytes.length, 0));
    expect(writes.length).toBe(Math.ceil(entries.length / ENTRIES_PER_SLICE));
    // The bench's entries (~110 bytes framed): no write, so no transient copy, above 64 KiB.
    for (const bytes of writes) expect(bytes.length).toBeLessThanOrEqual(64 * 1024);
    const body = Buffer.concat(writes);
    const decoded: Entry[] = [];
    let first = true;
    for (let offset = 0; offset < body.length;) {
      const frame = readFrame(body, offset);
      if (!frame.ok) throw new Error(`frame at ${offset}: ${frame.reason}`);
      const record = decodeRecordPayload(frame.payload);
      expect(record.snapshot).toEqual(first ? snapshot : null);
      expect(record.entries.length).toBeLessThanOrEqual(ENTRIES_PER_SLICE);
      decoded.push(...record.entries);
      first = false;
      offset = frame.nextOffset;
    }
    expect(decoded).toEqual(entries);
  });
});
