// Leadership transfer (dissertation §3.10): the leader stops accepting client requests, brings the target's log up to
// date (its ordinary AppendEntries, as flow control allows), then sends it TimeoutNow; the target starts an election
// at once, and wins it since its log is as up-to-date as anyone's (its vote requests are marked, so voters that heard
// from the old leader recently still answer them: §4.2.3, as etcd's campaignTransfer). The old leader steps down on the
// new term. If that has not happened within an election timeout, the transfer is abandoned and the leader accepts
// client requests again.

import { isVoter } from './membership';
import { RULE, ms } from './reasons';
import { sendAppend } from './replication';
import { emit, peerProgress, send, type NodeState } from './state';
import type { NodeId, TimeoutNow, TransferResult } from './types';

export function startTransfer(s: NodeState, to: NodeId): TransferResult {
  const refuse = (reason: string): TransferResult => {
    emit(s, 'leadership-transfer', RULE.transfer, `leadership transfer to S${to} refused: ${reason}`, { phase: 'refused', target: to });
    return { ok: false, reason, leaderHint: s.role === 'leader' ? s.config.id : s.leaderId };
  };
  if (s.role !== 'leader') return refuse(`S${s.config.id} is not the leader`);
  if (to === s.config.id) return refuse(`S${to} already leads term ${s.term}`);
  if (!isVoter(s.membership.config, to) || !s.progress.has(to)) return refuse(`S${to} is not a voter in the configuration`);
  if (s.transfer !== null && s.transfer.target === to) return { ok: true }; // already under way
  if (s.transfer !== null) {
    emit(s, 'leadership-transfer', RULE.transfer, `the transfer to S${s.transfer.target} gives way to one to S${to}`,
      { phase: 'aborted', target: s.transfer.target });
  }
  s.transfer = { target: to, deadlineMs: s.nowMs + s.config.electionTimeoutMinMs, timeoutNowSent: false };
  const progress = peerProgress(s, to);
  emit(s, 'leadership-transfer', RULE.transfer,
    `S${s.config.id} hands leadership to S${to}: it accepts no client requests meanwhile; S${to} holds our log up to ` +
    `${progress.matchIndex} of ${s.log.lastIndex()}` +
    (progress.matchIndex < s.log.lastIndex() ? ', so it is brought up to date first' : '') +
    `; abandoned unless done within ${ms(s.config.electionTimeoutMinMs)} (an election timeout)`,
    { phase: 'started', target: to, matchIndex: progress.matchIndex, lastIndex: s.log.lastIndex() });
  if (!maybeSendTimeoutNow(s, to)) sendAppend(s, to, 'entries');
  return { ok: true };
}

/** Sends TimeoutNow once the target's log matches ours; true when it has gone out (now or before). */
export function maybeSendTimeoutNow(s: NodeState, peer: NodeId): boolean {
  const transfer = s.transfer;
  if (transfer === null || transfer.target !== peer || s.role !== 'leader') return false;
  if (transfer.timeoutNowSent) return true;
  const progress = peerProgress(s, peer);
  if (progress.matchIndex < s.log.lastIndex()) return false;
  transfer.timeoutNowSent = true;
  const message: TimeoutNow = { type: 'TimeoutNow', from: s.config.id, to: peer, term: s.term };
  send(s, message);
  emit(s, 'leadership-transfer', RULE.transferTimeoutNow,
    `S${peer} holds our whole log (up to ${progress.matchIndex}): TimeoutNow tells it to start an election now`,
    { phase: 'timeout-now-sent', target: peer, matchIndex: progress.matchIndex });
  return true;
}

/** A leader's tick: a transfer still under way after an election timeout is abandoned (§3.10). */
export function checkTransferDeadline(s: NodeState): void {
  const transfer = s.transfer;
  if (transfer === null || s.nowMs < transfer.deadlineMs) return;
  s.transfer = null;
  emit(s, 'leadership-transfer', RULE.transferAbort,
    `S${transfer.target} has not taken over within an election timeout (${ms(s.config.electionTimeoutMinMs)}` +
    `${transfer.timeoutNowSent ? '; TimeoutNow went out, but no election followed' : '; its log never caught up'}): ` +
    `the transfer is abandoned and S${s.config.id} accepts client requests again`,
    { phase: 'aborted', target: transfer.target, timeoutNowSent: transfer.timeoutNowSent });
}

/** Why a proposal is refused while a transfer runs, or null. */
export function transferBlocksProposals(s: NodeState): string | null {
  const transfer = s.transfer;
  if (transfer === null) return null;
  return `S${s.config.id} is handing leadership to S${transfer.target} (dissertation §3.10): it accepts no new client requests ` +
    `until that completes or is abandoned (within ${ms(Math.max(0, transfer.deadlineMs - s.nowMs))}); try S${transfer.target}`;
}
