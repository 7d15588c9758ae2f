// The state of each pair of servers' link, from the directed links a partition blocks.
import type { NodeId } from '../../../../src/protocol/raft';

/** open: both ways; cut: neither way; one-way: traffic flows only from `from` to `to`. */
export type PairState = { readonly kind: 'open' | 'cut' } | { readonly kind: 'one-way'; readonly from: NodeId; readonly to: NodeId };

export interface LinkPair {
  readonly a: NodeId;
  readonly b: NodeId;
  readonly state: PairState;
}

/** Every unordered pair a < b of `ids`, with its state. */
export function linkPairs(ids: readonly NodeId[], blockedLinks: readonly (readonly [NodeId, NodeId])[]): LinkPair[] {
  const blocked = new Set(blockedLinks.map(([from, to]) => `${from}->${to}`));
  const sorted = [...ids].sort((x, y) => x - y);
  const pairs: LinkPair[] = [];
  for (const [i, a] of sorted.entries()) {
    for (const b of sorted.slice(i + 1)) {
      const aToB = blocked.has(`${a}->${b}`);
      const bToA = blocked.has(`${b}->${a}`);
      const state: PairState = aToB && bToA ? { kind: 'cut' }
        : aToB ? { kind: 'one-way', from: b, to: a }
          : bToA ? { kind: 'one-way', from: a, to: b } : { kind: 'open' };
      pairs.push({ a, b, state });
    }
  }
  return pairs;
}
