// Raft's vocabulary in one sentence each, for tooltips. Wording follows the Raft paper (Figure 2) so that students can
// look the terms up there.
export const GLOSSARY = {
  term: 'currentTerm: the latest term this server has seen. Terms number the elections; each has at most one leader (§5.1).',
  votedFor: 'votedFor: the candidate this server voted for in its current term (at most one per term), kept on disk (Figure 2).',
  commitIndex: 'commitIndex: the highest log index known to be committed, i.e. stored on a majority and safe to apply (§5.3).',
  lastApplied: 'lastApplied: the highest log index this server has applied to its state machine (the key-value store).',
  lastLogIndex: 'Index of the last entry in this server\'s log.',
  lastLogTerm: 'Term of the last entry in this server\'s log; with lastLogIndex it decides who is "at least as up-to-date" (§5.4.1).',
  nextIndex: 'nextIndex (leader, per follower): the index of the next entry the leader will send to that follower (§5.3).',
  matchIndex: 'matchIndex (leader, per follower): the highest index known to be replicated on that follower (§5.3).',
  flowControl: 'Flow control (leader, per follower, as in etcd): probe sends one AppendEntries at a time until the follower\'s log is known to match; replicate streams entries, up to a window of messages in flight; snapshot sends only InstallSnapshot.',
  inFlight: 'In flight (leader, per follower in replicate): AppendEntries sent and not yet acknowledged; the leader stops sending at 64 (or 1 MiB of commands) until answers come.',
  leader: 'Leader: handles every client request and replicates its log to the others; at most one per term.',
  follower: 'Follower: passive; answers leaders and candidates. If it hears nothing for an election timeout it starts an election.',
  candidate: 'Candidate: started an election in a new term and asks the others for votes (RequestVote).',
  precandidate: 'Pre-candidate (pre-vote extension): asks whether it could win before bumping its term, so a lone server cannot disrupt the cluster.',
  electionTimeout: 'Election timeout: how long a follower waits without hearing from a leader before it starts an election; randomised to avoid split votes (§5.2).',
  heartbeat: 'Heartbeat: an empty AppendEntries the leader sends regularly so followers know it is alive.',
  appendEntries: 'AppendEntries: the leader replicates entries (or just says "I am alive") and tells followers its commit index.',
  requestVote: 'RequestVote: a candidate asks for a vote, sending its log\'s last index and term.',
  committed: 'Committed: stored on a majority by the current leader; Raft guarantees it is never lost or changed.',
  uncommitted: 'Not yet committed: may still be overwritten by a future leader.',
  applied: 'Applied: executed on this server\'s key-value store.',
  preVote: 'Pre-vote (dissertation §9.6): a server asks "would you vote for me?" before starting a real election.',
  checkQuorum: 'Check quorum (dissertation §6.2): a leader that has not heard from a majority for an election timeout steps down.',
  membershipMode: 'Membership changes: one server at a time (dissertation ch. 4), or joint consensus (paper §6): the cluster passes through C_old,new, where every decision needs a majority of the old voters and one of the new, before C_new.',
  timeScale: 'Slow motion: every timeout, heartbeat and injected delay is multiplied by this factor, so messages can be watched.',
  linearizable: 'Linearizable: every operation appears to take effect at one instant between its call and its return.',
  partition: 'Network partition: messages between groups of servers are lost; each side carries on without the other.',
} as const;

export type GlossaryTerm = keyof typeof GLOSSARY;
