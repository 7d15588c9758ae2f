import { describe, expect, it } from 'vitest';
import { moveNode, nonEmptyGroups, presetPlan } from '../../../renderer/src/components/faults/partition-presets';

const FIVE = [1, 2, 3, 4, 5];

describe('partition presets', () => {
  it('isolate the leader: the leader alone, everyone else together', () => {
    expect(presetPlan('isolate-leader', FIVE, 3)).toMatchObject({ kind: 'groups', groups: [[3], [4, 5, 1, 2]] });
  });

  it('leader in the minority: with 5 servers the leader and one more against 3; with 3, the leader alone', () => {
    const plan = presetPlan('split-minority', FIVE, 2);
    expect(plan?.kind).toBe('groups');
    if (plan?.kind !== 'groups') return;
    expect(plan.groups).toEqual([[2, 3], [1, 4, 5]]);
    const [minority = [], majority = []] = plan.groups;
    expect(minority.length).toBeLessThan(majority.length);
    expect(majority.length).toBeGreaterThan(FIVE.length / 2);
    expect(presetPlan('split-minority', [1, 2, 3], 1)).toMatchObject({ groups: [[1], [2, 3]] });
  });

  it('without a known leader, S1 plays the leader\'s part', () => {
    expect(presetPlan('isolate-leader', FIVE, null)).toMatchObject({ groups: [[1], [2, 3, 4, 5]] });
  });

  it('bridge: two sides cut from each other, both still linked to the bridge server', () => {
    const plan = presetPlan('bridge', FIVE, 1);
    expect(plan?.kind).toBe('links');
    if (plan?.kind !== 'links') return;
    const blocked = new Set(plan.links.map(([from, to]) => `${from}->${to}`));
    // Bridge is S2 (the leader's neighbour); sides {1, 3} and {4, 5}.
    for (const [a, b] of [[1, 4], [1, 5], [3, 4], [3, 5]] as const) {
      expect(blocked.has(`${a}->${b}`) && blocked.has(`${b}->${a}`)).toBe(true);
    }
    expect([...blocked].some((link) => link.includes('2'))).toBe(false);
    expect(blocked.has('1->3')).toBe(false);
    expect(presetPlan('bridge', [1, 2], 1)).toBeNull();
  });

  it('one-way: the follower stops hearing the leader, the leader still hears the follower', () => {
    expect(presetPlan('one-way', FIVE, 4)).toMatchObject({ kind: 'links', links: [[4, 5]] });
  });

  it('a single server cannot be partitioned', () => {
    expect(presetPlan('isolate-leader', [1], 1)).toBeNull();
  });
});

describe('partition editor groups', () => {
  it('moving a server takes it out of its old group and into the new one, sorted', () => {
    const groups = moveNode([[1, 2, 3], []], 2, 1);
    expect(groups).toEqual([[1, 3], [2]]);
    expect(moveNode(groups, 3, 1)).toEqual([[1], [2, 3]]);
  });

  it('moving into a group past the last creates it', () => {
    expect(moveNode([[1, 2]], 1, 2)).toEqual([[2], [], [1]]);
  });

  it('only non-empty groups are sent', () => {
    expect(nonEmptyGroups([[1], [], [2, 3]])).toEqual([[1], [2, 3]]);
  });
});
