// When the lab calls a pending removal lost (src/lab/cluster-membership.ts): only when a leader of a later term keeps
// the server in the configuration that follows. In joint consensus (paper §6) a server among the old voters of
// C_old,new only is on its way out: a new leader holding C_old,new appends C_new itself, so the removal goes on.
import { describe, expect, it } from 'vitest';
import { lostRemovalReason } from '../../../src/lab/cluster-membership';

const removal = { index: 5, term: 2 };
const config = (voters: number[], outgoing: number[] = [], learners: number[] = []) => ({ voters, learners, outgoing });

describe('a pending removal of S3 (entry 5, term 2)', () => {
  it('is lost when a leader of a later term has S3 among its voters or learners', () => {
    expect(lostRemovalReason({ id: 1, term: 5, config: config([1, 2, 3]) }, 3, removal)).toMatch(/removal of S3 .* was lost: S1 leads term 5/);
    expect(lostRemovalReason({ id: 1, term: 5, config: config([1, 2], [], [3]) }, 3, removal)).toMatch(/was lost/);
  });

  it('is not lost when that leader holds the joint configuration that removes S3 (S3 among the old voters only)', () => {
    expect(lostRemovalReason({ id: 1, term: 5, config: config([1, 2], [1, 2, 3]) }, 3, removal)).toBeNull();
  });

  it('is not judged by the leader that appended it, nor without a leader or a configuration', () => {
    expect(lostRemovalReason({ id: 1, term: 2, config: config([1, 2, 3]) }, 3, removal)).toBeNull();
    expect(lostRemovalReason(null, 3, removal)).toBeNull();
    expect(lostRemovalReason({ id: 1, term: 5, config: null }, 3, removal)).toBeNull();
    expect(lostRemovalReason({ id: 1, term: 5, config: config([1, 2]) }, 3, removal)).toBeNull();
  });
});
