import { describe, expect, it } from 'vitest';
import {
  bridge, faultTablesForBlockedLinks, NO_LINK_FAULTS, oneWay, partitionToBlockedLinks, type BlockedLink,
} from '../../../src/protocol/link-faults';
import { faultTableSchema, linkFaultsSchema } from '../../../src/protocol/link-faults-schema';

const sorted = (links: readonly BlockedLink[]): string[] => links.map(([from, to]) => `${from}->${to}`).sort();

describe('partitionToBlockedLinks', () => {
  it('cuts every link between the groups, in both directions, and none inside a group', () => {
    expect(sorted(partitionToBlockedLinks([[1, 2], [3]], [1, 2, 3]))).toEqual(['1->3', '2->3', '3->1', '3->2']);
  });

  it('puts the nodes named in no group together as "the rest"', () => {
    expect(sorted(partitionToBlockedLinks([[1]], [1, 2, 3]))).toEqual(['1->2', '1->3', '2->1', '3->1']);
  });

  it('blocks nothing when everyone is in one group', () => {
    expect(partitionToBlockedLinks([[1, 2, 3]], [1, 2, 3])).toEqual([]);
  });

  it('isolates every node when every node is its own group', () => {
    expect(partitionToBlockedLinks([[1], [2], [3]], [1, 2, 3])).toHaveLength(6);
  });

  it('refuses a node listed twice or a node outside the cluster', () => {
    expect(() => partitionToBlockedLinks([[1, 2], [2, 3]], [1, 2, 3])).toThrow(/S2 in more than one group/);
    expect(() => partitionToBlockedLinks([[1, 9]], [1, 2, 3])).toThrow(/S9, which is not in the cluster/);
  });
});

describe('oneWay and bridge', () => {
  it('oneWay(from, to) lets `to` hear `from` but not the reverse', () => {
    expect(oneWay(1, 2)).toEqual([[2, 1]]);
    expect(() => oneWay(3, 3)).toThrow(/two different nodes/);
  });

  it('bridge cuts the two groups apart and leaves the bridge node connected to both', () => {
    const links = sorted(bridge([1, 2, 3], [3, 4, 5], 3));
    expect(links).toEqual(sorted([[1, 4], [4, 1], [1, 5], [5, 1], [2, 4], [4, 2], [2, 5], [5, 2]]));
    expect(links.some((link) => link.includes('3'))).toBe(false);
    expect(() => bridge([1, 2], [2, 4], 3)).toThrow(/overlap on S2/);
  });
});

describe('faultTablesForBlockedLinks', () => {
  it('blocks each link at the sender and at the receiver, keeping the other faults of the base table', () => {
    const slow = { ...NO_LINK_FAULTS, delayMs: 40 };
    const tables = faultTablesForBlockedLinks(oneWay(1, 2), [1, 2, 3], { 2: { outbound: { 1: slow }, blockedFrom: [] } });
    expect(tables[2]?.outbound[1]).toEqual({ ...slow, blocked: true });
    expect(tables[1]?.blockedFrom).toEqual([2]);
    expect(tables[1]?.outbound).toEqual({});
    expect(tables[3]).toEqual({ outbound: {}, blockedFrom: [] });
    expect(() => faultTablesForBlockedLinks([[1, 7]], [1, 2, 3])).toThrow(/outside the cluster/);
  });
});

describe('schemas', () => {
  it('accept a fault table keyed by node id as JSON gives it (string keys)', () => {
    const parsed = faultTableSchema.safeParse(JSON.parse(JSON.stringify({ outbound: { 2: NO_LINK_FAULTS }, blockedFrom: [3] })));
    expect(parsed.success).toBe(true);
  });

  it('reject probabilities outside 0..1, negative delays and unknown peers', () => {
    expect(linkFaultsSchema.safeParse({ ...NO_LINK_FAULTS, dropProbability: 1.5 }).success).toBe(false);
    expect(linkFaultsSchema.safeParse({ ...NO_LINK_FAULTS, delayMs: -1 }).success).toBe(false);
    expect(faultTableSchema.safeParse({ outbound: { 99: NO_LINK_FAULTS }, blockedFrom: [] }).success).toBe(false);
    expect(faultTableSchema.safeParse({ outbound: {}, blockedFrom: [0] }).success).toBe(false);
  });
});
