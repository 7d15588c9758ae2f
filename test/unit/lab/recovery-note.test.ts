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

  it('one entry is "1 log entry"', () => {
    expect(recoveryNote({ term: 1, lastIndex: 1, tornTailBytes: 0 })).toBe('node reported alive; recovered term 1 and 1 log entry from disk');
    expect(recoveryNote({ term: 4, lastIndex: 2001, snapshotIndex: 2000, tornTailBytes: 0 }))
      .toBe('node reported alive; recovered term 4, a snapshot up to 2000 and 1 log entry from disk');
  });

  it('names the recovered vote when the node reports it: it keeps a restarted server from voting twice in a term', () => {
    expect(recoveryNote({ term: 3, votedFor: 2, lastIndex: 12, tornTailBytes: 0 }))
      .toBe('node reported alive; recovered term 3 (voted for S2 in it) and 12 log entries from disk');
    expect(recoveryNote({ term: 3, votedFor: null, lastIndex: 12, snapshotIndex: 10, tornTailBytes: 0 }))
      .toBe('node reported alive; recovered term 3 (no vote cast in it), a snapshot up to 10 and 2 log entries from disk');
  });
});
