// The mutable state of one Raft server and the bounded buffers its outputs wait in until the runtime drains a
// Ready. Everything else in the core is functions over this state, grouped by concept (election, replication, ...).

import { fail } from './assert';
import type { ResolvedConfig } from './config';
import type { LearnerRound, Membership } from './membership';
import type { Progress } from './progress';
import type { Random } from './random';
import type { RaftLog } from './raft-log';
import { RULE, ms, nodeName } from './reasons';
import type { ReadRequests } from './read-only';
import type {
  BugName, EventKind, HardState, Message, NodeId, RaftEvent, ReadFailure, ReadState, Role, Snapshot,
} from './types';

/** Bounds on what may accumulate between two ready() calls (a runtime drains after every input). */
export const MAX_PENDING_MESSAGES = 10_000;
export const MAX_PENDING_EVENTS = 100_000;
export const MAX_PENDING_READ_RESULTS = 10_000;

export interface Outbox {
  messages: Message[];
  events: RaftEvent[];
  readStates: ReadState[];
  readFailures: ReadFailure[];
  /** Messages dropped because `messages` was full since the last ready(); Raft retries them like lost ones. */
  droppedMessages: number;
}

export interface NodeState {
  readonly config: ResolvedConfig;
  readonly random: Random;
  readonly log: RaftLog;
  out: Outbox;
  // Persistent state on all servers (Figure 2); the log is above.
  term: number;
  votedFor: NodeId | null;
  // Volatile state on all servers.
  role: Role;
  leaderId: NodeId | null;
  commitIndex: number;
  /** Highest index handed out in Ready.committedEntries. */
  lastApplied: number;
  nowMs: number;
  electionDeadlineMs: number;
  /** When the election timer was last reset, and the timeout it drew then: a timeout event reports both. */
  electionTimerStartMs: number;
  electionTimeoutMs: number;
  heartbeatDeadlineMs: number;
  /** Last time a valid AppendEntries from a current leader arrived (pre-vote and leader stickiness). */
  lastLeaderContactMs: number | null;
  /** Votes (or pre-votes) received in the current election round: voter -> granted. */
  votes: Map<NodeId, boolean>;
  /** The configuration in effect (the latest in the log, dissertation §4.1) and who it makes our peers. */
  membership: Membership;
  // Volatile state on leaders.
  progress: Map<NodeId, Progress>;
  /** Learners catching up before their promotion (dissertation §4.2.1). */
  learnerRounds: Map<NodeId, LearnerRound>;
  reads: ReadRequests;
  /** A proposal arrived: send new entries to every peer (as flow control allows) when the runtime next drains (coalesces). */
  broadcastPending: boolean;
  /** A ReadIndex round started: every peer gets an AppendEntries carrying it at the next drain, window or not. */
  readRoundPending: boolean;
  /** Hard state as last handed to the runtime to persist. */
  persistedHardState: HardState;
  /** A leadership transfer in progress (dissertation §3.10), leaders only. */
  transfer: LeadershipTransfer | null;
  // Log compaction (§7, Figure 13).
  /** The snapshot that replaced the log's prefix (taken here or installed from a leader), or null. */
  snapshot: Snapshot | null;
  /** A snapshot to hand to the runtime in the next Ready's persist.snapshot. */
  snapshotToPersist: Snapshot | null;
  /** A snapshot installed from the leader that the state machine must restore (Ready.snapshotToApply). */
  snapshotToApply: Snapshot | null;
  /** Chunks of a snapshot being received (Figure 13, receiver 2-5), or null. */
  incomingSnapshot: IncomingSnapshot | null;
}

export interface LeadershipTransfer {
  readonly target: NodeId;
  /** Leader clock when the transfer is abandoned: an election timeout after it started. */
  readonly deadlineMs: number;
  /** TimeoutNow went out (once the target's log matched ours). */
  timeoutNowSent: boolean;
}

/** The reassembly buffer of an InstallSnapshot transfer: chunks in offset order. */
export interface IncomingSnapshot {
  readonly term: number;
  readonly lastIncludedIndex: number;
  readonly lastIncludedTerm: number;
  readonly chunks: string[];
  length: number;
}

export function hasBug(s: NodeState, bug: BugName): boolean {
  const bugs = s.config.bugs;
  return bugs.size !== 0 && bugs.has(bug); // hot path: correct Raft skips the lookup
}

/** True when no planted bug is on: only then may a broken safety invariant be asserted (bugs break them on purpose). */
export function isCorrectRaft(s: NodeState): boolean {
  return s.config.bugs.size === 0;
}

export function emit(
  s: NodeState, kind: EventKind, rule: string, reason: string, data: RaftEvent['data'] = {},
): void {
  if (!(s.out.events.length < MAX_PENDING_EVENTS)) fail(`more than ${MAX_PENDING_EVENTS} events pending: the runtime must drain ready() after each input`);
  s.out.events.push({ kind, node: s.config.id, term: s.term, rule, reason, data });
}

export function send(s: NodeState, message: Message): void {
  if (message.from !== s.config.id) fail(`node S${s.config.id} sending a message from S${message.from}`);
  if (message.to === s.config.id) fail(`node S${s.config.id} sending ${message.type} to itself`);
  if (s.out.messages.length < MAX_PENDING_MESSAGES) {
    s.out.messages.push(message);
    return;
  }
  if (s.out.droppedMessages === 0) {
    emit(s, 'message-ignored', RULE.boundedOutput,
      `outgoing buffer full (${MAX_PENDING_MESSAGES} messages): dropping ${message.type} to S${message.to}; Raft retries lost messages`,
      { type: message.type, to: message.to, limit: MAX_PENDING_MESSAGES });
  }
  s.out.droppedMessages += 1;
}

/** Draws a fresh randomized election timeout in [min, max) (§5.2) from now. */
export function resetElectionTimer(s: NodeState): void {
  const { electionTimeoutMinMs, electionTimeoutMaxMs } = s.config;
  s.electionTimerStartMs = s.nowMs;
  s.electionTimeoutMs = s.random.intInRange(electionTimeoutMinMs, electionTimeoutMaxMs);
  s.electionDeadlineMs = s.nowMs + s.electionTimeoutMs;
}

/** Heard from a leader within the minimum election timeout (a leader counts itself). */
export function heardFromLeaderRecently(s: NodeState): boolean {
  if (s.role === 'leader') return true;
  if (s.leaderId === null || s.lastLeaderContactMs === null) return false;
  return s.nowMs - s.lastLeaderContactMs < s.config.electionTimeoutMinMs;
}

/** Why heardFromLeaderRecently holds, in words: a leader is itself the leader; a follower says when it heard one. */
export function leaderStillHeard(s: NodeState): string {
  if (s.role === 'leader') return `S${s.config.id} is itself the leader of term ${s.term}`;
  const ago = s.lastLeaderContactMs === null ? '' : ` ${ms(s.nowMs - s.lastLeaderContactMs)} ago`;
  return `we heard from leader ${nodeName(s.leaderId)}${ago}, within the minimum election timeout (${ms(s.config.electionTimeoutMinMs)})`;
}

export function peerProgress(s: NodeState, peer: NodeId): Progress {
  const progress = s.progress.get(peer);
  if (progress === undefined) fail(`leader S${s.config.id} has no progress for S${peer}`);
  return progress;
}
