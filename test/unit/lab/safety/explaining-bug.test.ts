// Which planted bug explains a violation: every bug is mapped, the bug that breaks the invariant first is named, and
// with no bug on nothing is.
import { describe, expect, it } from 'vitest';
import { BUG_BREAKS, explainingBug } from '../../../../src/lab/safety/explaining-bug';
import { KNOWN_BUGS } from '../../../../src/sim/faults/bugs';

describe('explainingBug', () => {
  it('maps every planted bug', () => {
    expect(Object.keys(BUG_BREAKS).sort()).toEqual([...KNOWN_BUGS].sort());
  });

  it('names the switched-on bug that breaks the invariant', () => {
    expect(explainingBug('one-vote-per-term', ['stale-leader-reads', 'double-vote'])).toBe('double-vote');
    expect(explainingBug('stale-read', ['stale-leader-reads', 'double-vote'])).toBe('stale-leader-reads');
    expect(explainingBug('committed-entry-lost', ['ack-before-persist'])).toBe('ack-before-persist');
  });

  it('names nothing without bugs, and the only bug when it alone is on', () => {
    expect(explainingBug('election-safety', [])).toBeNull();
    expect(explainingBug('monotonic-term', ['double-vote'])).toBe('double-vote');
    expect(explainingBug('monotonic-term', ['double-vote', 'stale-leader-reads'])).toBeNull();
  });
});
