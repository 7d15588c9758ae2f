// Leader election (§5.2, §5.4.1) and its pre-vote extension (dissertation §9.6): starting elections, deciding
// votes, counting them and taking office. Term checks (All Servers 2, RequestVote receiver 1) happen before dispatch.

import { assert, fail } from './assert';
import { maybeAdvanceLeaderCommit } from './commit';
import { createProgress } from './progress';
import { isVoter, syncProgress, voterPeers } from './membership';
import { quorumText, voteOutcome } from './quorum';
import { RULE, aRole, earlierTermsCommitWithIt, ms, nodeList, nodeName } from './reasons';
import { broadcastAppend } from './replication';
import { becomeFollower, changeRole, setTerm } from './roles';
import { emit, hasBug, heardFromLeaderRecently, leaderStillHeard, resetElectionTimer, send, type NodeState } from './state';
import type { NodeId, RequestVote, RequestVoteReply, Role, TimeoutNow } from './types';

/** Followers 2 / Candidates 4 (or a pre-vote round, §9.6): the election timer fired. */
export function onElectionTimeout(s: NodeState): void {
  assert(s.role !== 'leader', 'a leader has no election timer');
  if (!isVoter(s.membership.config, s.config.id)) {
    // A learner, a server removed from the configuration, or one still waiting to join: it never campaigns.
    if (s.nowMs < s.electionTimerStartMs + s.electionTimeoutMs) {
      emit(s, 'message-ignored', RULE.notAVoter,
        `the lab fired S${s.config.id}'s election timer, but S${s.config.id} is not a voter in its configuration: it does not campaign`, {});
    }
    if (s.role !== 'follower') becomeFollower(s, s.term, null, RULE.notAVoter, `S${s.config.id} is not a voter in its configuration`);
    resetElectionTimer(s);
    return;
  }
  const { rule, why } = timeoutCause(s);
  if (s.config.preVote) startPreVote(s, why);
  else startElection(s, rule, why);
}

/**
 * The rule that fires and why, with how long the timer ran and the timeout it drew: a follower heard no leader and
 * granted no vote (Followers 2), a candidate's election produced no leader (Candidates 4), or a pre-vote round got no
 * majority either way.
 */
function timeoutCause(s: NodeState): { rule: string; why: string } {
  const { electionTimeoutMinMs: min, electionTimeoutMaxMs: max } = s.config;
  const waited = ms(s.nowMs - s.electionTimerStartMs);
  const drawn = `timeout ${ms(s.electionTimeoutMs)}, drawn in [${Math.round(min)}, ${Math.round(max)}) ms`;
  const rule = s.role === 'candidate' ? RULE.candidateTimeout : s.role === 'precandidate' ? RULE.preVote : RULE.followerTimeout;
  // The lab's "time out now" control fires the timer before its deadline: say so rather than claim a silence.
  if (s.nowMs < s.electionTimerStartMs + s.electionTimeoutMs) {
    return { rule, why: `the lab fired the election timer early, ${waited} into its ${drawn}` };
  }
  switch (s.role) {
    case 'candidate':
      return { rule, why: `no leader emerged in term ${s.term} within ${waited} (${drawn})` };
    case 'precandidate':
      return { rule, why: `the pre-vote for term ${s.term + 1} reached no majority within ${waited} (${drawn})` };
    default:
      return { rule, why: `no leader contact or granted vote for ${waited} (${drawn})` };
  }
}

function startPreVote(s: NodeState, why: string): void {
  const proposedTerm = s.term + 1;
  // A pre-candidate that runs again changes no role: its election-started event then says why.
  const again = s.role === 'precandidate';
  changeRole(s, 'precandidate', RULE.preVote, `${why}: first ask whether a majority would vote in term ${proposedTerm}`);
  s.leaderId = null;
  s.votes = new Map([[s.config.id, true]]);
  resetElectionTimer(s);
  emit(s, 'election-started', RULE.preVote,
    `${again ? `${why}: ` : ''}pre-vote for term ${proposedTerm} (our term stays ${s.term}): log last term ${s.log.lastTerm()}, last index ${s.log.lastIndex()}`,
    { preVote: true, proposedTerm, lastLogTerm: s.log.lastTerm(), lastLogIndex: s.log.lastIndex() });
  if (voteOutcome(s.membership.config, s.votes) === 'won') {
    startElection(s, RULE.preVote, 'a single-server cluster wins its own pre-vote');
    return;
  }
  requestVotes(s, proposedTerm, true);
}

/** `rule` is what made this server start (Followers 2, Candidates 4, a won pre-vote); Candidates 1 is how. */
function startElection(s: NodeState, rule: string, why: string, transfer = false): void {
  setTerm(s, s.term + 1, rule, `starting an election: ${why}`);
  s.votedFor = s.config.id;
  changeRole(s, 'candidate', rule, why);
  s.leaderId = null;
  s.votes = new Map([[s.config.id, true]]);
  resetElectionTimer(s);
  emit(s, 'election-started', RULE.candidateStart,
    `S${s.config.id} votes for itself in term ${s.term} and asks for votes: log last term ${s.log.lastTerm()}, last index ${s.log.lastIndex()}`,
    { preVote: false, lastLogTerm: s.log.lastTerm(), lastLogIndex: s.log.lastIndex() });
  if (voteOutcome(s.membership.config, s.votes) === 'won') {
    becomeLeader(s);
    return;
  }
  requestVotes(s, s.term, false, transfer);
}

function requestVotes(s: NodeState, term: number, preVote: boolean, transfer = false): void {
  for (const peer of voterPeers(s)) {
    send(s, {
      type: 'RequestVote', from: s.config.id, to: peer, term,
      lastLogIndex: s.log.lastIndex(), lastLogTerm: s.log.lastTerm(), preVote,
      ...(transfer ? { leadershipTransfer: true } : {}),
    });
  }
}

/**
 * TimeoutNow (dissertation §3.10): the leader hands leadership to this server, which starts an election at once,
 * skipping pre-vote (the leader itself asked), and marks its vote requests so that voters answer them.
 */
export function handleTimeoutNow(s: NodeState, message: TimeoutNow): void {
  const data = { from: message.from };
  if (!isVoter(s.membership.config, s.config.id)) {
    emit(s, 'message-ignored', RULE.notAVoter, `TimeoutNow from S${message.from} ignored: S${s.config.id} is not a voter in its configuration`, data);
    return;
  }
  if (s.role === 'leader') {
    // Only the leader of a term sends TimeoutNow in it: two leaders of one term, which only planted bugs allow.
    emit(s, 'message-ignored', RULE.electionSafety, `TimeoutNow from S${message.from} ignored: S${s.config.id} leads term ${s.term} itself`, data);
    return;
  }
  startElection(s, RULE.transferTimeoutNow,
    `S${message.from}, the leader of term ${message.term}, hands leadership over (TimeoutNow): no waiting for the election timer, no pre-vote`, true);
}

/** §5.4.1: later last term wins; with equal last terms, the longer log is at least as up-to-date. */
export function isLogUpToDate(
  candidateLastTerm: number, candidateLastIndex: number, ourLastTerm: number, ourLastIndex: number,
): boolean {
  if (candidateLastTerm !== ourLastTerm) return candidateLastTerm > ourLastTerm;
  return candidateLastIndex >= ourLastIndex;
}

export function handleRequestVote(s: NodeState, request: RequestVote): void {
  if (request.preVote) decidePreVote(s, request);
  else decideVote(s, request);
}

function logComparison(s: NodeState, request: RequestVote): { upToDate: boolean; text: string } {
  const upToDate = isLogUpToDate(request.lastLogTerm, request.lastLogIndex, s.log.lastTerm(), s.log.lastIndex());
  const text = `its log (last term ${request.lastLogTerm}, last index ${request.lastLogIndex}) is ` +
    `${upToDate ? 'at least as' : 'less'} up-to-date ${upToDate ? 'as' : 'than'} ours (${s.log.lastTerm()}, ${s.log.lastIndex()})`;
  return { upToDate, text };
}

/** RequestVote receiver 2: one vote per term (votedFor), only for a candidate whose log is up-to-date. */
function decideVote(s: NodeState, request: RequestVote): void {
  if (request.term !== s.term) fail(`RequestVote of term ${request.term} dispatched in term ${s.term}`);
  const { upToDate, text } = logComparison(s, request);
  const data = { candidate: request.from, votedFor: s.votedFor, lastLogTerm: request.lastLogTerm, lastLogIndex: request.lastLogIndex, ourLastLogTerm: s.log.lastTerm(), ourLastLogIndex: s.log.lastIndex() };
  const votedOther = s.votedFor !== null && s.votedFor !== request.from;
  // Planted bug: double-vote — a follower ignores the vote it already cast in this term.
  if (votedOther && !(hasBug(s, 'double-vote') && s.role === 'follower')) {
    deny(s, request, s.votedFor === s.config.id ? ownCandidacy(s) : `already voted for ${nodeName(s.votedFor)} in term ${s.term}`, data);
    return;
  }
  // Planted bug: no-up-to-date-check — skips the election restriction of §5.4.1.
  if (!upToDate && !hasBug(s, 'no-up-to-date-check')) {
    deny(s, request, text, data);
    return;
  }
  s.votedFor = request.from;
  resetElectionTimer(s);
  emit(s, 'vote-granted', RULE.voteReceiver2,
    `granted vote to S${request.from} in term ${s.term}: ${text}; the election timer restarts (${ms(s.electionTimeoutMs)})`, data);
  replyVote(s, request, s.term, true);
}

/** Why a server that voted for itself refuses others: it is running (or won) this term's election itself. */
function ownCandidacy(s: NodeState): string {
  const self = `S${s.config.id}`;
  if (s.role === 'leader') return `${self} is itself the leader of term ${s.term}`;
  if (s.role === 'candidate') return `${self} is itself a candidate in term ${s.term} (it voted for itself)`;
  return `${self} voted for itself in term ${s.term}`;
}

/** Pre-vote (§9.6): would we vote? Nobody changes term; a server that recently heard from a leader says no. */
function decidePreVote(s: NodeState, request: RequestVote): void {
  const { upToDate, text } = logComparison(s, request);
  const data = { candidate: request.from, proposedTerm: request.term, preVote: true, lastLogTerm: request.lastLogTerm, lastLogIndex: request.lastLogIndex };
  if (request.term <= s.term) {
    deny(s, request, `pre-vote for term ${request.term} is not newer than our term ${s.term}`, data);
  } else if (heardFromLeaderRecently(s)) {
    deny(s, request, leaderStillHeard(s), data);
  } else if (!upToDate && !hasBug(s, 'no-up-to-date-check')) {
    deny(s, request, text, data);
  } else {
    emit(s, 'vote-granted', RULE.preVote, `would vote for S${request.from} in term ${request.term} (pre-vote, our term stays ${s.term}): ${text}`, data);
    // A granted pre-vote carries the proposed term so the pre-candidate can tell it from a stale one.
    replyVote(s, request, request.term, true);
  }
}

function deny(s: NodeState, request: RequestVote, why: string, data: Record<string, string | number | boolean | null>): void {
  emit(s, 'vote-denied', request.preVote ? RULE.preVote : RULE.voteReceiver2,
    `denied ${request.preVote ? 'pre-vote' : 'vote'} to S${request.from} for term ${request.term}: ${why}`, data);
  replyVote(s, request, s.term, false);
}

function replyVote(s: NodeState, request: RequestVote, term: number, granted: boolean): void {
  send(s, { type: 'RequestVoteReply', from: s.config.id, to: request.from, term, voteGranted: granted, preVote: request.preVote });
}

/** A reply of the current term, or a granted pre-vote of a later one (term rules ran before dispatch). */
export function handleRequestVoteReply(s: NodeState, reply: RequestVoteReply): void {
  const what = reply.preVote ? 'pre-vote' : 'vote';
  const expectedRole: Role = reply.preVote ? 'precandidate' : 'candidate';
  const data = { from: reply.from, replyTerm: reply.term, role: s.role };
  if (s.role !== expectedRole) {
    emit(s, 'message-ignored', reply.preVote ? RULE.onlyPreCandidateCountsPreVotes : RULE.onlyCandidateCountsVotes,
      `${what} reply from S${reply.from} (term ${reply.term}) ignored: S${s.config.id} is ${roleInTerm(s)}, no longer ${aRole(expectedRole)}`, data);
    return;
  }
  // A granted pre-vote carries the term it would vote in: one for another term answers an earlier round.
  if (reply.preVote && reply.voteGranted && reply.term !== s.term + 1) {
    emit(s, 'message-ignored', RULE.obsoleteTerm,
      `pre-vote grant from S${reply.from} for term ${reply.term} ignored: it answers an earlier round; S${s.config.id} now asks about term ${s.term + 1}`, data);
    return;
  }
  const counted = s.votes.get(reply.from);
  if (counted !== undefined) {
    // Duplicated by the network, or a second answer to a request sent again: each server counts once per round.
    emit(s, 'message-ignored', RULE.voteCountedOnce,
      `duplicate ${what} reply from S${reply.from} ignored: its answer in this round is already counted (${counted ? 'granted' : 'denied'})`, data);
    return;
  }
  s.votes.set(reply.from, reply.voteGranted);
  const granted = votersWith(s, true);
  const rejected = votersWith(s, false);
  emit(s, 'vote-received', reply.preVote ? RULE.preVote : RULE.candidateWins,
    `S${reply.from} ${reply.voteGranted ? 'granted' : 'denied'} its ${reply.preVote ? 'pre-vote' : 'vote'}: ` +
    `granted by ${nodeList(granted)} (${granted.length} of ${s.membership.config.voters.length}, ${quorumText(s.membership.config)})`,
    { from: reply.from, granted: reply.voteGranted, votesGranted: granted.length, votesDenied: rejected.length, quorum: quorumText(s.membership.config) });
  const outcome = voteOutcome(s.membership.config, s.votes);
  if (outcome === 'won') {
    if (reply.preVote) startElection(s, RULE.preVote, `pre-vote won: ${nodeList(granted)} would vote for S${s.config.id}`);
    else becomeLeader(s);
  } else if (reply.preVote && outcome === 'lost') {
    becomeFollower(s, s.term, null, RULE.preVote, `pre-vote lost: ${nodeList(rejected)} would not vote for S${s.config.id}`);
  }
}

/** "the leader of term 3", "a follower in term 3". */
function roleInTerm(s: NodeState): string {
  return s.role === 'leader' ? `the leader of term ${s.term}` : `${aRole(s.role)} in term ${s.term}`;
}

function votersWith(s: NodeState, granted: boolean): NodeId[] {
  return [...s.votes].filter(([, vote]) => vote === granted).map(([voter]) => voter).sort((a, b) => a - b);
}

/** Read rounds a leader may start in one term before its rounds could reach the next term's (2^24: days of reads). */
const READ_ROUNDS_PER_TERM = 2 ** 24;

/** Candidates 2 and §8: take office, initialize nextIndex/matchIndex, append a no-op, and assert authority. */
function becomeLeader(s: NodeState): void {
  if (!(s.role === 'candidate' && s.votedFor === s.config.id)) fail(`S${s.config.id} becomes leader as ${s.role} having voted for ${nodeName(s.votedFor)}`);
  const voters = votersWith(s, true);
  changeRole(s, 'leader', RULE.candidateWins, `votes from a majority: ${nodeList(voters)}`);
  s.leaderId = s.config.id;
  s.votes.clear();
  s.progress = new Map(s.membership.peers.map((peer) => [peer, createProgress(s.log.lastIndex(), s.nowMs, s.config)]));
  s.learnerRounds.clear();
  syncProgress(s);
  s.reads.awaitingCommit = [];
  s.reads.pending = [];
  // Read rounds live in memory and restart from 0 after a crash. Starting each leadership's rounds above every round
  // of any earlier term (terms only grow) means a delayed reply from a past incarnation can never confirm a read.
  s.reads.round = Math.max(s.reads.round, s.term * READ_ROUNDS_PER_TERM);
  const nextIndex = s.log.lastIndex() + 1;
  emit(s, 'became-leader', RULE.candidateWins,
    `S${s.config.id} won the election of term ${s.term} with votes from ${nodeList(voters)} (${quorumText(s.membership.config)}); ` +
    (s.membership.peers.length === 0
      ? 'a single server has no followers to track'
      : `for every follower nextIndex = ${nextIndex} (our last index + 1) and matchIndex = 0 (Figure 2 State, reinitialized after election); ` +
        `AppendEntries go out now, then as heartbeats every ${ms(s.config.heartbeatMs)} while idle (Leaders 1); ` +
        'each follower starts in probe (flow control): one AppendEntries at a time until its log is known to match'),
    { voters: nodeList(voters), lastLogIndex: s.log.lastIndex(), nextIndex, matchIndex: 0 });
  const noOpIndex = nextIndex;
  s.log.append({ index: noOpIndex, term: s.term, command: null });
  emit(s, 'entries-appended', RULE.leaderNoOp, noOpReason(s, noOpIndex), { firstIndex: noOpIndex, lastIndex: noOpIndex });
  s.heartbeatDeadlineMs = s.nowMs + s.config.heartbeatMs;
  maybeAdvanceLeaderCommit(s);
  if ((s.role as Role) === 'leader') broadcastAppend(s, 'heartbeat'); // a committed configuration may have ended it (§4.2.2)
}

/** §8: the no-op tells the new leader which entries are committed (ReadIndex waits for it); §5.4.2: older ones commit with it. */
function noOpReason(s: NodeState, noOpIndex: number): string {
  const earlier = noOpIndex - 1 > s.commitIndex
    ? `; ${earlierTermsCommitWithIt(s.commitIndex + 1, noOpIndex - 1, ', not known to be committed here,')}`
    : '';
  return `appended no-op entry ${noOpIndex} (term ${s.term}): once it commits, the leader knows which entries are committed ` +
    `(§8; reads wait for it)${earlier}`;
}
