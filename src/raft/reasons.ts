// The rules of the paper that events cite, and small formatters, so every reason reads the same way.
// Figure 2 is quoted by section and item; the dissertation is Ongaro's PhD thesis (2014).

import type { Entry, NodeId } from './types';

export const RULE = {
  allServersHigherTerm: 'Figure 2 · Rules for Servers · All Servers 2',
  followerTimeout: 'Figure 2 · Rules for Servers · Followers 2',
  candidateStart: 'Figure 2 · Rules for Servers · Candidates 1',
  candidateWins: 'Figure 2 · Rules for Servers · Candidates 2',
  candidateSeesLeader: 'Figure 2 · Rules for Servers · Candidates 3',
  leaderHeartbeat: 'Figure 2 · Rules for Servers · Leaders 1',
  leaderAppend: 'Figure 2 · Rules for Servers · Leaders 2',
  leaderReplicate: 'Figure 2 · Rules for Servers · Leaders 3',
  leaderBackOff: 'Figure 2 · Rules for Servers · Leaders 3.2 (accelerated, §5.3)',
  leaderCommit: 'Figure 2 · Rules for Servers · Leaders 4 (§5.4.2)',
  voteReceiver1: 'Figure 2 · RequestVote RPC · receiver 1',
  voteReceiver2: 'Figure 2 · RequestVote RPC · receiver 2 (§5.4.1)',
  appendReceiver1: 'Figure 2 · AppendEntries RPC · receiver 1',
  appendReceiver2: 'Figure 2 · AppendEntries RPC · receiver 2',
  appendReceiver3: 'Figure 2 · AppendEntries RPC · receiver 3',
  appendReceiver4: 'Figure 2 · AppendEntries RPC · receiver 4',
  appendReceiver5: 'Figure 2 · AppendEntries RPC · receiver 5',
  electionSafety: '§5.2 · Election Safety: at most one leader per term',
  leaderNoOp: '§8 · a new leader commits a blank no-op entry',
  redirect: '§8 · clients are redirected to the leader',
  staleReply: 'Figure 2 · All Servers 2 (a reply from an older term is obsolete)',
  reorderedReply: '§5.3 · matchIndex increases monotonically',
  readIndex: 'Dissertation §6.4 · ReadIndex',
  preVote: 'Dissertation §9.6 · Pre-Vote',
  checkQuorum: 'Dissertation §6.2 · leader steps down without a quorum',
  leaderStickiness: 'Dissertation §4.2.3 · ignore RequestVote within the minimum election timeout of hearing a leader',
  labTimeoutNow: 'Raft Lab · time out now (a lab control, as in RaftScope)',
  boundedOutput: 'Raft Lab · bounded output buffer (Raft tolerates lost messages)',
  compaction: '§7 · Log compaction: a snapshot replaces the committed, applied prefix of the log',
  snapshotSend: '§7 · the leader sends InstallSnapshot to a follower whose next entry was discarded',
  snapshotReplied: 'Figure 13 · InstallSnapshot RPC · the follower stores the log up to lastIncludedIndex',
  snapshotReceiver1: 'Figure 13 · InstallSnapshot RPC · receiver 1',
  snapshotReceiver2: 'Figure 13 · InstallSnapshot RPC · receiver 2-4 (chunks in offset order)',
  snapshotReceiver5: 'Figure 13 · InstallSnapshot RPC · receiver 5 (never replace a newer state)',
  snapshotReceiver6: 'Figure 13 · InstallSnapshot RPC · receiver 6 (retain the entries that follow)',
  snapshotReceiver7: 'Figure 13 · InstallSnapshot RPC · receiver 7-8 (discard the log, reset the state machine)',
  snapshotCovered: '§7 · an AppendEntries entry inside the snapshot is already committed here',
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

export function indexRange(first: number, last: number): string {
  return first === last ? `${first}` : `${first}..${last}`;
}

export function describeEntries(entries: readonly Entry[]): string {
  const first = entries[0];
  const last = entries[entries.length - 1];
  if (first === undefined || last === undefined) return 'no entries';
  return first.term === last.term
    ? `entries ${indexRange(first.index, last.index)} (term ${first.term})`
    : `entries ${indexRange(first.index, last.index)} (terms ${first.term}..${last.term})`;
}
