// Raft events as the nodes report them (kinds, rules, data and reasons shaped like a real 5-server lab's), for the
// tests of what the UI tells about them: captions, the line under each server, the event log's ideas.
import type { LabEvent, RaftEventView } from '../../../src/protocol/events';
import { EventStream, appendEntries } from './event-builders';

type Data = RaftEventView['data'];

export const RULES = {
  higherTerm: 'Figure 2 · Rules for Servers · All Servers 2',
  candidateStart: 'Figure 2 · Rules for Servers · Candidates 1',
  candidateWins: 'Figure 2 · Rules for Servers · Candidates 2',
  voteReceiver2: 'Figure 2 · RequestVote RPC · receiver 2 (§5.4.1)',
  appendReceiver2: 'Figure 2 · AppendEntries RPC · receiver 2',
  appendReceiver4: 'Figure 2 · AppendEntries RPC · receiver 4',
  appendReceiver5: 'Figure 2 · AppendEntries RPC · receiver 5',
  leaderCommit: 'Figure 2 · Rules for Servers · Leaders 4 (§5.4.2)',
  leaderAppend: 'Figure 2 · Rules for Servers · Leaders 2',
  noOp: '§8 · a new leader commits a blank no-op entry',
  staleReply: 'Figure 2 · All Servers 2 (a reply from an older term is obsolete)',
} as const;

export function raftEvent(stream: EventStream, node: number, kind: RaftEventView['kind'], term: number, data: Data, reason: string,
  rule: string): LabEvent {
  return stream.add({ type: 'raft', node, event: { kind, node, term, rule, reason, data } });
}

/** `candidate` wins `term` in a cluster of `nodes`, every other server granting its vote, then the no-op commits. */
export function election(stream: EventStream, candidate: number, term: number, nodes = 5): EventStream {
  const others = Array.from({ length: nodes }, (_, i) => i + 1).filter((id) => id !== candidate);
  const quorum = Math.floor(nodes / 2) + 1;
  raftEvent(stream, candidate, 'term-changed', term, { from: term - 1, to: term },
    'starting an election: election timeout elapsed at 2452.6078866999947 ms without hearing from a leader', RULES.candidateStart);
  raftEvent(stream, candidate, 'role-changed', term, { from: 'follower', to: 'candidate' },
    'election timeout elapsed at 2452.6078866999947 ms without hearing from a leader', RULES.candidateStart);
  raftEvent(stream, candidate, 'election-started', term, { preVote: false, lastLogTerm: term - 1, lastLogIndex: 0 },
    `S${candidate} votes for itself in term ${term} and asks for votes: log last term ${term - 1}, last index 0`, RULES.candidateStart);
  let granted = 1;
  for (const voter of others) {
    raftEvent(stream, voter, 'term-changed', term, { from: term - 1, to: term },
      `RequestVote from S${candidate} carries term ${term} > currentTerm ${term - 1}`, RULES.higherTerm);
    raftEvent(stream, voter, 'vote-granted', term, { candidate, votedFor: null, lastLogTerm: 0, lastLogIndex: 0 },
      `granted vote to S${candidate} in term ${term}: its log is at least as up-to-date as ours`, RULES.voteReceiver2);
    if (granted < quorum) {
      granted += 1;
      raftEvent(stream, candidate, 'vote-received', term, { from: voter, granted: true, votesGranted: granted, votesDenied: 0, quorum },
        `S${voter} granted its vote: ${granted} of ${nodes}, majority ${quorum}`, RULES.candidateWins);
    }
  }
  stream.state(candidate, { role: 'leader', term, votedFor: candidate, leaderId: candidate });
  raftEvent(stream, candidate, 'role-changed', term, { from: 'candidate', to: 'leader' }, 'votes from a majority', RULES.candidateWins);
  raftEvent(stream, candidate, 'became-leader', term, { voters: 'S1, S3, S5', lastLogIndex: 0 },
    `S${candidate} won the election of term ${term} with votes from S1, S3, S5 (majority ${quorum} of ${nodes})`, RULES.candidateWins);
  raftEvent(stream, candidate, 'entries-appended', term, { firstIndex: 1, lastIndex: 1 },
    'appended no-op entry 1 (term 1) so that entries of earlier terms can commit with it', RULES.noOp);
  return stream;
}

/** A heartbeat round: the leader's empty AppendEntries to each follower, accepted, with their state reports. */
export function heartbeatRound(stream: EventStream, leader: number, term: number, nodes = 5, round = 0): EventStream {
  for (let follower = 1; follower <= nodes; follower += 1) {
    if (follower === leader) continue;
    const id = `hb-${round}-${follower}`;
    stream.send(id, appendEntries(leader, follower, term));
    stream.receive(id, appendEntries(leader, follower, term));
    raftEvent(stream, follower, 'append-accepted', term, { from: leader, prevLogIndex: 1, prevLogTerm: term, entries: 0, matchIndex: 1 },
      'log matches the leader at prevLogIndex 1 (term 1); heartbeat accepted, matchIndex = 1', RULES.appendReceiver2);
    stream.state(follower, { term, leaderId: leader, electionDeadlineNs: stream.atNs + 200e6 + round });
  }
  return stream;
}

/** The leader commits `index` (stored on S1, S3, S5), then each follower learns it. */
export function commit(stream: EventStream, leader: number, term: number, index: number, nodes = 5): EventStream {
  raftEvent(stream, leader, 'commit-advanced', term, { replicatedOn: 'S1, S3, S5', entryTerm: term, firstIndex: index, commitIndex: index },
    `committed entries ${index}: entry ${index} (term ${term}) is stored on a majority (S1, S3, S5)`, RULES.leaderCommit);
  for (let follower = 1; follower <= nodes; follower += 1) {
    if (follower === leader) continue;
    raftEvent(stream, follower, 'commit-advanced', term, { leaderCommit: index, lastNewIndex: index, firstIndex: index, commitIndex: index },
      `committed entries ${index}: leaderCommit ${index} > commitIndex ${index - 1}`, RULES.appendReceiver5);
  }
  return stream;
}
