// The safety monitor across membership changes (dissertation ch. 4): it observes servers added after the start and
// counts the voters of the configurations in the log, so an entry held by a majority of the new configuration (but
// not of the old one) raises nothing, while one held by too few of the new configuration's voters is still caught.
import { describe, expect, it } from 'vitest';
import type { Configuration } from '../../../../src/raft/types';
import { StreamScript } from './stream-script';

const config = (voters: number[]): Configuration => ({ voters, learners: [], outgoing: [] });

/** S1 leads term 1; S4 and S5 join, then S2 and S3 leave: configuration entries 4 ({1..5}) and 5 ({1, 4, 5}). */
function grownThenShrunk(): StreamScript {
  const s = new StreamScript().start(3).elect(1, 1, [2, 3], 0);
  for (const node of [1, 2, 3]) s.write(node, 1, [1, 1, 1]);
  s.alive(4).state(4, {}).alive(5).state(5, {});
  for (const node of [4, 5]) s.write(node, 1, [1, 1, 1]);
  for (const node of [1, 2, 3, 4, 5]) s.emit({ type: 'log-write', node, entries: [{ index: 4, term: 1, command: null, config: config([1, 2, 3, 4, 5]) }] });
  s.state(1, { role: 'leader', term: 1, commit: 4, last: 4 });
  for (const node of [1, 4, 5]) s.emit({ type: 'log-write', node, entries: [{ index: 5, term: 1, command: null, config: config([1, 4, 5]) }] });
  s.state(1, { role: 'leader', term: 1, commit: 5, last: 5 });
  for (const node of [2, 3]) s.state(node, { term: 1, votedFor: 1, commit: 4, last: 4 });
  return s;
}

describe('safety monitor: membership changes', () => {
  it('an entry on a majority of the new configuration (S1, S4 of S1, S4, S5) raises nothing', () => {
    const s = grownThenShrunk();
    s.write(1, 6, [1]).write(4, 6, [1]).state(1, { role: 'leader', term: 1, commit: 6, last: 6 });
    s.state(4, { term: 1, votedFor: 1, commit: 6, last: 6 }).state(5, { term: 1, votedFor: 1, commit: 5, last: 5 });
    expect(s.published).toEqual([]);
  });

  it('an entry committed on S1 alone is still caught once the others reported without it', () => {
    const s = grownThenShrunk();
    s.write(1, 6, [1]).state(1, { role: 'leader', term: 1, commit: 6, last: 6 });
    s.state(4, { term: 1, votedFor: 1, commit: 5, last: 5 }).state(5, { term: 1, votedFor: 1, commit: 5, last: 5 });
    expect(s.invariants).toEqual(['committed-entry-lost']);
  });
});
