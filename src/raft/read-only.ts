// ReadIndex (dissertation §6.4): a linearizable read without writing to the log.
//   1. The leader must have committed an entry of its current term (its no-op, §8), so that its commitIndex is at
//      least every entry committed by earlier leaders; reads wait until then.
//   2. It records commitIndex as the read's index.
//   3. It confirms it is still the leader: a heartbeat round (readRound, echoed in replies) acknowledged by a majority.
//   4. The read is served once the state machine has applied the read index (the runtime's job: ReadState).

import { fail } from './assert';
import { hasQuorum, quorumValue } from './quorum';
import { RULE, aRole, redirectHint } from './reasons';
import type { Progress } from './progress';
import type { NodeId } from './types';
import { MAX_PENDING_READ_RESULTS, emit, hasBug, isCorrectRaft, type NodeState } from './state';

/** Bound on reads waiting for a commit or a heartbeat round; beyond it reads fail fast. */
export const MAX_PENDING_READS = 4096;

export interface PendingRead {
  readonly requestId: string;
  readonly index: number;
  readonly round: number;
  /** The read waited for the leader's first commit of its term (step 1) before taking its index. */
  readonly waitedForCommit: boolean;
}

export interface ReadRequests {
  /** Highest round started; never decreases, across terms too, so replies of a past leadership never confirm. */
  round: number;
  /** Reads waiting for an entry of the current term to commit (step 1), in arrival order. */
  awaitingCommit: string[];
  /** Reads waiting for their heartbeat round (step 3), in round order. */
  pending: PendingRead[];
}

export function createReadRequests(): ReadRequests {
  return { round: 0, awaitingCommit: [], pending: [] };
}

export function requestRead(s: NodeState, requestId: string): void {
  if (s.role !== 'leader') {
    failRead(s, requestId, RULE.redirect, `S${s.config.id} is ${aRole(s.role)}, not the leader; ${redirectHint(s.leaderId)}`);
    return;
  }
  if (s.reads.awaitingCommit.length + s.reads.pending.length >= MAX_PENDING_READS) {
    failRead(s, requestId, RULE.flowControl, `${MAX_PENDING_READS} reads already pending; retry later`);
    return;
  }
  if (!hasCommittedInCurrentTerm(s)) {
    s.reads.awaitingCommit.push(requestId);
    return;
  }
  startRound(s, [requestId], false);
}

/** Called when the leader's commitIndex advances: reads waiting for step 1 can take their index now. */
export function onLeaderCommitAdvanced(s: NodeState): void {
  if (s.reads.awaitingCommit.length === 0 || !hasCommittedInCurrentTerm(s)) return;
  const requestIds = s.reads.awaitingCommit;
  s.reads.awaitingCommit = [];
  startRound(s, requestIds, true);
}

/** Records that a peer accepted this leader's term in a message carrying read round `round`. */
export function acknowledgeReadRound(s: NodeState, progress: Progress, round: number): void {
  if (round > s.reads.round) {
    // Only possible with two leaders in one term, which only planted bugs allow.
    if (isCorrectRaft(s)) fail(`a peer acknowledged read round ${round} that was never started (last ${s.reads.round})`);
    return;
  }
  progress.ackedReadRound = Math.max(progress.ackedReadRound, round);
}

/** The newest read round server `id` acknowledged (the leader: its own newest round). */
function acknowledgedRound(id: NodeId, s: NodeState): number {
  return id === s.config.id ? s.reads.round : s.progress.get(id)?.ackedReadRound ?? 0;
}

/** Confirms every pending read whose round a majority (the leader included) has acknowledged. */
export function confirmReads(s: NodeState): void {
  if (s.reads.pending.length === 0) return;
  const confirmedRound = quorumValue(s.membership.config, acknowledgedRound, s);
  while (true) {
    const read = s.reads.pending[0];
    if (read === undefined || read.round > confirmedRound) return;
    s.reads.pending.shift();
    confirmRead(s, read, `a majority acknowledged heartbeat round ${read.round} or later (step 3), so S${s.config.id} was still the leader after the read arrived`);
  }
}

/** On losing leadership every pending read fails: only the leader may answer them. */
export function failAllReads(s: NodeState, why: string): void {
  const requestIds = [...s.reads.awaitingCommit, ...s.reads.pending.map((read) => read.requestId)];
  s.reads.awaitingCommit = [];
  s.reads.pending = [];
  for (const requestId of requestIds) failRead(s, requestId, RULE.readIndex, why);
}

/** Steps 2-3: the reads take commitIndex as their index, and one new heartbeat round confirms them all. */
function startRound(s: NodeState, requestIds: readonly string[], waitedForCommit: boolean): void {
  const index = s.commitIndex;
  // Planted bug: stale-leader-reads — skips step 3: no heartbeat round confirms the leader is still the leader.
  const alone = hasQuorum(s.membership.config, (id) => id === s.config.id);
  if (alone || hasBug(s, 'stale-leader-reads')) {
    for (const requestId of requestIds) {
      confirmRead(s, { requestId, index, round: s.reads.round, waitedForCommit }, alone
        ? 'a single-server cluster is its own majority (step 3)'
        : 'the leader answered at once, without a heartbeat round');
    }
    return;
  }
  s.reads.round += 1;
  for (const requestId of requestIds) s.reads.pending.push({ requestId, index, round: s.reads.round, waitedForCommit });
  s.readRoundPending = true;
}

function hasCommittedInCurrentTerm(s: NodeState): boolean {
  return s.commitIndex > 0 && s.log.termAt(s.commitIndex) === s.term;
}

function confirmRead(s: NodeState, read: PendingRead, why: string): void {
  if (!(s.out.readStates.length < MAX_PENDING_READ_RESULTS)) fail(`more than ${MAX_PENDING_READ_RESULTS} read results pending`);
  s.out.readStates.push({ requestId: read.requestId, index: read.index });
  const taken = read.waitedForCommit
    ? `commitIndex once this term's first entry (its no-op) had committed (steps 1-2)`
    : 'commitIndex when the read arrived (step 2)';
  emit(s, 'read-confirmed', RULE.readIndex,
    `read ${read.requestId} may be served once index ${read.index} is applied: its readIndex ${read.index} is the ${taken}; ${why}`,
    { requestId: read.requestId, index: read.index, round: read.round });
}

function failRead(s: NodeState, requestId: string, rule: string, why: string): void {
  if (!(s.out.readFailures.length < MAX_PENDING_READ_RESULTS)) fail(`more than ${MAX_PENDING_READ_RESULTS} read results pending`);
  const leaderHint = s.role === 'leader' ? s.config.id : s.leaderId;
  s.out.readFailures.push({ requestId, leaderHint });
  emit(s, 'read-failed', rule, `read ${requestId} failed: ${why}`, { requestId, leaderHint });
}
