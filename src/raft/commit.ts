// Advancing commitIndex: on the leader by counting replicas (Figure 2, Leaders 4; only entries of the current term,
// §5.4.2 and Figure 8), on followers from leaderCommit (AppendEntries receiver 5). commitIndex never decreases.

import { fail } from './assert';
import { afterCommit } from './membership';
import { quorumText, quorumValue } from './quorum';
import { onLeaderCommitAdvanced } from './read-only';
import { RULE, earlierTermsCommitWithIt, entryCount, entryRange, nodeList } from './reasons';
import { emit, hasBug, type NodeState } from './state';
import type { NodeId } from './types';

export function maybeAdvanceLeaderCommit(s: NodeState): void {
  if (s.role !== 'leader') fail(`only a leader counts replicas (S${s.config.id} is ${s.role})`);
  const lastIndex = s.log.lastIndex();
  if (lastIndex <= s.commitIndex) return;
  // Only the voters of the configuration in effect count (both halves of a joint one); the leader counts itself only
  // while it is one of them (a leader that removed itself replicates without counting itself, §4.2.2).
  const majorityIndex = quorumValue(s.membership.config, replicatedIndex, s);
  if (majorityIndex <= s.commitIndex) return;
  const entryTerm = s.log.termAt(majorityIndex);
  // Planted bug: commit-previous-term — counts replicas of an older term's entry too (the Figure 8 mistake).
  if (entryTerm !== s.term && !hasBug(s, 'commit-previous-term')) return;
  const replicatedOn = replicasOf(s, majorityIndex);
  const first = s.commitIndex + 1;
  advanceCommit(s, majorityIndex, RULE.leaderCommit, leaderCommitReason(s, majorityIndex, entryTerm, replicatedOn),
    { replicatedOn: nodeList(replicatedOn), entryTerm, firstIndex: first, commitIndex: majorityIndex });
  onLeaderCommitAdvanced(s);
  afterCommit(s);
}

/** How much of the leader's log server `id` holds: all of it for the leader itself, its match index for the others. */
function replicatedIndex(id: NodeId, s: NodeState): number {
  const lastIndex = s.log.lastIndex();
  return id === s.config.id ? lastIndex : Math.min(s.progress.get(id)?.matchIndex ?? 0, lastIndex);
}

/**
 * Which servers hold entry `index`, and why its term matters. The leader counts its own copy as soon as it is
 * appended, before its disk write completes (dissertation §10.2.1): the runtime applies entries only once durable.
 */
function leaderCommitReason(s: NodeState, index: number, entryTerm: number, replicatedOn: readonly NodeId[]): string {
  const leader = `S${s.config.id}`;
  const followers = replicatedOn.filter((id) => id !== s.config.id);
  const holders = followers.length === 0 ? `the leader ${leader} alone` : `${nodeList(followers)} and the leader ${leader}`;
  const term = entryTerm === s.term
    ? 'its term is the current term'
    : `its term ${entryTerm} is NOT the leader's current term ${s.term}`;
  const config = s.membership.config;
  const of = config.outgoing.length === 0 ? `${replicatedOn.length} of ${config.voters.length}` : `${replicatedOn.length} servers; ${quorumText(config)}`;
  return `entry ${index} (term ${entryTerm}) is stored on a majority (${of}): ${holders}, ` +
    `whose own copy counts once appended (its disk write may still be pending; nothing is applied before it is durable); ` +
    `${term}${olderTermsCommitted(s, index)}`;
}

/** §5.4.2, Figure 8: entries of earlier terms are never committed by counting, but commit with a later one. */
function olderTermsCommitted(s: NodeState, index: number): string {
  const first = s.commitIndex + 1;
  const lastOlder = Math.min(index - 1, s.log.firstIndexWithTermAtLeast(s.term) - 1);
  return lastOlder >= first ? `; ${earlierTermsCommitWithIt(first, lastOlder)}` : '';
}

/**
 * AppendEntries receiver 5: commitIndex = min(leaderCommit, index of last new entry). The "last new entry" is the last
 * index this AppendEntries vouches for, prevLogIndex + its entries, also when it carries none (a heartbeat).
 */
export function advanceFollowerCommit(s: NodeState, leaderCommit: number, prevLogIndex: number, entries: number): void {
  const lastNewIndex = prevLogIndex + entries;
  const newCommit = Math.min(leaderCommit, lastNewIndex);
  if (newCommit <= s.commitIndex) return;
  advanceCommit(s, newCommit, RULE.appendReceiver5,
    `leaderCommit ${leaderCommit} > commitIndex ${s.commitIndex}: commitIndex = min(leaderCommit ${leaderCommit}, ${lastNewIndex}, ` +
    `the last index this AppendEntries covers: prevLogIndex ${prevLogIndex} + ${entryCount(entries)})`,
    { leaderCommit, lastNewIndex, firstIndex: s.commitIndex + 1, commitIndex: newCommit });
  afterCommit(s);
}

/** `data` carries firstIndex and commitIndex (the range committed) besides the caller's own fields. */
function advanceCommit(
  s: NodeState, newCommit: number, rule: string, why: string, data: Record<string, string | number>,
): void {
  if (!(newCommit > s.commitIndex)) fail(`commitIndex must not decrease: ${s.commitIndex} -> ${newCommit}`);
  if (!(newCommit <= s.log.lastIndex())) fail(`commitIndex ${newCommit} beyond last index ${s.log.lastIndex()}`);
  const first = s.commitIndex + 1;
  s.commitIndex = newCommit;
  emit(s, 'commit-advanced', rule,
    `committed ${entryRange(first, newCommit)}: ${why}; next, ${first === newCommit ? 'it is' : 'they are'} applied in log order (All Servers 1)`, data);
}

function replicasOf(s: NodeState, index: number): NodeId[] {
  const holders = [s.config.id];
  for (const [peer, pr] of s.progress) if (pr.matchIndex >= index && !s.membership.config.learners.includes(peer)) holders.push(peer);
  return holders.sort((a, b) => a - b);
}
