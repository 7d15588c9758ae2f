// The rules of the paper that events cite, and small formatters, so every reason reads the same way.
// Figure 2 is quoted by section and item; the dissertation is Ongaro's PhD thesis (2014).

import type { Configuration, Entry, NodeId, Role } from './types';

export const RULE = {
  allServersHigherTerm: 'Figure 2 · Rules for Servers · All Servers 2',
  followerTimeout: 'Figure 2 · Rules for Servers · Followers 2',
  candidateStart: 'Figure 2 · Rules for Servers · Candidates 1',
  candidateWins: 'Figure 2 · Rules for Servers · Candidates 2',
  candidateSeesLeader: 'Figure 2 · Rules for Servers · Candidates 3',
  candidateTimeout: 'Figure 2 · Rules for Servers · Candidates 4',
  leaderHeartbeat: 'Figure 2 · Rules for Servers · Leaders 1',
  leaderAppend: 'Figure 2 · Rules for Servers · Leaders 2',
  leaderReplicate: 'Figure 2 · Rules for Servers · Leaders 3',
  leaderBackOff: 'Figure 2 · Rules for Servers · Leaders 3, 2nd bullet (accelerated, §5.3)',
  leaderCommit: 'Figure 2 · Rules for Servers · Leaders 4 (§5.4.2)',
  voteReceiver1: 'Figure 2 · RequestVote RPC · receiver 1',
  voteReceiver2: 'Figure 2 · RequestVote RPC · receiver 2 (§5.4.1)',
  appendReceiver1: 'Figure 2 · AppendEntries RPC · receiver 1',
  appendReceiver2: 'Figure 2 · AppendEntries RPC · receiver 2',
  appendReceiver3: 'Figure 2 · AppendEntries RPC · receiver 3',
  appendReceiver4: 'Figure 2 · AppendEntries RPC · receiver 4',
  appendReceiver5: 'Figure 2 · AppendEntries RPC · receiver 5',
  matchIndexMonotonic: 'Figure 2 · State · matchIndex (increases monotonically)',
  electionSafety: '§5.2 · Election Safety: at most one leader per term',
  onlyCandidateCountsVotes: '§5.2 · only a candidate counts votes',
  voteCountedOnce: '§5.2 · a candidate counts each server\'s vote once',
  onlyLeaderTracksFollowers: '§5.3 · only a leader keeps nextIndex, matchIndex',
  obsoleteTerm: '§5.1 · terms expose obsolete information',
  leaderNoOp: '§8, §5.4.2 · a new leader commits a blank no-op entry',
  redirect: '§8 · clients are redirected to the leader',
  duplicateRejection: 'Raft Lab · duplicate or late rejection',
  flowControl: 'Raft Lab · flow control (not in the paper)',
  transfer: 'Dissertation §3.10 · leadership transfer',
  transferTimeoutNow: 'Dissertation §3.10 · TimeoutNow: the target starts an election at once',
  transferAbort: 'Dissertation §3.10 · a transfer that does not complete within an election timeout is abandoned',
  transferVote: 'Dissertation §3.10, §4.2.3 · a vote request caused by TimeoutNow is not ignored for a recent leader',
  flowProbe: 'Flow control (as in etcd-io/raft) · Probe: one AppendEntries per answer or heartbeat until the logs match',
  flowReplicate: 'Flow control (as in etcd-io/raft) · Replicate: AppendEntries pipelined within the in-flight window',
  flowSnapshot: 'Flow control (as in etcd-io/raft) · Snapshot: no AppendEntries while InstallSnapshot is in flight',
  readIndex: 'Dissertation §6.4 · ReadIndex',
  preVote: 'Dissertation §9.6 · Pre-Vote',
  onlyPreCandidateCountsPreVotes: 'Dissertation §9.6 · only a pre-candidate counts pre-votes',
  checkQuorum: 'Dissertation §6.2 · leader steps down without a quorum',
  leaderStickiness: 'Dissertation §4.2.3 · ignore RequestVote within the minimum election timeout of hearing a leader',
  labTimeoutNow: 'Raft Lab · time out now (a lab control, as in RaftScope)',
  boundedOutput: 'Raft Lab · bounded output buffer (Raft tolerates lost messages)',
  invalidMessage: 'Raft Lab · invalid message (no correct server sends it): ignored, nothing changes',
  compaction: '§7 · Log compaction: a snapshot replaces the committed, applied prefix of the log',
  snapshotSend: '§7 · the leader sends InstallSnapshot to a follower whose next entry was discarded',
  snapshotReplied: 'Figure 13 · InstallSnapshot RPC · the follower stores the log up to lastIncludedIndex',
  abandonedTransfer: 'Raft Lab · reply to an abandoned chunked transfer',
  snapshotReceiver1: 'Figure 13 · InstallSnapshot RPC · receiver 1',
  snapshotReceiver2: 'Figure 13 · InstallSnapshot RPC · receiver 2-4 (chunks in offset order)',
  snapshotUnusable: 'Figure 13 · InstallSnapshot RPC · receiver 5 (the lab checks the snapshot before saving it)',
  snapshotNotNewer: '§7 (lab shortcut, as in etcd) · nothing beyond commitIndex to install',
  snapshotReceiver6: 'Figure 13 · InstallSnapshot RPC · receiver 6 (the lab also loads the snapshot into the state machine)',
  snapshotReceiver7: 'Figure 13 · InstallSnapshot RPC · receiver 7-8 (discard the log, reset the state machine)',
  snapshotCovered: '§7 · an AppendEntries entry inside the snapshot is already committed here',
  configTakesEffect: 'Dissertation §4.1 · a server uses the latest configuration in its log, committed or not',
  configReverted: 'Dissertation §4.1 · a truncated configuration entry: the previous configuration is back in effect',
  configFromSnapshot: '§7, dissertation §5.1 · a snapshot keeps the latest configuration as of its last index',
  configOneAtATime: 'Dissertation §4.1 · one configuration change at a time (the last one must commit first)',
  configOwnTermFirst: 'Dissertation §4.1 (the 2015 fix) · a leader changes the configuration only after an entry of its term commits',
  configInvalid: 'Dissertation §4.1 · a change must make sense in the current configuration',
  leaderRemoved: 'Dissertation §4.2.2 · a leader removed from the configuration steps down once the change commits',
  learnerCatchUp: 'Dissertation §4.2.1 · a new server catches up as a non-voting learner, in rounds',
  notAVoter: 'Dissertation §4.2.1 · only voters of a server\'s configuration campaign',
  jointConsensus: 'Paper §6, Figure 11 · joint consensus: C_old,new needs both majorities, then C_new',
} as const;

export function nodeName(id: NodeId | null): string {
  return id === null ? 'nobody' : `S${id}`;
}

export function nodeList(ids: readonly NodeId[]): string {
  if (ids.length === 0) return 'none';
  // A loop rather than map/join: reasons are built for every event, so they avoid temporary arrays.
  let text = `S${ids[0] as NodeId}`;
  for (let i = 1; i < ids.length; i++) text += `, S${ids[i] as NodeId}`;
  return text;
}

/** "entry 3", "entries 3..5", or "no entries" when the range is empty (last < first). */
export function entryRange(first: number, last: number): string {
  if (last < first) return 'no entries';
  return first === last ? `entry ${first}` : `entries ${first}..${last}`;
}

/** §5.4.2: entries of earlier terms commit with a later one. `aside` goes after the entries ("..., not known ..., "). */
export function earlierTermsCommitWithIt(first: number, last: number, aside = ''): string {
  return first === last
    ? `entry ${first} of an earlier term${aside} commits with it (§5.4.2)`
    : `entries ${first}..${last} of earlier terms${aside} commit with it (§5.4.2)`;
}

/** "1 character", "3 characters" (snapshot sizes). */
export function characters(count: number): string {
  return count === 1 ? '1 character' : `${count} characters`;
}

/** Characters offset..end-1 of a snapshot, written inclusive like every other range: "characters 0..4", "character 5". */
export function characterRange(offset: number, end: number): string {
  if (end <= offset) return 'no characters';
  return end - offset === 1 ? `character ${offset}` : `characters ${offset}..${end - 1}`;
}

/** "1 message", "3 messages". */
export function messageCount(count: number): string {
  return count === 1 ? '1 message' : `${count} messages`;
}

/** "1 entry", "3 entries". */
export function entryCount(count: number): string {
  return count === 1 ? '1 entry' : `${count} entries`;
}

export function describeEntries(entries: readonly Entry[]): string {
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (first === undefined || last === undefined) return 'no entries';
  return first.term === last.term
    ? `${entryRange(first.index, last.index)} (term ${first.term})`
    : `${entryRange(first.index, last.index)} (terms ${first.term}..${last.term})`;
}

/** Role names as the UI writes them: "pre-candidate", not the identifier "precandidate". */
export function roleName(role: Role): string {
  return role === 'precandidate' ? 'pre-candidate' : role;
}

/** "a follower", "a pre-candidate", "a candidate", "the leader". */
export function aRole(role: Role): string {
  return role === 'leader' ? 'the leader' : `a ${roleName(role)}`;
}

/** Durations for humans: whole milliseconds (the lab's clock is fractional). */
export function ms(durationMs: number): string {
  return `${Math.round(durationMs)} ms`;
}

/** Where a client should go: the leader we know of, or anyone else while no leader is known. */
export function redirectHint(leaderId: NodeId | null): string {
  return leaderId === null ? 'no leader known yet: try another server' : `try S${leaderId} (the leader)`;
}

/** "voters S1, S2, S3; learner S4", or for a joint configuration "joint: old voters S1, S2, S3 and new voters ...". */
export function describeConfig(config: Configuration): string {
  const learners = config.learners.length === 0 ? '' : `; ${config.learners.length === 1 ? 'learner' : 'learners'} ${nodeList(config.learners)}`;
  if (config.outgoing.length > 0) return `joint C_old,new: old voters ${nodeList(config.outgoing)} and new voters ${nodeList(config.voters)}${learners}`;
  return `voters ${nodeList(config.voters)}${learners}`;
}
