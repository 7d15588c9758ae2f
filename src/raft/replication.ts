// Leader side of log replication (Figure 2, Rules for Servers, Leaders 1-3; §5.3): sending AppendEntries from each
// follower's nextIndex, and using the replies to advance matchIndex or back nextIndex off. What is sent, and when,
// follows each follower's flow-control state (progress.ts, as in etcd-io/raft): a follower in probe gets one
// AppendEntries per heartbeat interval (or per answer) until its log matches; a follower in replicate gets entries
// pipelined within its in-flight window, never the same entries twice unless one is rejected; a follower in
// snapshot gets InstallSnapshot chunks only.

import { fail } from './assert';
import { maybeAdvanceLeaderCommit } from './commit';
import { maybeSendTimeoutNow } from './leadership-transfer';
import { advanceLearners } from './membership';
import { entryBytes } from './inflights';
import type { Progress } from './progress';
import { acknowledgeReadRound, confirmReads } from './read-only';
import { RULE, aRole, messageCount, ms } from './reasons';
import { needsSnapshot, onInstallSnapshotReply, sendSnapshotChunk } from './snapshot-sender';
import { emit, isCorrectRaft, peerProgress, send, type NodeState } from './state';
import type { AppendEntriesReply, InstallSnapshotReply, NodeId, ProgressState } from './types';

/**
 * Why AppendEntries go out: `heartbeat` (Leaders 1: every follower hears from the leader, whatever its window),
 * `read-round` (a ReadIndex round must reach every follower, §6.4), `entries` (new entries, or an answer that
 * made room: only what flow control allows).
 */
export type SendTrigger = 'heartbeat' | 'read-round' | 'entries';

/**
 * AppendEntries to one follower, as its flow-control state allows; when the entries it needs were compacted away
 * (§7), the next InstallSnapshot chunk instead (a heartbeat resends an unanswered chunk).
 */
export function sendAppend(s: NodeState, peer: NodeId, trigger: SendTrigger): void {
  if (s.role !== 'leader') fail(`S${s.config.id} sends AppendEntries as ${s.role}`);
  const progress = peerProgress(s, peer);
  if (progress.state === 'replicate' && trigger === 'heartbeat' && s.nowMs - progress.lastHeardMs >= s.config.electionTimeoutMinMs) {
    // Silence is not a rejection, but a follower that answers nothing for an election timeout (crashed, cut off) gets
    // probes rather than a window of entries it may never see (etcd moves an unreachable follower to probe too).
    const silentMs = s.nowMs - progress.lastHeardMs;
    changeProgressState(s, peer, progress, 'probe', RULE.flowProbe,
      `S${peer} has not answered for ${ms(silentMs)}, at least an election timeout (${ms(s.config.electionTimeoutMinMs)}): ` +
      `the ${messageCount(progress.inflight.count)} in flight are presumed lost, and it is probed from matchIndex + 1 = ${progress.matchIndex + 1}`);
    progress.nextIndex = progress.matchIndex + 1;
  }
  if (needsSnapshot(s, progress)) {
    if (progress.state !== 'snapshot') {
      changeProgressState(s, peer, progress, 'snapshot', RULE.flowSnapshot,
        `S${peer} needs entry ${progress.nextIndex}, which our snapshot through ${s.log.snapshotIndex()} replaced: ` +
        'AppendEntries stop until InstallSnapshot completes');
    }
    sendSnapshotChunk(s, peer, trigger === 'heartbeat');
    return;
  }
  progress.snapshot = null;
  if (progress.state === 'snapshot') {
    // The follower got past the snapshot another way (a late AppendEntries answer): where its log matches is known.
    changeProgressState(s, peer, progress, 'replicate', RULE.flowReplicate,
      `S${peer} stores our log up to ${progress.matchIndex}, past our snapshot: the snapshot is no longer needed`);
  }
  if (progress.state === 'probe') sendProbe(s, peer, progress, trigger);
  else sendReplicate(s, peer, progress, trigger);
}

/** Probe: one AppendEntries, then nothing until its answer or the next heartbeat. */
function sendProbe(s: NodeState, peer: NodeId, progress: Progress, trigger: SendTrigger): void {
  if (progress.probeSent && trigger !== 'heartbeat') {
    // The read round still needs this follower's answer: an empty AppendEntries carries it without resending entries.
    if (trigger === 'read-round') sendEntries(s, peer, progress.nextIndex, progress.nextIndex - 1);
    return;
  }
  sendEntries(s, peer, progress.nextIndex, Math.min(s.log.lastIndex(), progress.nextIndex - 1 + s.config.maxEntriesPerMessage));
  progress.probeSent = true;
}

/**
 * Replicate: every entry not yet sent goes out, in messages of at most maxEntriesPerMessage, while the window has
 * room; nextIndex moves past them at once (optimistically). A heartbeat or read round with nothing new to send (or
 * a full window) carries no entries (see heartbeatPosition).
 */
function sendReplicate(s: NodeState, peer: NodeId, progress: Progress, trigger: SendTrigger): void {
  const lastIndex = s.log.lastIndex();
  let sent = false;
  while (progress.nextIndex <= lastIndex && !progress.inflight.isFull()) {
    const first = progress.nextIndex;
    const last = Math.min(lastIndex, first - 1 + s.config.maxEntriesPerMessage);
    let bytes = 0;
    for (let index = first; index <= last; index++) bytes += entryBytes(s.log.entryAt(index));
    sendEntries(s, peer, first, last);
    progress.inflight.add(last, bytes, s.nowMs);
    progress.nextIndex = last + 1;
    sent = true;
  }
  if (!sent && trigger !== 'entries') {
    const prevLogIndex = heartbeatPosition(s, progress);
    sendEntries(s, peer, prevLogIndex + 1, prevLogIndex);
  }
}

/**
 * Where an empty AppendEntries to a replicating follower points. At nextIndex - 1 its answer acknowledges everything
 * in flight (a lost answer is made good) and a rejection shows that a message was lost; but sent right behind
 * entries still travelling, it may overtake them on a network that reorders and be rejected for nothing. So it
 * points there only once the newest message in flight is a heartbeat interval old, and otherwise at matchIndex,
 * which the follower is known to hold.
 */
function heartbeatPosition(s: NodeState, progress: Progress): number {
  const settled = s.nowMs - progress.inflight.newestSentAtMs >= s.config.heartbeatMs;
  return settled || progress.matchIndex < s.log.snapshotIndex() ? progress.nextIndex - 1 : progress.matchIndex;
}

/** AppendEntries carrying entries first..last (none when last < first), after prevLogIndex first - 1. */
function sendEntries(s: NodeState, peer: NodeId, first: number, last: number): void {
  const prevLogIndex = first - 1;
  send(s, {
    type: 'AppendEntries', from: s.config.id, to: peer, term: s.term,
    prevLogIndex, prevLogTerm: s.log.termAt(prevLogIndex),
    entries: last >= first ? s.log.slice(first, last) : [],
    leaderCommit: s.commitIndex, readRound: s.reads.round,
  });
}

export function broadcastAppend(s: NodeState, trigger: SendTrigger): void {
  s.broadcastPending = false;
  if (trigger !== 'entries') s.readRoundPending = false;
  for (const peer of s.membership.peers) sendAppend(s, peer, trigger);
}

/** "1 MiB", "64 KiB", "1500 bytes": a reason a student reads says the window as they would. */
function describeByteCount(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** Moves a follower's flow control to `state`, with the event that says why. */
export function changeProgressState(s: NodeState, peer: NodeId, progress: Progress, state: ProgressState, rule: string, why: string): void {
  const previous = progress.state;
  progress.state = state;
  progress.probeSent = false;
  progress.inflight.reset();
  if (state === 'replicate') progress.nextIndex = progress.matchIndex + 1;
  const what = state === 'probe'
    ? 'probe: one AppendEntries at a time until its log matches'
    : state === 'replicate'
      ? `replicate: entries from ${progress.nextIndex} are pipelined, up to ${s.config.maxInflightMessages} messages / ` +
        `${describeByteCount(s.config.maxInflightBytes)} in flight`
      : 'snapshot: InstallSnapshot only';
  emit(s, 'progress-changed', rule, `${why}; S${peer} ${previous} -> ${what}`,
    { peer, from: previous, to: state, nextIndex: progress.nextIndex, matchIndex: progress.matchIndex });
}

/** Figure 13 reply: on success the follower stores our log through the snapshot; AppendEntries take over. */
export function handleInstallSnapshotReply(s: NodeState, reply: InstallSnapshotReply): void {
  const more = onInstallSnapshotReply(s, reply);
  // Its answer may have committed a configuration that ended our leadership or removed it (§4.2.2).
  if (s.role !== 'leader' || !s.progress.has(reply.from)) return;
  const progress = peerProgress(s, reply.from);
  if (progress.state === 'snapshot' && !needsSnapshot(s, progress)) {
    progress.snapshot = null;
    changeProgressState(s, reply.from, progress, 'replicate', RULE.flowReplicate,
      `S${reply.from} holds the snapshot through ${progress.matchIndex}: its log matches ours up to there`);
  }
  maybeSendTimeoutNow(s, reply.from);
  if (more) sendAppend(s, reply.from, 'entries');
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
  if (reply.matchIndex === progress.matchIndex) {
    // A heartbeat's answer or a duplicate: nothing new, except that a follower in probe has shown where it matches.
    if (progress.state === 'probe') startReplicating(s, reply.from, progress);
    return;
  }
  // The leader's log only grows during its term, so a follower can only have matched what this leader sent.
  if (!(reply.matchIndex <= lastIndex || !isCorrectRaft(s))) fail(`S${reply.from} matched ${reply.matchIndex} beyond leader's last index ${lastIndex}`);
  progress.matchIndex = Math.min(reply.matchIndex, lastIndex);
  progress.nextIndex = Math.max(progress.nextIndex, progress.matchIndex + 1);
  progress.inflight.freeUpTo(progress.matchIndex);
  emit(s, 'append-accepted', RULE.leaderReplicate,
    `S${reply.from} stores our log up to index ${progress.matchIndex}: matchIndex = ${progress.matchIndex}, nextIndex = ${progress.nextIndex}`,
    { from: reply.from, matchIndex: progress.matchIndex, nextIndex: progress.nextIndex });
  maybeAdvanceLeaderCommit(s); // may end our leadership: a leader removed from the configuration steps down (§4.2.2)
  advanceLearners(s);
  if (s.role !== 'leader' || !s.progress.has(reply.from)) return;
  maybeSendTimeoutNow(s, reply.from); // a transfer's target that has caught up is told to campaign (§3.10)
  if (progress.state === 'probe' || (progress.state === 'snapshot' && !needsSnapshot(s, progress))) {
    startReplicating(s, reply.from, progress);
    return;
  }
  // Replicate: the answer made room in the window; send what waited for it.
  if (progress.nextIndex <= lastIndex) sendAppend(s, reply.from, 'entries');
}

/** The follower's log is known to match up to matchIndex: pipeline from there. */
function startReplicating(s: NodeState, peer: NodeId, progress: Progress): void {
  const why = progress.state === 'snapshot'
    ? `S${peer} stores our log up to ${progress.matchIndex}, past our snapshot: no InstallSnapshot needed any more`
    : `S${peer}'s log matches ours up to ${progress.matchIndex}`;
  progress.snapshot = null;
  changeProgressState(s, peer, progress, 'replicate', RULE.flowReplicate, why);
  if (progress.nextIndex <= s.log.lastIndex()) sendAppend(s, peer, 'entries');
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
  const inflight = progress.inflight.count;
  progress.nextIndex = nextIndex;
  emit(s, 'next-index-backed-off', RULE.leaderBackOff,
    `S${reply.from} rejected AppendEntries: ${target.why}${clampNote(nextIndex, target.nextIndex, progress.matchIndex)}: nextIndex ${previous} -> ${nextIndex}`,
    { from: reply.from, conflictTerm: reply.conflictTerm, conflictIndex: reply.conflictIndex, previousNextIndex: previous, nextIndex });
  if (progress.state === 'replicate') {
    changeProgressState(s, reply.from, progress, 'probe', RULE.flowProbe,
      `S${reply.from} rejected an AppendEntries sent in replicate (one before it was lost or overtaken, or its log differs); ` +
      `it is probed from nextIndex ${nextIndex}, and the ${messageCount(inflight)} in flight no longer count`);
  }
  progress.probeSent = false; // the answer came: the next probe goes now
  sendAppend(s, reply.from, 'entries');
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
