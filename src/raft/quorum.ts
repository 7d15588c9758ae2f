// Majority arithmetic (§5.2, §5.3): everything that "a majority of servers" decides goes through here.

import { assert } from './assert';

/** Smallest number of servers that forms a majority of `clusterSize`. */
export function quorumSize(clusterSize: number): number {
  assert(Number.isInteger(clusterSize) && clusterSize >= 1, `cluster size must be >= 1, got ${clusterSize}`);
  return Math.floor(clusterSize / 2) + 1;
}

/**
 * The largest value that at least a majority of `values` (one per server) reach: with match indexes, the highest
 * index stored on a majority; with acknowledged read rounds, the highest round a majority confirmed.
 */
export function majorityValue(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => b - a);
  const value = sorted[quorumSize(values.length) - 1];
  assert(value !== undefined, `majorityValue needs at least one value`);
  return value;
}

export function isMajority(count: number, clusterSize: number): boolean {
  return count >= quorumSize(clusterSize);
}
