// One Raft server as a deterministic state machine (the etcd-io/raft shape): inputs are messages (step), time
// (tick) and client requests (propose, readIndex); outputs accumulate until the runtime drains them with ready().

import { assert, assertIndex, fail } from './assert';
import { handleAppendEntries } from './append-receiver';
import { maybeAdvanceLeaderCommit } from './commit';
import { resolveConfig } from './config';
import { handleRequestVote, handleRequestVoteReply, handleTimeoutNow, onElectionTimeout } from './election';
import { progressSnapshot } from './progress';
import { createRandom } from './random';
import { RaftLog } from './raft-log';
import { createReadRequests, requestRead } from './read-only';
import { RULE, aRole, ms, nodeList, redirectHint } from './reasons';
import { broadcastAppend, handleAppendEntriesReply, handleInstallSnapshotReply } from './replication';
import { advanceLearners, membershipOf, proposeMembership } from './membership';
import { hasQuorum, quorumSize, quorumText } from './quorum';
import { handleInstallSnapshot } from './snapshot-receiver';
import { becomeFollower } from './roles';
import { checkInvariants } from './invariants';
import { compactLog } from './compaction';
import { contradictionWith, messageProblem, termJumpProblem } from './message-checks';
import { emit, hasBug, resetElectionTimer, type NodeState } from './state';
import { reconcileTerm } from './terms';
import { checkTransferDeadline, startTransfer, transferBlocksProposals } from './leadership-transfer';
import type {
  Configuration, HardState, MembershipChange, Message, NodeId, PeerProgress, PersistedState, ProposeResult, RaftConfig, RaftNode, RaftStatus,
  Ready, Entry, Snapshot, TransferResult,
} from './types';

/** Handed out for every empty list of a Ready. */
const NONE: readonly never[] = Object.freeze([]);

/** Backpressure: a leader refuses proposals while this many entries are uncommitted (bounds the log's growth). */
export const MAX_UNCOMMITTED_ENTRIES = 10_000;

export function createRaftNode(config: RaftConfig, persisted: PersistedState | null, nowMs: number): RaftNode {
  return new Node(config, persisted, nowMs);
}

class Node implements RaftNode {
  readonly id: number;
  private readonly s: NodeState;
  /** The progress copy status() last handed out, reused while unchanged. */
  private lastProgress: Readonly<Record<NodeId, PeerProgress>> | null = null;
  /** The status() last handed out (immutable to callers), reused while nothing in it changed. */
  private lastStatus: RaftStatus | null = null;

  constructor(config: RaftConfig, persisted: PersistedState | null, nowMs: number) {
    if (!Number.isFinite(nowMs)) fail(`nowMs must be finite, got ${nowMs}`);
    const resolved = resolveConfig(config);
    const hardState = persisted?.hardState ?? { term: 0, votedFor: null };
    const snapshot = persisted?.snapshot ?? null;
    validateRecovered(hardState, snapshot, persisted?.entries ?? []);
    // The snapshot holds applied state (§7): it is committed, and the state machine restarts from it.
    const snapshotIndex = snapshot?.lastIncludedIndex ?? 0;
    this.id = resolved.id;
    this.s = {
      config: resolved, random: createRandom(resolved.randomSeed, resolved.id),
      log: new RaftLog(persisted?.entries ?? [], snapshotIndex, snapshot?.lastIncludedTerm ?? 0, snapshot?.config ?? null),
      out: { messages: [], events: [], readStates: [], readFailures: [], droppedMessages: 0 },
      term: hardState.term, votedFor: hardState.votedFor, role: 'follower', leaderId: null,
      commitIndex: snapshotIndex, lastApplied: snapshotIndex, nowMs,
      electionDeadlineMs: nowMs, electionTimerStartMs: nowMs, electionTimeoutMs: 0, heartbeatDeadlineMs: nowMs,
      lastLeaderContactMs: null, votes: new Map(), progress: new Map(), learnerRounds: new Map(), reads: createReadRequests(),
      membership: membershipOf(resolved.bootstrap, 0, resolved.id),
      broadcastPending: false, readRoundPending: false, persistedHardState: maskHardState(resolved.bugs.has('vote-not-persisted'), hardState),
      snapshot, snapshotToPersist: null, snapshotToApply: null, incomingSnapshot: null, transfer: null,
    };
    // A recovered log or snapshot holds the configuration in effect (dissertation §4.1: it survives restarts).
    this.s.membership = membershipOf(this.s.log.latestConfig() ?? resolved.bootstrap, this.s.log.latestConfigIndex(), resolved.id);
    resetElectionTimer(this.s);
    checkInvariants(this.s);
  }

  step(message: Message): void {
    const s = this.s;
    // The whole message is checked before anything changes: an invalid one is reported and changes nothing.
    const problem = this.invalidity(message);
    if (problem !== null) {
      const from: unknown = typeof message === 'object' && message !== null ? (message as { from?: unknown }).from : undefined;
      emit(s, 'message-ignored', RULE.invalidMessage, `${describeType(message)} from S${String(from)} ignored as invalid: ${problem}`,
        { from: typeof from === 'number' ? from : null, type: describeType(message), problem });
      return;
    }
    const current = reconcileTerm(s, message);
    if (current !== null) this.dispatch(current);
    checkInvariants(s);
  }

  tick(nowMs: number): void {
    const s = this.s;
    if (!(Number.isFinite(nowMs) && nowMs >= s.nowMs)) fail(`time went backwards: ${s.nowMs} -> ${nowMs}`);
    s.nowMs = nowMs;
    if (s.role === 'leader') this.tickLeader();
    else if (nowMs >= s.electionDeadlineMs) onElectionTimeout(s);
    checkInvariants(s);
  }

  forceElectionTimeout(): void {
    const s = this.s;
    if (s.role === 'leader') {
      becomeFollower(s, s.term, null, RULE.labTimeoutNow,
        `S${s.config.id} was told to time out now: it stops leading term ${s.term} and starts an election`);
    }
    s.electionDeadlineMs = s.nowMs;
    onElectionTimeout(s);
    checkInvariants(s);
  }

  nextDeadlineMs(): number {
    const s = this.s;
    if (s.role !== 'leader') return s.electionDeadlineMs;
    return s.transfer === null ? s.heartbeatDeadlineMs : Math.min(s.heartbeatDeadlineMs, s.transfer.deadlineMs);
  }

  transferLeadership(to: NodeId): TransferResult {
    const result = startTransfer(this.s, to);
    checkInvariants(this.s);
    return result;
  }

  propose(command: string): ProposeResult {
    const s = this.s;
    if (s.role !== 'leader') {
      emit(s, 'proposal-rejected', RULE.redirect, `S${s.config.id} is ${aRole(s.role)}, not the leader; ${redirectHint(s.leaderId)}`,
        { leaderHint: s.leaderId });
      return { ok: false, leaderHint: s.leaderId };
    }
    const transferring = transferBlocksProposals(s);
    if (transferring !== null) {
      const target = s.transfer?.target ?? null;
      emit(s, 'proposal-rejected', RULE.transfer, transferring, { leaderHint: target });
      return { ok: false, leaderHint: target };
    }
    if (s.log.lastIndex() - s.commitIndex >= MAX_UNCOMMITTED_ENTRIES) {
      emit(s, 'proposal-rejected', RULE.flowControl, `${MAX_UNCOMMITTED_ENTRIES} entries are still uncommitted; retry once the followers catch up`,
        { leaderHint: s.config.id, uncommitted: s.log.lastIndex() - s.commitIndex });
      return { ok: false, leaderHint: s.config.id };
    }
    const entry: Entry = { index: s.log.lastIndex() + 1, term: s.term, command };
    s.log.append(entry);
    emit(s, 'proposal-accepted', RULE.leaderAppend, `appended client command as entry ${entry.index} (term ${entry.term}); ` +
      (s.membership.peers.length === 0 ? 'single server: it commits at once' : `replicating it to ${nodeList(s.membership.peers)}`),
      { index: entry.index, command });
    maybeAdvanceLeaderCommit(s); // a single-server cluster commits at once
    s.broadcastPending = true;
    checkInvariants(s);
    return { ok: true, index: entry.index, term: entry.term };
  }

  proposeMembership(change: MembershipChange): ProposeResult {
    const transferring = transferBlocksProposals(this.s);
    if (transferring !== null) {
      const target = this.s.transfer?.target ?? null;
      emit(this.s, 'proposal-rejected', RULE.transfer, transferring, { leaderHint: target });
      return { ok: false, leaderHint: target };
    }
    const result = proposeMembership(this.s, change);
    checkInvariants(this.s);
    return result;
  }

  readIndex(requestId: string): void {
    requestRead(this.s, requestId);
    checkInvariants(this.s);
  }

  hasReady(): boolean {
    const s = this.s;
    const out = s.out;
    return (s.role === 'leader' && (s.broadcastPending || s.readRoundPending)) || out.messages.length > 0 || out.events.length > 0
      || out.readStates.length > 0 || out.readFailures.length > 0 || s.log.hasUnstable() || s.snapshotToPersist !== null
      || this.hardStateToPersist() !== null || this.appliableIndex() > s.lastApplied;
  }

  ready(): Ready {
    const s = this.s;
    if (s.role === 'leader' && (s.broadcastPending || s.readRoundPending)) broadcastAppend(s, s.readRoundPending ? 'read-round' : 'entries');
    const hardState = this.hardStateToPersist();
    if (hardState !== null) s.persistedHardState = hardState;
    const snapshot = s.snapshotToPersist;
    const snapshotToApply = s.snapshotToApply;
    s.snapshotToPersist = null;
    s.snapshotToApply = null;
    const entries = s.log.takeUnstable();
    const appliable = this.appliableIndex();
    const committedEntries = appliable > s.lastApplied ? s.log.slice(s.lastApplied + 1, appliable) : NONE;
    s.lastApplied = Math.max(s.lastApplied, appliable);
    const out = s.out;
    // Buffers that stayed empty are kept (and a shared empty array handed out): a Ready per input is the hot path.
    const ready: Ready = {
      persist: { hardState, snapshot, entries: entries.length === 0 ? NONE : entries, mustSync: snapshot !== null || this.mustSync(hardState, entries) },
      messages: out.messages.length === 0 ? NONE : out.messages,
      snapshotToApply,
      committedEntries,
      readStates: out.readStates.length === 0 ? NONE : out.readStates,
      readFailures: out.readFailures.length === 0 ? NONE : out.readFailures,
      events: out.events.length === 0 ? NONE : out.events,
    };
    if (out.messages.length > 0) out.messages = [];
    if (out.events.length > 0) out.events = [];
    if (out.readStates.length > 0) out.readStates = [];
    if (out.readFailures.length > 0) out.readFailures = [];
    out.droppedMessages = 0;
    return ready;
  }

  /** A fresh object only when something changed: runtimes ask after every input, and a leader's rarely does. */
  status(): RaftStatus {
    const s = this.s;
    const electionDeadlineMs = s.role === 'leader' ? null : s.electionDeadlineMs;
    const progress = s.role === 'leader' ? (this.lastProgress = progressSnapshot(s.progress, s.membership.peers, this.lastProgress)) : null;
    const config = s.membership.config;
    const committedConfig = this.committedConfig();
    const last = this.lastStatus;
    if (last !== null && last.role === s.role && last.term === s.term && last.votedFor === s.votedFor && last.leaderId === s.leaderId &&
        last.commitIndex === s.commitIndex && last.lastApplied === s.lastApplied && last.lastLogIndex === s.log.lastIndex() &&
        last.lastLogTerm === s.log.lastTerm() && last.snapshotIndex === s.log.snapshotIndex() && last.snapshotTerm === s.log.snapshotTerm() &&
        last.electionDeadlineMs === electionDeadlineMs &&
        last.progress === progress && last.config === config && last.committedConfig === committedConfig &&
        last.transferringTo === (s.transfer?.target ?? null)) {
      return last;
    }
    this.lastStatus = {
      id: s.config.id, role: s.role, term: s.term, votedFor: s.votedFor, leaderId: s.leaderId,
      commitIndex: s.commitIndex, lastApplied: s.lastApplied,
      lastLogIndex: s.log.lastIndex(), lastLogTerm: s.log.lastTerm(),
      snapshotIndex: s.log.snapshotIndex(), snapshotTerm: s.log.snapshotTerm(),
      electionDeadlineMs, progress, config, committedConfig, transferringTo: s.transfer?.target ?? null,
    };
    return this.lastStatus;
  }

  log(): readonly Entry[] {
    return this.s.log.view();
  }

  snapshot(): Snapshot | null {
    return this.s.snapshot;
  }

  compact(index: number, data: string): void {
    compactLog(this.s, index, data);
    checkInvariants(this.s);
  }

  /** The latest configuration at or below commitIndex (the bootstrap one when the log holds none there). */
  private committedConfig(): Configuration {
    const s = this.s;
    const at = Math.max(s.log.snapshotIndex(), Math.min(s.commitIndex, s.log.lastIndex()));
    return s.log.configAt(at) ?? s.config.bootstrap;
  }

  /** Why no correct peer could have sent `message` to us (see message-checks.ts), or null. */
  private invalidity(message: Message): string | null {
    const s = this.s;
    if (typeof message !== 'object' || message === null) return 'not a message';
    if (message.to !== s.config.id) return `it is addressed to S${String(message.to)}, not to S${s.config.id}`;
    // Any server may be a peer: configurations change (a server hears from a leader before it knows the configuration).
    if (!(message.from !== s.config.id && Number.isSafeInteger(message.from) && message.from >= 1)) return `S${String(message.from)} is not a peer of S${s.config.id}`;
    return messageProblem(message) ?? termJumpProblem(message.term, s.term) ?? contradictionWith(s, message);
  }

  private dispatch(message: Message): void {
    switch (message.type) {
      case 'RequestVote': return handleRequestVote(this.s, message);
      case 'RequestVoteReply': return handleRequestVoteReply(this.s, message);
      case 'AppendEntries': return handleAppendEntries(this.s, message);
      case 'AppendEntriesReply': return handleAppendEntriesReply(this.s, message);
      case 'InstallSnapshot': return handleInstallSnapshot(this.s, message);
      case 'InstallSnapshotReply': return handleInstallSnapshotReply(this.s, message);
      case 'TimeoutNow': return handleTimeoutNow(this.s, message);
    }
  }

  /** Leaders 1 (heartbeats) and, with check-quorum, stepping down when a majority has gone silent (§6.2). */
  private tickLeader(): void {
    const s = this.s;
    if (s.config.checkQuorum) {
      const silentFor = s.config.electionTimeoutMinMs;
      const active = [s.config.id, ...[...s.progress].filter(([, pr]) => s.nowMs - pr.lastHeardMs < silentFor).map(([peer]) => peer)];
      if (!hasQuorum(s.membership.config, (id) => active.includes(id))) {
        becomeFollower(s, s.term, null, RULE.checkQuorum, quorumLost(s, active.slice(1), silentFor));
        return;
      }
    }
    advanceLearners(s);
    if (s.role !== 'leader') return;
    checkTransferDeadline(s);
    if (s.nowMs < s.heartbeatDeadlineMs) return;
    s.heartbeatDeadlineMs = s.nowMs + s.config.heartbeatMs;
    broadcastAppend(s, 'heartbeat');
  }

  private hardStateToPersist(): HardState | null {
    const s = this.s;
    // Compared before building: hasReady() asks after every input, and the hard state rarely changes.
    // Planted bug: vote-not-persisted — what reaches the disk never holds a vote (see maskHardState).
    const votedFor = hasBug(s, 'vote-not-persisted') ? null : s.votedFor;
    const last = s.persistedHardState;
    return s.term === last.term && votedFor === last.votedFor ? null : { term: s.term, votedFor };
  }

  /** Entries up to here may be handed out; past the log end only when a planted bug truncated committed entries. */
  private appliableIndex(): number {
    return Math.min(this.s.commitIndex, this.s.log.lastIndex());
  }

  private mustSync(hardState: HardState | null, entries: readonly Entry[]): boolean {
    if (hardState !== null) return true;
    if (entries.length === 0) return false;
    // Planted bug: ack-before-persist — a follower's new entries are acknowledged before they are durable.
    return !(hasBug(this.s, 'ack-before-persist') && this.s.role !== 'leader');
  }
}

/** The message's type for a report, whatever the value holds. */
function describeType(message: Message): string {
  const type: unknown = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type.slice(0, 40) : 'message';
}

/** Check-quorum's reason: the leader counts itself, so say how many followers answered and what that adds up to. */
function quorumLost(s: NodeState, answered: readonly NodeId[], silentForMs: number): string {
  const self = `S${s.config.id}`;
  const config = s.membership.config;
  const of = config.outgoing.length === 0
    ? `of ${config.voters.length}, a majority is ${quorumSize(Math.max(1, config.voters.length))}`
    : `(${quorumText(config)})`;
  return answered.length === 0
    ? `no follower answered in the last ${ms(silentForMs)}: ${self} alone is 1 ${of}`
    : `only ${nodeList(answered)} answered in the last ${ms(silentForMs)}: with ${self} itself that is ${answered.length + 1} ${of}`;
}

/** Planted bug: vote-not-persisted — what reaches the disk never holds a vote. */
function maskHardState(voteNotPersisted: boolean, hardState: HardState): HardState {
  return voteNotPersisted ? { term: hardState.term, votedFor: null } : { term: hardState.term, votedFor: hardState.votedFor };
}

function validateRecovered(hardState: HardState, snapshot: Snapshot | null, entries: readonly Entry[]): void {
  assertIndex(hardState.term, 'persisted term');
  if (!(hardState.votedFor === null || (Number.isSafeInteger(hardState.votedFor) && hardState.votedFor >= 1))) fail(`persisted votedFor S${hardState.votedFor ?? 0} is not a server id`);
  if (snapshot !== null) {
    if (!(Number.isSafeInteger(snapshot.lastIncludedIndex) && snapshot.lastIncludedIndex >= 1)) fail(`persisted snapshot index ${snapshot.lastIncludedIndex} must be >= 1`);
    assert(Number.isSafeInteger(snapshot.lastIncludedTerm) && snapshot.lastIncludedTerm >= 1 && snapshot.lastIncludedTerm <= hardState.term,
      `persisted snapshot term ${snapshot.lastIncludedTerm} outside [1, persisted term ${hardState.term}]`);
    assert(typeof snapshot.data === 'string', 'persisted snapshot data must be a string');
  }
  const first = entries[0];
  const expectedFirst = (snapshot?.lastIncludedIndex ?? 0) + 1;
  if (!(first === undefined || first.index === expectedFirst)) fail(`persisted log starts at index ${first?.index ?? 0}, expected ${expectedFirst} (after the snapshot)`);
  const last = entries[entries.length - 1];
  if (!(last === undefined || last.term <= hardState.term)) fail(`persisted log has term ${last?.term ?? 0} beyond persisted term ${hardState.term}`);
}
