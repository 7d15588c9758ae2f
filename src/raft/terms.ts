// Term reconciliation done before any handler runs (Figure 2, "All Servers" 2 and each RPC's receiver 1), plus the
// two exceptions of the extensions: pre-vote messages never change anyone's term, and with check-quorum a server
// that recently heard from its leader ignores vote requests (leader stickiness).

import { isVoter } from './membership';
import { RULE } from './reasons';
import { becomeFollower } from './roles';
import { emit, hasBug, heardFromLeaderRecently, leaderStillHeard, send, type NodeState } from './state';
import type { AppendEntriesReply, InstallSnapshotReply, Message, RequestVoteReply } from './types';

/**
 * Returns the message to dispatch to its handler, or null when it was fully handled here. A message from a newer
 * term makes this server a follower of that term first.
 */
export function reconcileTerm(s: NodeState, message: Message): Message | null {
  if (message.term > s.term) return onNewerTerm(s, message);
  if (message.term < s.term) {
    onOlderTerm(s, message);
    return null;
  }
  return message;
}

function onNewerTerm(s: NodeState, message: Message): Message | null {
  const isReply = message.type === 'RequestVoteReply' || message.type === 'AppendEntriesReply' || message.type === 'InstallSnapshotReply';
  if (message.type === 'RequestVote') {
    // §4.2.3 always protects a current leader from a server outside our configuration (a removed server that never
    // learned it was removed would otherwise depose it again and again); with check-quorum, from every server.
    const outsider = !isVoter(s.membership.config, message.from);
    // A candidate the leader itself handed leadership to (TimeoutNow, §3.10) is not disrupting anything: it is answered.
    const transfer = message.leadershipTransfer === true && !outsider;
    if (transfer && heardFromLeaderRecently(s)) {
      emit(s, 'message-ignored', RULE.transferVote,
        `vote request from S${message.from} for term ${message.term} is answered although ${leaderStillHeard(s)}: ` +
        'it campaigns because the leader handed leadership to it (TimeoutNow)', { from: message.from, requestTerm: message.term });
    }
    if (!transfer && (s.config.checkQuorum || outsider) && heardFromLeaderRecently(s)) {
      emit(s, 'message-ignored', RULE.leaderStickiness,
        `${message.preVote ? 'pre-vote' : 'vote'} request from S${message.from} for term ${message.term} ignored` +
        `${outsider ? ` (S${message.from} is not a voter in our configuration)` : ''}: ` +
        leaderStillHeard(s),
        { from: message.from, requestTerm: message.term, leaderId: s.leaderId });
      return null;
    }
    if (message.preVote) return message;
  }
  if (message.type === 'RequestVoteReply' && message.preVote && message.voteGranted) return message;
  if (isReply && s.role === 'leader' && hasBug(s, 'no-step-down-on-higher-term')) {
    // Planted bug: no-step-down-on-higher-term — the leader treats a newer term in a reply as its own.
    return { ...message, term: s.term };
  }
  const leaderId = message.type === 'AppendEntries' || message.type === 'InstallSnapshot' ? message.from : null;
  becomeFollower(s, message.term, leaderId, RULE.allServersHigherTerm,
    `${message.type} from S${message.from} carries term ${message.term} > currentTerm ${s.term}`);
  return message;
}

function onOlderTerm(s: NodeState, message: Message): void {
  const why = `term ${message.term} < currentTerm ${s.term}`;
  switch (message.type) {
    case 'RequestVote':
      emit(s, 'vote-denied', RULE.voteReceiver1, `denied ${message.preVote ? 'pre-vote' : 'vote'} to S${message.from}: ${why}`,
        { candidate: message.from, requestTerm: message.term, preVote: message.preVote });
      send(s, { type: 'RequestVoteReply', from: s.config.id, to: message.from, term: s.term, voteGranted: false, preVote: message.preVote });
      return;
    case 'AppendEntries':
      emit(s, 'append-rejected', RULE.appendReceiver1, `rejected AppendEntries from S${message.from}: ${why}; it is not the current leader`,
        { from: message.from, requestTerm: message.term, prevLogIndex: message.prevLogIndex, prevLogTerm: message.prevLogTerm });
      send(s, {
        type: 'AppendEntriesReply', from: s.config.id, to: message.from, term: s.term, success: false,
        // Echoing the round is harmless: a current leader steps down on this reply's higher term, and a leader that
        // restarted into this term started its rounds above every round of older terms (see becomeLeader).
        matchIndex: 0, conflictTerm: 0, conflictIndex: 0, readRound: message.readRound,
      });
      return;
    case 'InstallSnapshot':
      emit(s, 'snapshot-rejected', RULE.snapshotReceiver1, `rejected InstallSnapshot from S${message.from}: ${why}; it is not the current leader`,
        { from: message.from, requestTerm: message.term, lastIncludedIndex: message.lastIncludedIndex });
      send(s, {
        type: 'InstallSnapshotReply', from: s.config.id, to: message.from, term: s.term,
        lastIncludedIndex: message.lastIncludedIndex, bytesStored: 0, done: false,
      });
      return;
    case 'RequestVoteReply':
    case 'AppendEntriesReply':
    case 'InstallSnapshotReply':
      onOlderReply(s, message);
      return;
  }
}

/**
 * A reply carries its sender's term, never below the request's: a lower one answers a request of an earlier term.
 * A pre-vote denial carries the voter's own term, which says nothing about the round it answers: it is not counted.
 */
function onOlderReply(s: NodeState, reply: RequestVoteReply | AppendEntriesReply | InstallSnapshotReply): void {
  const data = { from: reply.from, type: reply.type, replyTerm: reply.term };
  if (reply.type === 'RequestVoteReply' && reply.preVote && !reply.voteGranted) {
    emit(s, 'message-ignored', RULE.preVote,
      `pre-vote denial from S${reply.from} not counted: a denial carries the voter's own term (${reply.term}, below our ${s.term}), ` +
      'which does not tell which pre-vote round it answers', data);
    return;
  }
  emit(s, 'message-ignored', RULE.obsoleteTerm,
    `${reply.type} from S${reply.from} ignored: it carries term ${reply.term}, so it answers a request of an earlier term; we are in term ${s.term}`,
    data);
}
