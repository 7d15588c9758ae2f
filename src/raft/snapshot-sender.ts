// Leader side of log compaction (§7, Figure 13): a follower whose nextIndex falls into the compacted prefix cannot
// be repaired with AppendEntries (the entries are gone), so the leader sends its snapshot instead, in chunks of at
// most maxSnapshotChunkChars. One chunk is in flight per follower (stop-and-wait: bounded memory); each reply says
// how much the follower holds, a lost chunk is resent from there at the next heartbeat. The transfer sends the
// snapshot it started with to the end (pinned): a newer snapshot on the leader does not restart it, or a follower
// with a large state would never finish under steady writes; once installed, the follower gets the newer one if it
// still needs it.

import { fail } from './assert';
import { maybeAdvanceLeaderCommit } from './commit';
import type { Progress, SnapshotTransfer } from './progress';
import { RULE, aRole, characterRange } from './reasons';
import { emit, peerProgress, send, type NodeState } from './state';
import type { InstallSnapshotReply, NodeId, Snapshot } from './types';

/** True when this follower needs the snapshot: the entry it needs next was discarded (§7). */
export function needsSnapshot(s: NodeState, progress: Progress): boolean {
  return progress.nextIndex <= s.log.snapshotIndex();
}

/**
 * Sends the next chunk to `peer`. `resend` is true for a heartbeat: an unanswered chunk is sent again from the last
 * acknowledged offset; otherwise (proposals, reads) nothing is sent while a chunk is still fresh in flight.
 */
export function sendSnapshotChunk(s: NodeState, peer: NodeId, resend: boolean): void {
  const latest = s.snapshot;
  if (!(latest !== null && s.role === 'leader')) fail(`S${s.config.id} has no snapshot to send to S${peer}`);
  const progress = peerProgress(s, peer);
  let transfer = progress.snapshot;
  // A transfer carries on with its pinned snapshot until it completes, or until the follower holds that snapshot's
  // index anyway (it then needs a newer one).
  if (transfer === null || progress.matchIndex >= transfer.snapshot.lastIncludedIndex) {
    transfer = { snapshot: latest, ackedOffset: 0, sentOffset: 0, lastSentMs: -Infinity };
    progress.snapshot = transfer;
  } else if (!resend && transfer.sentOffset > transfer.ackedOffset && s.nowMs - transfer.lastSentMs < s.config.heartbeatMs) {
    return; // a chunk is in flight; its reply (or the next heartbeat) moves the transfer on
  }
  sendChunk(s, peer, transfer.snapshot, transfer);
}

function sendChunk(s: NodeState, peer: NodeId, snapshot: Snapshot, transfer: SnapshotTransfer): void {
  const offset = transfer.ackedOffset;
  const end = Math.min(snapshot.data.length, offset + s.config.maxSnapshotChunkChars);
  const done = end === snapshot.data.length;
  // Sent before and not acknowledged since: the same chunk again (lost, or its reply is late).
  const again = transfer.sentOffset > transfer.ackedOffset;
  transfer.sentOffset = end;
  transfer.lastSentMs = s.nowMs;
  send(s, {
    type: 'InstallSnapshot', from: s.config.id, to: peer, term: s.term,
    lastIncludedIndex: snapshot.lastIncludedIndex, lastIncludedTerm: snapshot.lastIncludedTerm,
    offset, data: snapshot.data.slice(offset, end), done,
    ...(snapshot.config === undefined ? {} : { config: snapshot.config }),
  });
  const progress = peerProgress(s, peer);
  const pinned = s.snapshot !== null && s.snapshot.lastIncludedIndex > snapshot.lastIncludedIndex
    ? ` (the transfer keeps the snapshot it started with; we have compacted through ${s.snapshot.lastIncludedIndex} since)` : '';
  const what = `the snapshot (last index ${snapshot.lastIncludedIndex}, term ${snapshot.lastIncludedTerm}), ${characterRange(offset, end)} of ${snapshot.data.length}${pinned}`;
  emit(s, 'snapshot-sent', RULE.snapshotSend,
    (again
      ? `S${peer} has not acknowledged the last chunk: resending ${what}`
      : `S${peer} needs entry ${progress.nextIndex}, but our log was compacted through ${s.snapshot?.lastIncludedIndex ?? snapshot.lastIncludedIndex}: sending ${what}`) +
    (done ? ' (last chunk)' : ''),
    { to: peer, lastIncludedIndex: snapshot.lastIncludedIndex, lastIncludedTerm: snapshot.lastIncludedTerm, offset, length: end - offset, total: snapshot.data.length, done, resend: again });
}

/**
 * A reply of the current term (term rules ran before dispatch). Returns true when the follower now holds the
 * snapshot and AppendEntries should carry on from its new nextIndex.
 */
export function onInstallSnapshotReply(s: NodeState, reply: InstallSnapshotReply): boolean {
  if (reply.term !== s.term) fail(`reply of term ${reply.term} dispatched in term ${s.term}`);
  if (s.role !== 'leader') {
    emit(s, 'message-ignored', RULE.onlyLeaderTracksFollowers,
      `InstallSnapshot reply from S${reply.from} ignored: S${s.config.id} is ${aRole(s.role)} in term ${s.term}, no longer the leader`, { from: reply.from });
    return false;
  }
  if (!s.progress.has(reply.from)) {
    emit(s, 'message-ignored', RULE.configTakesEffect,
      `InstallSnapshot reply from S${reply.from} ignored: S${reply.from} is not in the configuration in effect, so the leader no longer tracks it`, { from: reply.from });
    return false;
  }
  const progress = peerProgress(s, reply.from);
  progress.lastHeardMs = s.nowMs;
  if (reply.done) return onInstalled(s, progress, reply);
  const transfer = progress.snapshot;
  if (transfer === null || transfer.snapshot.lastIncludedIndex !== reply.lastIncludedIndex) {
    emit(s, 'message-ignored', RULE.abandonedTransfer,
      `InstallSnapshot reply from S${reply.from} is about the snapshot through ${reply.lastIncludedIndex}, which is no longer being sent to it`,
      { from: reply.from, lastIncludedIndex: reply.lastIncludedIndex });
    return false;
  }
  // The follower says how much it holds: continue from there (a restarted follower says 0).
  transfer.ackedOffset = Math.min(reply.bytesStored, transfer.snapshot.data.length);
  sendChunk(s, reply.from, transfer.snapshot, transfer);
  return false;
}

function onInstalled(s: NodeState, progress: Progress, reply: InstallSnapshotReply): boolean {
  if (progress.snapshot !== null && progress.snapshot.snapshot.lastIncludedIndex <= reply.lastIncludedIndex) progress.snapshot = null;
  if (reply.lastIncludedIndex <= progress.matchIndex) {
    emit(s, 'message-ignored', RULE.matchIndexMonotonic,
      `InstallSnapshot reply from S${reply.from} confirms index ${reply.lastIncludedIndex}, but matchIndex is already ${progress.matchIndex} ` +
      '(it answers an older or duplicate request, or AppendEntries got there first)',
      { from: reply.from, lastIncludedIndex: reply.lastIncludedIndex, matchIndex: progress.matchIndex });
    return false;
  }
  if (!(reply.lastIncludedIndex <= s.log.lastIndex())) fail(`S${reply.from} installed snapshot ${reply.lastIncludedIndex} beyond our last index ${s.log.lastIndex()}`);
  progress.matchIndex = reply.lastIncludedIndex;
  progress.nextIndex = Math.max(progress.nextIndex, progress.matchIndex + 1);
  emit(s, 'append-accepted', RULE.snapshotReplied,
    `S${reply.from} holds the snapshot through index ${reply.lastIncludedIndex}: matchIndex = ${progress.matchIndex}, nextIndex = ${progress.nextIndex}`,
    { from: reply.from, matchIndex: progress.matchIndex, nextIndex: progress.nextIndex });
  maybeAdvanceLeaderCommit(s);
  return progress.matchIndex < s.log.lastIndex();
}
