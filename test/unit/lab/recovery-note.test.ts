// The "reported alive" reason: with a snapshot on disk, lastIndex counts the compacted prefix too, so the snapshot and
// the log entries after it are named apart; without one, the text stays what it always was.
import { describe, expect, it } from 'vitest';
import { recoveryNote } from '../../../src/lab/recovery-note';

describe('recoveryNote', () => {
  it('a fresh node just reports alive', () => {
    expect(recoveryNote({ term: 0, lastIndex: 0, tornTailBytes: 0 })).toBe('node reported alive');
    expect(recoveryNote({ term: 0, lastIndex: 0, snapshotIndex: 0, tornTailBytes: 0 })).toBe('node reported alive');
  });

  it('without a snapshot: the term and the log entries (also from nodes that do not send snapshotIndex)', () => {
    const text = 'node reported alive; recovered term 3 and 12 log entries from disk';
    expect(recoveryNote({ term: 3, lastIndex: 12, tornTailBytes: 0 })).toBe(text);
    expect(recoveryNote({ term: 3, lastIndex: 12, snapshotIndex: 0, tornTailBytes: 0 })).toBe(text);
  });

  it('with a snapshot: the snapshot\'s last index and only the entries after it', () => {
    expect(recoveryNote({ term: 4, lastIndex: 2030, snapshotIndex: 2000, tornTailBytes: 0 }))
      .toBe('node reported alive; recovered term 4, a snapshot up to 2000 and 30 log entries from disk');
    expect(recoveryNote({ term: 4, lastIndex: 2000, snapshotIndex: 2000, tornTailBytes: 0 }))
      .toBe('node reported alive; recovered term 4, a snapshot up to 2000 and 0 log entries from disk');
  });
});
