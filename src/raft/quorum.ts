// Majority arithmetic (§5.2, §5.3): everything that "a majority of servers" decides goes through here.

import { fail } from './assert';
import type { Configuration, NodeId } from './types';

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

/**
 * True when the servers `isIn` accepts form a majority of the configuration's voters, and in a joint configuration
 * (paper §6) also a majority of the old voters. A configuration without voters has no majority.
 */
export function hasQuorum(config: Configuration, isIn: (id: NodeId) => boolean): boolean {
  return halfHasQuorum(config.voters, isIn) && (config.outgoing.length === 0 || halfHasQuorum(config.outgoing, isIn));
}

function halfHasQuorum(voters: readonly NodeId[], isIn: (id: NodeId) => boolean): boolean {
  if (voters.length === 0) return false;
  let count = 0;
  for (const id of voters) if (isIn(id)) count++;
  return count >= quorumSize(voters.length);
}

/**
 * The largest value a majority of the voters (of both halves when joint) reach; 0 without voters. `valueOf(id,
 * context)` gives each voter's value. A module-level function and its context, not a closure: this runs on every
 * acknowledgement, and a closure made per call is compiled again by V8 after each full GC (its optimized code dies
 * with the last closure: docs/benchmarks.md, "Optimized code that died at every full GC").
 */
export function quorumValue<C>(config: Configuration, valueOf: (id: NodeId, context: C) => number, context: C): number {
  const value = halfValue(config.voters, valueOf, context);
  return config.outgoing.length === 0 ? value : Math.min(value, halfValue(config.outgoing, valueOf, context));
}

function halfValue<C>(voters: readonly NodeId[], valueOf: (id: NodeId, context: C) => number, context: C): number {
  if (voters.length === 0) return 0;
  const values: number[] = [];
  for (const id of voters) values.push(valueOf(id, context));
  return majorityValue(values);
}

/** An election's outcome under `config`: won when the granted votes form a quorum, lost when a quorum denied. */
export function voteOutcome(config: Configuration, votes: ReadonlyMap<NodeId, boolean>): 'won' | 'lost' | 'pending' {
  if (hasQuorum(config, (id) => votes.get(id) === true)) return 'won';
  const deniedBy = (voters: readonly NodeId[]): boolean => halfHasQuorum(voters, (id) => votes.get(id) === false);
  return deniedBy(config.voters) || deniedBy(config.outgoing) ? 'lost' : 'pending';
}

/** "majority 2 of 3", or for a joint configuration "majorities 2 of 3 (new) and 3 of 4 (old)". */
export function quorumText(config: Configuration): string {
  const n = config.voters.length;
  if (config.outgoing.length === 0) return `majority ${quorumSize(Math.max(1, n))} of ${n}`;
  const o = config.outgoing.length;
  return `majorities ${quorumSize(Math.max(1, n))} of ${n} (new) and ${quorumSize(o)} of ${o} (old)`;
}
