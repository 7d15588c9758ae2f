// The leader the lab's lin-kv clients ask: the running leader of the highest term, not an old leader cut off in a
// lower term that still reports itself leader.
import { describe, expect, it } from 'vitest';
import { topTermLeader } from '../../../src/lab/top-term-leader';

const view = (id: number, role: 'leader' | 'follower' | 'candidate', term: number, status: 'running' | 'crashed' = 'running') =>
  ({ id, role, term, status });

describe('topTermLeader', () => {
  it('is the leader of the highest term, whichever reported last', () => {
    expect(topTermLeader([view(1, 'leader', 1), view(2, 'leader', 2), view(3, 'follower', 2)])).toBe(2);
    expect(topTermLeader([view(2, 'leader', 2), view(3, 'follower', 2), view(1, 'leader', 1)])).toBe(2);
  });

  it('is nobody while the highest term has no leader yet, or two servers claim it, or the leader is down', () => {
    expect(topTermLeader([view(1, 'leader', 1), view(2, 'candidate', 2), view(3, 'follower', 1)])).toBeNull();
    expect(topTermLeader([view(1, 'leader', 2), view(2, 'leader', 2)])).toBeNull();
    expect(topTermLeader([view(1, 'leader', 3, 'crashed'), view(2, 'follower', 2), view(3, 'follower', 2)])).toBeNull();
    expect(topTermLeader([])).toBeNull();
  });
});
