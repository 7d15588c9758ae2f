// Advancing commitIndex: on the leader by counting replicas (Figure 2, Leaders 4; only entries of the current term,
// §5.4.2 and Figure 8), on followers from leaderCommit (AppendEntries receiver 5). commitIndex never decreases.

import { fail } from './assert';
import { majorityValue } from './quorum';
import { onLeaderCommitAdvanced } from './read-only';
import { RULE, indexRange, nodeList } from './reasons';
import { emit, hasBug, type NodeState } from './state';
import type { NodeId } from './types';

export function maybeAdvanceLeaderCommit(s: NodeState): void {
  if (s.role !== 'leader') fail(`only a leader counts replicas (S${s.config.id} is ${s.role})`);
  const lastIndex = s.log.lastIndex();
  // Most calls (one per acknowledgement) cannot commit anything: count first, collect and sort only when a
  // majority (the leader included) holds something beyond commitIndex.
  let beyondCommit = 1;
  for (const pr of s.progress.values()) if (pr.matchIndex > s.commitIndex) beyondCommit++;
  if (beyondCommit < s.config.quorum || lastIndex <= s.commitIndex) return;
  const matchIndexes = [lastIndex];
  for (const pr of s.progress.values()) matchIndexes.push(Math.min(pr.matchIndex, lastIndex));
  const majorityIndex = majorityValue(matchIndexes);
  if (majorityIndex <= s.commitIndex) return;
  const entryTerm = s.log.termAt(majorityIndex);
  // Planted bug: commit-previous-term — counts replicas of an older term's entry too (the Figure 8 mistake).
  if (entryTerm !== s.term && !hasBug(s, 'commit-previous-term')) return;
  const replicatedOn = replicasOf(s, majorityIndex);
  const replicas = nodeList(replicatedOn);
  const first = s.commitIndex + 1;
  advanceCommit(s, majorityIndex, RULE.leaderCommit,
    `entry ${majorityIndex} (term ${entryTerm}) is stored on a majority (${replicas}) and ` +
    `its term ${entryTerm === s.term ? 'is' : 'is NOT'} the leader's current term ${s.term}`,
    { replicatedOn: replicas, entryTerm, firstIndex: first, commitIndex: majorityIndex });
  onLeaderCommitAdvanced(s);
}

/** AppendEntries receiver 5: commitIndex = min(leaderCommit, index of last new entry). */
export function advanceFollowerCommit(s: NodeState, leaderCommit: number, lastNewIndex: number): void {
  const newCommit = Math.min(leaderCommit, lastNewIndex);
  if (newCommit <= s.commitIndex) return;
  advanceCommit(s, newCommit, RULE.appendReceiver5,
    `leaderCommit ${leaderCommit} > commitIndex ${s.commitIndex}: commitIndex = min(leaderCommit ${leaderCommit}, last new entry ${lastNewIndex})`,
    { leaderCommit, lastNewIndex, firstIndex: s.commitIndex + 1, commitIndex: newCommit });
}

/** `data` carries firstIndex and commitIndex (the range committed) besides the caller's own fields. */
function advanceCommit(
  s: NodeState, newCommit: number, rule: string, why: string, data: Record<string, string | number>,
): void {
  if (!(newCommit > s.commitIndex)) fail(`commitIndex must not decrease: ${s.commitIndex} -> ${newCommit}`);
  if (!(newCommit <= s.log.lastIndex())) fail(`commitIndex ${newCommit} beyond last index ${s.log.lastIndex()}`);
  const first = s.commitIndex + 1;
  s.commitIndex = newCommit;
  emit(s, 'commit-advanced', rule, `committed entries ${indexRange(first, newCommit)}: ${why}`, data);
}

function replicasOf(s: NodeState, index: number): NodeId[] {
  const holders = [s.config.id];
  for (const [peer, pr] of s.progress) if (pr.matchIndex >= index) holders.push(peer);
  return holders.sort((a, b) => a - b);
}
