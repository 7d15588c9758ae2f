// Follower side of AppendEntries (Figure 2, AppendEntries RPC, receiver implementation 1-5).
// Term checks (receiver 1, All Servers 2) happened before dispatch: here the message is of the current term.

import { assert, fail } from './assert';
import { advanceFollowerCommit } from './commit';
import { RULE, describeEntries, entryRange, ms } from './reasons';
import { refreshMembership } from './membership';
import { becomeFollower } from './roles';
import { emit, hasBug, isCorrectRaft, resetElectionTimer, send, type NodeState } from './state';
import type { AppendEntries, Entry, InstallSnapshot } from './types';

export function handleAppendEntries(s: NodeState, message: AppendEntries): void {
  if (message.term !== s.term) fail(`AppendEntries of term ${message.term} dispatched in term ${s.term}`);
  const newLeader = s.leaderId !== message.from;
  if (!acceptLeader(s, message)) return; // the message as a whole was validated in step (message-checks.ts)
  const conflict = checkConsistency(s, message);
  if (conflict !== null) {
    reply(s, message, false, 0, conflict.conflictTerm, conflict.conflictIndex);
    return;
  }
  const lastNewIndex = message.prevLogIndex + message.entries.length;
  const configIndexBefore = s.membership.configIndex;
  storeEntries(s, message);
  if (s.log.latestConfig() !== s.membership.config) {
    const reverted = s.log.latestConfigIndex() < configIndexBefore;
    refreshMembership(s, reverted ? RULE.configReverted : RULE.configTakesEffect, reverted
      ? `configuration entry ${configIndexBefore} was truncated (a conflict with leader S${message.from}'s log)`
      : `appended configuration entry ${s.log.latestConfigIndex()} from leader S${message.from}`);
  }
  const insideSnapshot = message.prevLogIndex < s.log.snapshotIndex();
  emit(s, 'append-accepted', insideSnapshot ? RULE.snapshotCovered : RULE.appendReceiver2, acceptedReason(s, message, newLeader),
    { from: message.from, prevLogIndex: message.prevLogIndex, prevLogTerm: message.prevLogTerm, entries: message.entries.length, matchIndex: lastNewIndex });
  advanceFollowerCommit(s, message.leaderCommit, message.prevLogIndex, message.entries.length);
  reply(s, message, true, lastNewIndex, 0, 0);
}

/**
 * Why the log matches (receiver 2, or our snapshot covers prevLogIndex: §7), what was accepted, and what this told us:
 * who leads the term (the first time), and that the election timer starts over (why no election follows).
 */
function acceptedReason(s: NodeState, message: AppendEntries, newLeader: boolean): string {
  const lastNewIndex = message.prevLogIndex + message.entries.length;
  const snapshotIndex = s.log.snapshotIndex();
  const skippedTo = Math.min(lastNewIndex, snapshotIndex);
  const skipped = skippedTo > message.prevLogIndex
    ? `; it already holds ${entryRange(message.prevLogIndex + 1, skippedTo)}, which ${skippedTo === message.prevLogIndex + 1 ? 'is' : 'are'} skipped`
    : '';
  const match = message.prevLogIndex < snapshotIndex
    ? `prevLogIndex ${message.prevLogIndex} lies inside our snapshot (through ${snapshotIndex}), whose entries are committed and so match the leader's${skipped}`
    : `log matches the leader at prevLogIndex ${message.prevLogIndex} (term ${message.prevLogTerm})`;
  const carried = message.entries.length === 0 ? 'heartbeat' : describeEntries(message.entries);
  const leader = newLeader ? `; S${message.from} is the leader of term ${s.term}` : '';
  return `${match}; ${carried} accepted, matchIndex = ${lastNewIndex}${leader}; the election timer restarts (${ms(s.electionTimeoutMs)})`;
}

/**
 * The sender is the leader of our term: candidates give up (Candidates 3) and the election timer restarts. Shared
 * with InstallSnapshot, which only a current leader sends too.
 */
export function acceptLeader(s: NodeState, message: AppendEntries | InstallSnapshot): boolean {
  if (s.role === 'leader') {
    // Two leaders in one term: impossible by Election Safety, reachable only with planted bugs.
    if (isCorrectRaft(s)) fail(`two leaders in term ${s.term}: S${s.config.id} and S${message.from}`);
    emit(s, 'message-ignored', RULE.electionSafety,
      `${message.type} from S${message.from} claims leadership of term ${s.term}, but S${s.config.id} leads it: Election Safety is broken`,
      { from: message.from });
    return false;
  }
  if (s.role !== 'follower') {
    becomeFollower(s, s.term, message.from, RULE.candidateSeesLeader,
      `${message.type} from S${message.from} shows it won the election of term ${s.term}`);
  }
  assert(s.leaderId === null || s.leaderId === message.from || !isCorrectRaft(s),
    `two leaders in term ${s.term}: S${s.leaderId ?? 0} and S${message.from}`);
  s.leaderId = message.from;
  s.lastLeaderContactMs = s.nowMs;
  resetElectionTimer(s);
  return true;
}

/** Receiver 2 with the accelerated back-off hint (§5.3): null when the log contains prevLogIndex with prevLogTerm. */
function checkConsistency(
  s: NodeState, message: AppendEntries,
): { conflictTerm: number; conflictIndex: number } | null {
  const lastIndex = s.log.lastIndex();
  const { prevLogIndex, prevLogTerm } = message;
  // Below our snapshot everything is committed, and the leader holds every committed entry (Leader Completeness):
  // the prefix matches; storeEntries skips the entries the snapshot covers.
  if (prevLogIndex < s.log.snapshotIndex()) return null;
  if (prevLogIndex > lastIndex) {
    emit(s, 'append-rejected', RULE.appendReceiver2,
      `log has no entry at prevLogIndex ${prevLogIndex}: it ends at ${lastIndex}; hint: conflictIndex ${lastIndex + 1}`,
      { from: message.from, prevLogIndex, prevLogTerm, lastLogIndex: lastIndex, conflictTerm: 0, conflictIndex: lastIndex + 1 });
    return { conflictTerm: 0, conflictIndex: lastIndex + 1 };
  }
  const ourTerm = s.log.termAt(prevLogIndex);
  if (ourTerm === prevLogTerm) return null;
  const conflictIndex = s.log.firstIndexWithTermAtLeast(ourTerm);
  emit(s, 'append-rejected', RULE.appendReceiver2,
    `entry at prevLogIndex ${prevLogIndex} has term ${ourTerm}, not prevLogTerm ${prevLogTerm}; hint: term ${ourTerm} starts at index ${conflictIndex}`,
    { from: message.from, prevLogIndex, prevLogTerm, ourTerm, conflictTerm: ourTerm, conflictIndex });
  return { conflictTerm: ourTerm, conflictIndex };
}

/**
 * Receivers 3 and 4: skip entries we already hold with the same term, truncate only at a real conflict (same index,
 * different term), append the rest. A stale or duplicated AppendEntries therefore never shortens the log.
 */
function storeEntries(s: NodeState, message: AppendEntries): void {
  const entries = message.entries;
  const truncateFrom = Math.max(message.prevLogIndex, s.log.snapshotIndex()) + 1;
  if (hasBug(s, 'truncate-without-conflict') && entries.length > 0 && s.log.lastIndex() >= truncateFrom) {
    // Planted bug: truncate-without-conflict — drops everything after prevLogIndex, even when nothing conflicts.
    truncate(s, truncateFrom, `AppendEntries from S${message.from} starts after prevLogIndex ${message.prevLogIndex}`);
  }
  let firstNew = 0;
  while (firstNew < entries.length && holds(s, entries[firstNew] as Entry)) firstNew++;
  if (firstNew === entries.length) return;
  const first = entries[firstNew];
  assert(first !== undefined, 'firstNew points at an entry');
  if (first.index <= s.log.lastIndex()) {
    truncate(s, first.index,
      `conflict at index ${first.index}: our entry has term ${s.log.termAt(first.index)}, the leader's has term ${first.term}`);
  }
  const appended = entries.slice(firstNew);
  for (const entry of appended) s.log.append(entry);
  emit(s, 'entries-appended', RULE.appendReceiver4,
    `appended ${describeEntries(appended)} from leader S${message.from}`,
    { from: message.from, firstIndex: first.index, lastIndex: s.log.lastIndex() });
}

/** We already hold `entry`: same index and term, or it lies inside our snapshot (committed, so it matches). */
function holds(s: NodeState, entry: Entry): boolean {
  return entry.index <= s.log.snapshotIndex() || (entry.index <= s.log.lastIndex() && s.log.termAt(entry.index) === entry.term);
}

function truncate(s: NodeState, fromIndex: number, why: string): void {
  const lastIndex = s.log.lastIndex();
  const committedLost = fromIndex <= s.commitIndex;
  // Truncating a committed entry breaks State Machine Safety: only planted bugs can get here.
  if (!(!committedLost || !isCorrectRaft(s))) fail(`S${s.config.id} truncating committed entries ${fromIndex}..${s.commitIndex}`);
  s.log.truncateFrom(fromIndex);
  emit(s, 'entries-truncated', RULE.appendReceiver3,
    `deleted ${entryRange(fromIndex, lastIndex)}: ${why}` +
    (committedLost ? ` — SAFETY VIOLATION: entries up to ${s.commitIndex} were already committed` : ''),
    { firstIndex: fromIndex, lastIndex, committedLost });
}

function reply(
  s: NodeState, message: AppendEntries, success: boolean, matchIndex: number, conflictTerm: number, conflictIndex: number,
): void {
  send(s, {
    type: 'AppendEntriesReply', from: s.config.id, to: message.from, term: s.term,
    success, matchIndex, conflictTerm, conflictIndex, readRound: message.readRound,
  });
}
