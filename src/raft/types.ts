// The public contract of the pure Raft core. Everything the runtimes (simulator, node process) and the
// checkers need to know about the core is here; the implementation lives beside it, one concept per file.
//
// Style follows etcd-io/raft: the core is a deterministic state machine. Inputs are messages, the passage of
// time and proposals; after every input the runtime drains a `Ready` batch, makes its `persist` part durable
// *before* sending its `messages` (when `persist.mustSync` says so), then applies `committedEntries`.

import type { BugName } from './bug-names';

/** Node ids are 1-based (S1, S2, ...), as students read them on the screen. */
export type NodeId = number;

/** `precandidate` exists only with the pre-vote extension (§9.6 of the Raft dissertation). */
export type Role = 'follower' | 'precandidate' | 'candidate' | 'leader';

/**
 * A log entry. `command` is null for a leader's no-op entry (§8) and for a configuration entry; otherwise opaque text
 * (the KV layer encodes JSON). State machines skip entries whose command is null.
 */
export interface Entry {
  readonly index: number; // 1-based
  readonly term: number;
  readonly command: string | null;
  /** A configuration entry (dissertation ch. 4): the cluster's configuration from this entry on (command is null). */
  readonly config?: Configuration;
}

/**
 * A cluster configuration (dissertation ch. 4). Voters elect and form majorities; learners only receive the log
 * (§4.2.1: a new server catches up before it counts). `outgoing` is the old configuration's voters while the cluster
 * is in the joint configuration C_old,new of the paper's §6 (then decisions need a majority of both); empty otherwise.
 */
export interface Configuration {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
  readonly outgoing: readonly NodeId[];
}

/**
 * A membership change a client asks the leader for. `add`: the server joins as a learner and the leader promotes it
 * to voter once it has caught up (§4.2.1); `promote`: a learner becomes a voter now; `remove`: the server leaves.
 */
export interface MembershipChange {
  readonly type: 'add' | 'promote' | 'remove';
  readonly node: NodeId;
}

/** How configurations change: one server at a time (dissertation ch. 4, the default) or joint consensus (paper §6). */
export type MembershipMode = 'single-server' | 'joint';

/** What Figure 2 calls "persistent state on all servers", besides the log. */
export interface HardState {
  readonly term: number;
  readonly votedFor: NodeId | null;
}

export interface RequestVote {
  readonly type: 'RequestVote';
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
  /** Pre-vote round: asks "would you vote for me?" without anyone changing term. */
  readonly preVote: boolean;
  /**
   * Present and true when the candidate campaigns because its leader handed leadership over (TimeoutNow, dissertation
   * §3.10): voters grant it even though they heard from that leader recently (as etcd's campaignTransfer).
   */
  readonly leadershipTransfer?: true;
}

/**
 * Leadership transfer (dissertation §3.10): the leader tells an up-to-date follower to start an election now, as if
 * its election timer had fired (without pre-vote).
 */
export interface TimeoutNow {
  readonly type: 'TimeoutNow';
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
}

export interface RequestVoteReply {
  readonly type: 'RequestVoteReply';
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
  readonly voteGranted: boolean;
  readonly preVote: boolean;
}

export interface AppendEntries {
  readonly type: 'AppendEntries';
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  readonly entries: readonly Entry[];
  readonly leaderCommit: number;
  /** ReadIndex round this heartbeat belongs to (0 = none); echoed in the reply. */
  readonly readRound: number;
}

export interface AppendEntriesReply {
  readonly type: 'AppendEntriesReply';
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
  readonly success: boolean;
  /** On success: the index of the last entry the follower now knows matches the leader's log. */
  readonly matchIndex: number;
  /** On failure (accelerated back-off, §5.3): term of the conflicting entry, or 0 if the follower's log is too short. */
  readonly conflictTerm: number;
  /** On failure: first index the follower holds for conflictTerm, or its last index + 1 if too short. */
  readonly conflictIndex: number;
  readonly readRound: number;
}

/**
 * Log compaction (§7): the state machine's state after applying entries 1..lastIncludedIndex, which replaces them.
 * `data` is opaque to the core (the KV layer encodes JSON).
 */
export interface Snapshot {
  readonly lastIncludedIndex: number;
  readonly lastIncludedTerm: number;
  readonly data: string;
  /** The latest configuration as of lastIncludedIndex (Figure 12, §7); absent: the bootstrap configuration. */
  readonly config?: Configuration;
}

/**
 * Figure 13, InstallSnapshot RPC: the leader sends its snapshot to a follower whose nextIndex fell into the compacted
 * prefix, in chunks of `data` starting at character `offset`; `done` marks the last chunk.
 */
export interface InstallSnapshot {
  readonly type: 'InstallSnapshot';
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
  readonly lastIncludedIndex: number;
  readonly lastIncludedTerm: number;
  readonly offset: number;
  readonly data: string;
  readonly done: boolean;
  /** The snapshot's configuration (Figure 12's "last config"); absent: the bootstrap configuration. */
  readonly config?: Configuration;
}

export interface InstallSnapshotReply {
  readonly type: 'InstallSnapshotReply';
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
  /** The snapshot this answers (several may be in flight after reordering). */
  readonly lastIncludedIndex: number;
  /** Characters of the snapshot the follower holds so far; on the last chunk, the snapshot's whole length. */
  readonly bytesStored: number;
  /** True once the follower's log matches the leader's up to lastIncludedIndex (snapshot installed, or it had it). */
  readonly done: boolean;
}

export type Message = RequestVote | RequestVoteReply | AppendEntries | AppendEntriesReply | InstallSnapshot | InstallSnapshotReply | TimeoutNow;
export type MessageType = Message['type'];

export type { BugName } from './bug-names';

export interface RaftConfig {
  readonly id: NodeId;
  /**
   * The bootstrap configuration's voters, used until the log (or a snapshot) holds a configuration entry. Empty for a
   * server that joins a running cluster: it waits for a leader to send it the log (and never campaigns meanwhile).
   */
  readonly members: readonly NodeId[];
  /** How configurations change (default 'single-server', dissertation ch. 4). */
  readonly membershipMode?: MembershipMode;
  /** Election timeout is drawn uniformly from [min, max) ms at each reset (§5.2). */
  readonly electionTimeoutMs: readonly [number, number];
  readonly heartbeatMs: number;
  /** Seed of the core's own deterministic random source; the core never uses Math.random. */
  readonly randomSeed: number;
  readonly preVote?: boolean;
  /** A leader that has not heard from a majority within an election timeout steps down (dissertation §6.2). */
  readonly checkQuorum?: boolean;
  /** Planted bugs; empty or absent in every non-instructor configuration. */
  readonly bugs?: readonly BugName[];
  /** Upper bound on entries carried by one AppendEntries (bounds message size). */
  readonly maxEntriesPerMessage?: number;
  /** Flow control: unacknowledged AppendEntries a leader keeps in flight to one follower (default 64). */
  readonly maxInflightMessages?: number;
  /** Flow control: bytes of entries (UTF-8 commands) a leader keeps in flight to one follower (default 1 MiB). */
  readonly maxInflightBytes?: number;
  /** Upper bound on snapshot characters carried by one InstallSnapshot (default 256 Ki). */
  readonly maxSnapshotChunkChars?: number;
  /**
   * Checks a snapshot received from a leader before it is installed (Figure 13, receiver 5): null when the state
   * machine can restore it, otherwise why not. Must be a pure function of the snapshot. A refused snapshot is
   * reported and not installed, so a forged or damaged one cannot leave the node with a log its state machine cannot
   * follow (or a disk it cannot restart from). Absent: every snapshot is accepted.
   */
  readonly snapshotProblem?: (snapshot: Snapshot) => string | null;
}

/** What a restarted node recovers from its disk. */
export interface PersistedState {
  readonly hardState: HardState;
  /** The last snapshot made durable; absent or null when the log was never compacted. */
  readonly snapshot?: Snapshot | null;
  /** Contiguous, starting at index (snapshot ? snapshot.lastIncludedIndex + 1 : 1). */
  readonly entries: readonly Entry[];
}

export interface Persist {
  /** Present when term or vote changed and must be written. */
  readonly hardState: HardState | null;
  /**
   * A snapshot to make durable, written before `entries`: taken here (RaftNode.compact) or installed from the leader.
   * Once it is durable the stored log may drop every entry with index <= lastIncludedIndex; when it was installed,
   * stored entries that do not follow it (Figure 13, receiver 6-7) are dropped too: `entries` then holds the
   * suffix to keep, and starts at lastIncludedIndex + 1 or is empty.
   */
  readonly snapshot: Snapshot | null;
  /**
   * Entries to write. Any stored entry with index >= entries[0].index is replaced (the log is truncated there
   * first). Empty when nothing changed.
   */
  readonly entries: readonly Entry[];
  /**
   * True when the writes above must be durable (fsync) before `messages` are sent. Always true unless a planted
   * bug says otherwise: it is what makes Raft's promises survive a crash.
   */
  readonly mustSync: boolean;
}

/** A confirmed ReadIndex request: the read may be served once the state machine has applied `index`. */
export interface ReadState {
  readonly requestId: string;
  readonly index: number;
}

/** A ReadIndex request that could not be served here (not leader, or leadership was lost). */
export interface ReadFailure {
  readonly requestId: string;
  readonly leaderHint: NodeId | null;
}

export type EventKind =
  | 'term-changed'
  | 'role-changed'
  | 'election-started'
  | 'vote-granted'
  | 'vote-denied'
  | 'vote-received'
  | 'became-leader'
  | 'stepped-down'
  | 'entries-appended'
  | 'entries-truncated'
  | 'append-rejected'
  | 'append-accepted'
  | 'commit-advanced'
  | 'next-index-backed-off'
  | 'message-ignored'
  | 'proposal-accepted'
  | 'proposal-rejected'
  | 'read-confirmed'
  | 'read-failed'
  | 'log-compacted'
  | 'snapshot-sent'
  | 'snapshot-installed'
  | 'snapshot-rejected'
  | 'snapshot-chunk-stored'
  | 'configuration-changed'
  | 'learner-round'
  | 'progress-changed'
  | 'leadership-transfer';

/**
 * A state change with the rule that caused it. `rule` names the paper's rule ("Figure 2, RequestVote RPC,
 * receiver implementation 2", "§5.4.2"); `reason` says it in words with the values that made it fire, for a
 * student reading the paper; `data` carries those values for the UI.
 */
export interface RaftEvent {
  readonly kind: EventKind;
  readonly node: NodeId;
  readonly term: number;
  readonly rule: string;
  readonly reason: string;
  readonly data: Readonly<Record<string, string | number | boolean | null>>;
}

export interface Ready {
  readonly persist: Persist;
  readonly messages: readonly Message[];
  /**
   * A snapshot installed from the leader: the state machine must restore it (replacing its whole state) before it
   * applies `committedEntries`, which then follow it (they start at lastIncludedIndex + 1).
   */
  readonly snapshotToApply: Snapshot | null;
  readonly committedEntries: readonly Entry[];
  readonly readStates: readonly ReadState[];
  readonly readFailures: readonly ReadFailure[];
  readonly events: readonly RaftEvent[];
}

/** Flow control of one follower, as in etcd-io/raft (see progress.ts). */
export type ProgressState = 'probe' | 'replicate' | 'snapshot';

export interface PeerProgress {
  readonly nextIndex: number;
  readonly matchIndex: number;
  readonly state: ProgressState;
  /** AppendEntries sent in replicate state and not yet acknowledged. */
  readonly inflight: number;
}

export interface RaftStatus {
  readonly id: NodeId;
  readonly role: Role;
  readonly term: number;
  readonly votedFor: NodeId | null;
  readonly leaderId: NodeId | null;
  readonly commitIndex: number;
  readonly lastApplied: number;
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
  /** Last index and term of the compacted prefix (§7); 0 and 0 when the log was never compacted. */
  readonly snapshotIndex: number;
  readonly snapshotTerm: number;
  /** Absolute time (ms, the core's clock) when the election timer fires; null for a leader. */
  readonly electionDeadlineMs: number | null;
  /** Per peer, for a leader only. */
  readonly progress: Readonly<Record<NodeId, PeerProgress>> | null;
  /** The configuration in effect here: the latest in the log, committed or not (dissertation §4.1). */
  readonly config: Configuration;
  /** The latest configuration at or below commitIndex. */
  readonly committedConfig: Configuration;
  /** A leader transferring leadership (dissertation §3.10): to whom; otherwise null. */
  readonly transferringTo: NodeId | null;
}

/** Whether a leadership transfer started (dissertation §3.10), and if not, why not. */
export type TransferResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string; readonly leaderHint: NodeId | null };

export type ProposeResult =
  | { readonly ok: true; readonly index: number; readonly term: number }
  | { readonly ok: false; readonly leaderHint: NodeId | null };

export interface RaftNode {
  readonly id: NodeId;
  /** Deliver a message from a peer. Stale, duplicated and reordered messages are tolerated. */
  step(message: Message): void;
  /** Tell the core the current time (ms, monotonic, never decreasing); fires expired timers. */
  tick(nowMs: number): void;
  /** Absolute time of the next timer the core wants `tick` called at. */
  nextDeadlineMs(): number;
  /**
   * The election timer fires now, whatever it was set to (RaftScope's "time out": a teaching control of the lab).
   * A leader, which has no election timer, first steps down in its term. Call tick(nowMs) first.
   */
  forceElectionTimeout(): void;
  /** Append a client command if this node is leader (§5.3); otherwise returns a leader hint (§8). */
  propose(command: string): ProposeResult;
  /**
   * Ask this server, if it leads, to change the configuration (dissertation ch. 4). Refused (ok: false, leaderHint
   * this server) while another change is uncommitted or before an entry of the leader's own term has committed;
   * a proposal-rejected event says why.
   */
  proposeMembership(change: MembershipChange): ProposeResult;
  /**
   * Leadership transfer (dissertation §3.10): a leader stops accepting proposals, brings `to` up to date and sends it
   * TimeoutNow; `to` campaigns at once. The transfer ends when this server steps down, and is abandoned after an
   * election timeout. Refused (with the reason) unless this server leads and `to` is another voter.
   */
  transferLeadership(to: NodeId): TransferResult;
  /** Start a linearizable read (ReadIndex, dissertation §6.4); answered later in Ready.readStates/readFailures. */
  readIndex(requestId: string): void;
  /** True when there is something to drain. */
  hasReady(): boolean;
  /** Drain outputs accumulated since the last call. */
  ready(): Ready;
  status(): RaftStatus;
  /**
   * The in-memory log after the snapshot: indexes snapshotIndex+1..lastLogIndex (the whole log when never compacted).
   * For checkers and the UI; do not mutate.
   */
  log(): readonly Entry[];
  /** The current snapshot (taken here or installed), or null. */
  snapshot(): Snapshot | null;
  /**
   * Log compaction (§7): the state machine has applied entries 1..index and `data` is its state; entries up to index
   * are discarded and the snapshot appears in the next Ready's persist.snapshot. Requires snapshotIndex < index <=
   * lastApplied (index ≤ what was handed out in committedEntries); the runtime decides when, and how many entries
   * to keep for slow followers, by the index it picks.
   */
  compact(index: number, data: string): void;
}
