// Leader side of log replication (Figure 2, Rules for Servers, Leaders 1-3; §5.3): sending AppendEntries from each
// follower's nextIndex, and using the replies to advance matchIndex or back nextIndex off.

import { fail } from './assert';
import { maybeAdvanceLeaderCommit } from './commit';
import { advanceLearners } from './membership';
import { acknowledgeReadRound, confirmReads } from './read-only';
import { RULE, aRole } from './reasons';
import { needsSnapshot, onInstallSnapshotReply, sendSnapshotChunk } from './snapshot-sender';
import { emit, isCorrectRaft, peerProgress, send, type NodeState } from './state';
import type { AppendEntriesReply, InstallSnapshotReply, NodeId } from './types';

/**
 * AppendEntries to one follower with entries from its nextIndex (at most maxEntriesPerMessage); empty = heartbeat.
 * When those entries were compacted away (§7), the next InstallSnapshot chunk instead; `heartbeat` resends an
 * unanswered chunk.
 */
export function sendAppend(s: NodeState, peer: NodeId, heartbeat = false): void {
  if (s.role !== 'leader') fail(`S${s.config.id} sends AppendEntries as ${s.role}`);
  const progress = peerProgress(s, peer);
  if (needsSnapshot(s, progress)) {
    sendSnapshotChunk(s, peer, heartbeat);
    return;
  }
  progress.snapshot = null;
  const prevLogIndex = progress.nextIndex - 1;
  const lastToSend = Math.min(s.log.lastIndex(), prevLogIndex + s.config.maxEntriesPerMessage);
  send(s, {
    type: 'AppendEntries', from: s.config.id, to: peer, term: s.term,
    prevLogIndex, prevLogTerm: s.log.termAt(prevLogIndex),
    entries: s.log.slice(progress.nextIndex, lastToSend),
    leaderCommit: s.commitIndex, readRound: s.reads.round,
  });
}

export function broadcastAppend(s: NodeState, heartbeat = false): void {
  s.broadcastPending = false;
  for (const peer of s.membership.peers) sendAppend(s, peer, heartbeat);
}

/** Figure 13 reply: on success the follower stores our log through the snapshot; AppendEntries take over. */
export function handleInstallSnapshotReply(s: NodeState, reply: InstallSnapshotReply): void {
  if (onInstallSnapshotReply(s, reply) && s.role === 'leader') sendAppend(s, reply.from);
  advanceLearners(s);
}

/** A reply of the current term reached the leader (higher and lower terms were handled by the caller). */
export function handleAppendEntriesReply(s: NodeState, reply: AppendEntriesReply): void {
  if (reply.term !== s.term) fail(`reply of term ${reply.term} dispatched in term ${s.term}`);
  if (s.role !== 'leader') {
    emit(s, 'message-ignored', RULE.onlyLeaderTracksFollowers,
      `AppendEntries reply from S${reply.from} ignored: S${s.config.id} is ${aRole(s.role)} in term ${s.term}, no longer the leader`, { from: reply.from });
    return;
  }
  if (!s.progress.has(reply.from)) {
    ignoreNonMember(s, reply.from, reply.type);
    return;
  }
  const progress = peerProgress(s, reply.from);
  progress.lastHeardMs = s.nowMs;
  acknowledgeReadRound(s, progress, reply.readRound);
  if (reply.success) onAppendSucceeded(s, reply);
  else onAppendRejected(s, reply);
  confirmReads(s);
}

function onAppendSucceeded(s: NodeState, reply: AppendEntriesReply): void {
  const progress = peerProgress(s, reply.from);
  const lastIndex = s.log.lastIndex();
  if (reply.matchIndex < progress.matchIndex) {
    emit(s, 'message-ignored', RULE.matchIndexMonotonic,
      `success reply from S${reply.from} with matchIndex ${reply.matchIndex} is below matchIndex ${progress.matchIndex} ` +
      '(it answers an older or duplicate request, or a snapshot got further): matchIndex never moves backwards',
      { from: reply.from, replyMatchIndex: reply.matchIndex, matchIndex: progress.matchIndex });
    return;
  }
  if (reply.matchIndex === progress.matchIndex) return; // heartbeat ack or duplicate: nothing new
  // The leader's log only grows during its term, so a follower can only have matched what this leader sent.
  if (!(reply.matchIndex <= lastIndex || !isCorrectRaft(s))) fail(`S${reply.from} matched ${reply.matchIndex} beyond leader's last index ${lastIndex}`);
  progress.matchIndex = Math.min(reply.matchIndex, lastIndex);
  progress.nextIndex = Math.max(progress.nextIndex, progress.matchIndex + 1);
  emit(s, 'append-accepted', RULE.leaderReplicate,
    `S${reply.from} stores our log up to index ${progress.matchIndex}: matchIndex = ${progress.matchIndex}, nextIndex = ${progress.nextIndex}`,
    { from: reply.from, matchIndex: progress.matchIndex, nextIndex: progress.nextIndex });
  maybeAdvanceLeaderCommit(s); // may end our leadership: a leader removed from the configuration steps down (§4.2.2)
  advanceLearners(s);
  // Catching up a follower that is far behind: send the next batch now rather than at the next heartbeat.
  if (s.role === 'leader' && progress.matchIndex < s.log.lastIndex() && s.progress.has(reply.from)) sendAppend(s, reply.from);
}

function onAppendRejected(s: NodeState, reply: AppendEntriesReply): void {
  const progress = peerProgress(s, reply.from);
  if (reply.conflictIndex === 0) {
    // A follower rejects our term with conflictIndex 0, and its higher term makes us step down before we get here:
    // in our own term this is only reachable with planted bugs.
    emit(s, 'message-ignored', RULE.appendReceiver1,
      `rejection from S${reply.from} carries no log hint (conflictIndex 0): it refused our term, not our log; nothing to back off`,
      { from: reply.from, conflictTerm: reply.conflictTerm, conflictIndex: reply.conflictIndex });
    return;
  }
  const target = backOffTarget(s, reply.conflictTerm, reply.conflictIndex);
  const nextIndex = Math.min(Math.max(target.nextIndex, progress.matchIndex + 1), s.log.lastIndex() + 1);
  if (nextIndex >= progress.nextIndex) {
    emit(s, 'message-ignored', RULE.duplicateRejection,
      `rejection from S${reply.from} would set nextIndex to ${nextIndex}, ` +
      `${nextIndex === progress.nextIndex ? 'where it already is' : `but it is already ${progress.nextIndex}`}: it answers an older or duplicate request`,
      { from: reply.from, conflictTerm: reply.conflictTerm, conflictIndex: reply.conflictIndex, nextIndex: progress.nextIndex });
    return;
  }
  const previous = progress.nextIndex;
  progress.nextIndex = nextIndex;
  emit(s, 'next-index-backed-off', RULE.leaderBackOff,
    `S${reply.from} rejected AppendEntries: ${target.why}${clampNote(nextIndex, target.nextIndex, progress.matchIndex)}: nextIndex ${previous} -> ${nextIndex}`,
    { from: reply.from, conflictTerm: reply.conflictTerm, conflictIndex: reply.conflictIndex, previousNextIndex: previous, nextIndex });
  sendAppend(s, reply.from);
}

/**
 * Accelerated back-off (end of §5.3, as in 6.5840): a follower with a too-short log says how long it is; otherwise it
 * names the conflicting term. If the leader has entries of that term, it resumes after its last one; if not, it
 * skips the follower's whole run of that term.
 */
function backOffTarget(s: NodeState, conflictTerm: number, conflictIndex: number): { nextIndex: number; why: string } {
  if (conflictTerm === 0) {
    return { nextIndex: conflictIndex, why: `its log ends at ${conflictIndex - 1}, so resume at ${conflictIndex}` };
  }
  const theirs = `its conflicting entry has term ${conflictTerm}, which it holds from index ${conflictIndex}`;
  const lastOfTerm = s.log.lastIndexOfTerm(conflictTerm);
  return lastOfTerm > 0
    ? { nextIndex: lastOfTerm + 1, why: `${theirs}; we hold term ${conflictTerm} up to ${lastOfTerm}, so resume at ${lastOfTerm + 1}` }
    : { nextIndex: conflictIndex, why: `${theirs}; we have no term ${conflictTerm}, so skip its whole run: resume at ${conflictIndex}` };
}

/** The target is kept above matchIndex (those entries match) and at most one past our log. */
function clampNote(nextIndex: number, target: number, matchIndex: number): string {
  if (nextIndex === target) return '';
  return nextIndex === matchIndex + 1 ? ` (not below matchIndex + 1 = ${nextIndex})` : ` (not past our last index + 1 = ${nextIndex})`;
}

/** A reply from a server the configuration no longer holds (it was removed while the request was in flight). */
export function ignoreNonMember(s: NodeState, from: NodeId, type: string): void {
  emit(s, 'message-ignored', RULE.configTakesEffect,
    `${type} from S${from} ignored: S${from} is not in the configuration in effect, so the leader no longer tracks it`, { from });
}
