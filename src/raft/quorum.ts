// Majority arithmetic (§5.2, §5.3): everything that "a majority of servers" decides goes through here.

import { fail } from './assert';

/** Smallest number of servers that forms a majority of `clusterSize`. */
export function quorumSize(clusterSize: number): number {
  if (!(Number.isInteger(clusterSize) && clusterSize >= 1)) fail(`cluster size must be >= 1, got ${clusterSize}`);
  return Math.floor(clusterSize / 2) + 1;
}

/**
 * The largest value that at least a majority of `values` (one per server) reach: with match indexes, the highest
 * index stored on a majority; with acknowledged read rounds, the highest round a majority confirmed.
 */
export function majorityValue(values: readonly number[]): number {
  // Insertion sort (descending) of a copy: clusters are small, and this runs on every acknowledgement.
  const sorted = values.slice();
  for (let i = 1; i < sorted.length; i++) {
    const value = sorted[i] as number;
    let j = i - 1;
    while (j >= 0 && (sorted[j] as number) < value) {
      sorted[j + 1] = sorted[j] as number;
      j--;
    }
    sorted[j + 1] = value;
  }
  const value = sorted[quorumSize(values.length) - 1];
  if (value === undefined) fail(`majorityValue needs at least one value`);
  return value;
}

export function isMajority(count: number, clusterSize: number): boolean {
  return count >= quorumSize(clusterSize);
}
