// The registry of deliberate mistakes a lab configuration may switch on (config.bugs). Each is implemented at one
// marked place in the core ("planted bug: <name>"); with config.bugs empty or absent the core is correct Raft.

import type { BugName } from './bug-names';

export { BUG_NAMES, isBugName } from './bug-names';

export interface PlantedBug {
  /** Short name for menus. */
  readonly title: string;
  /** The guarantee it breaks, in one sentence. */
  readonly breaks: string;
  /** The rule of the paper it violates. */
  readonly paperRule: string;
  /** What a student (or a checker) observes when it bites. */
  readonly howToSpot: string;
}

export const PLANTED_BUGS: Readonly<Record<BugName, PlantedBug>> = {
  'commit-previous-term': {
    title: 'Leader commits an entry of a previous term by counting replicas',
    breaks: 'State Machine Safety: an entry reported committed (and applied) is later overwritten by another leader.',
    paperRule: '§5.4.2 and Figure 8; Figure 2, Rules for Servers, Leaders 4 ("and log[N].term == currentTerm")',
    howToSpot:
      'A commit-advanced event whose last committed entry has a term lower than the leader\'s term, before any ' +
      'entry of the current term is on a majority; later two servers apply different commands at the same index.',
  },
  'vote-not-persisted': {
    title: 'votedFor is not written to stable storage',
    breaks: 'Election Safety: after a crash and restart a server can vote twice in one term, so two leaders can win it.',
    paperRule: 'Figure 2, "Persistent state on all servers" (votedFor); §5.2 "each server will vote for at most one candidate in a given term"',
    howToSpot:
      'the Ready of a vote-granted event persists no vote (no hard state at all, or votedFor: null when the vote ' +
      'came with a new term); after a restart the same ' +
      'server grants a second vote in that term, and two became-leader events share one term.',
  },
  'no-up-to-date-check': {
    title: 'Votes are granted without the election restriction',
    breaks: 'Leader Completeness: a candidate missing committed entries can win and overwrite them.',
    paperRule: '§5.4.1 (election restriction); Figure 2, RequestVote RPC, receiver implementation 2',
    howToSpot:
      'A vote-granted event whose candidate log (last term, last index) is behind the voter\'s; then a new leader ' +
      'truncates entries that were already committed.',
  },
  'ack-before-persist': {
    title: 'Followers acknowledge entries before they are durable',
    breaks: 'Commitment durability: a majority "stores" an entry that a crash then erases, so a committed entry is lost.',
    paperRule: 'Figure 2: persistent state is "updated on stable storage before responding to RPCs"',
    howToSpot:
      'A follower\'s Ready has persist.entries with mustSync=false; after a crash and restart the follower\'s log is ' +
      'shorter than the matchIndex the leader holds for it, and committed entries can vanish.',
  },
  'truncate-without-conflict': {
    title: 'Followers truncate their log after prevLogIndex on every AppendEntries',
    breaks: 'Log Matching / durability of acknowledged entries: a delayed, duplicated or reordered AppendEntries erases entries the follower already acknowledged.',
    paperRule: 'Figure 2, AppendEntries RPC, receiver implementation 3 ("If an existing entry conflicts with a new one (same index but different terms), delete the existing entry and all that follow it")',
    howToSpot:
      'An entries-truncated event on a follower with no term conflict (the removed entries have the leader\'s term ' +
      'and equal the ones the leader sent), typically after a reordered message; the follower\'s log shrinks below ' +
      'its matchIndex.',
  },
  'stale-leader-reads': {
    title: 'ReadIndex answers without confirming leadership',
    breaks: 'Linearizability of reads: a deposed leader that has not noticed yet serves stale data.',
    paperRule: 'Raft dissertation §6.4, ReadIndex step 3 (the leader must exchange heartbeats with a majority first)',
    howToSpot:
      'read-confirmed events that follow the read request immediately, with no heartbeat round; in a partition the ' +
      'old leader answers reads that miss writes committed by the new leader (the linearizability checker fails).',
  },
  'no-step-down-on-higher-term': {
    title: 'A leader ignores higher terms in replies',
    breaks: 'Leaders learn they are deposed; with ReadIndex, a deposed leader keeps confirming reads.',
    paperRule: 'Figure 2, Rules for Servers, All Servers 2 ("If RPC request or response contains term T > currentTerm: set currentTerm = T, convert to follower")',
    howToSpot:
      'A leader keeps its old term and role after AppendEntries replies carrying a higher term; two servers both ' +
      'report themselves leader (of different terms) for a long time, and stale reads appear.',
  },
  'double-vote': {
    title: 'A follower votes again in a term in which it already voted',
    breaks: 'Election Safety: two candidates can both collect a majority in the same term.',
    paperRule: 'Figure 2, RequestVote RPC, receiver implementation 2 ("If votedFor is null or candidateId ...")',
    howToSpot:
      'Two vote-granted events from the same server in the same term for different candidates, then two ' +
      'became-leader events in one term.',
  },
  'config-change-before-own-term-commit': {
    title: 'A new leader changes the configuration before an entry of its term commits (the 2015 bug)',
    breaks: 'Leader Completeness: a leader of an old configuration and one of a newer configuration are elected by disjoint majorities, and a committed configuration entry is lost.',
    paperRule: 'Raft dissertation §4.1 and its 2015 erratum (raft-dev, "bug in single-server membership changes"): a leader may not append a new configuration entry until an entry of its current term has committed',
    howToSpot:
      'A proposal-accepted event for a configuration entry before any commit-advanced event of the leader\'s term; ' +
      'later a leader elected under the older configuration overwrites the committed configuration entry.',
  },
  'two-pending-config-changes': {
    title: 'A leader accepts a second configuration change while the first is uncommitted',
    breaks: 'Election Safety / Leader Completeness: two single-server changes in flight add up to a change of two servers, whose old and new majorities need not overlap.',
    paperRule: 'Raft dissertation §4.1 ("the leader will not begin another configuration change until the previous one has committed")',
    howToSpot:
      'Two configuration entries in a leader\'s log above its commitIndex; then servers using the old configuration ' +
      'and servers using the newest one each form a majority, and a leader misses entries committed by the other side.',
  },
  'config-applied-on-commit': {
    title: 'Servers switch to a configuration only once its entry commits',
    breaks: 'Leader Completeness: servers that hold the same entries use different configurations (followers learn commits late), so majorities need not overlap.',
    paperRule: 'Raft dissertation §4.1 ("a server always uses the latest configuration in its log, regardless of whether the entry is committed")',
    howToSpot:
      'configuration-changed events that follow commit-advanced instead of the append; a leader elected by servers ' +
      'still using the older configuration lacks entries the other side committed.',
  },
  'apply-before-durable': {
    title: 'The runtime applies committed entries before they are durable on its own disk',
    breaks: 'State Machine Safety: a leader counts itself toward a majority as soon as it appends, so it applies (and answers clients for) an entry that only a minority of disks holds; a crash of the leader can then lose it.',
    paperRule: 'Raft dissertation §10.2.1 (a leader may write its log in parallel with replication, but may count and act on its own copy only once it is durable); Figure 2: persistent state is "updated on stable storage before responding to RPCs"',
    howToSpot:
      'A leader whose disk is slower than the round trip to a follower applies an entry (a client is answered) ' +
      'before its own log-write of it; the applied index runs ahead of the commit index the node can stand behind ' +
      '(its durable log), and after a crash of the leader another entry can be committed at that index.',
  },
};
