// Term and role transitions shared by every handler. Becoming candidate or leader lives in election.ts.

import { fail } from './assert';
import { failAllReads } from './read-only';
import { redirectHint, roleName } from './reasons';
import { emit, resetElectionTimer, type NodeState } from './state';
import type { NodeId, Role } from './types';

/** Moves to a newer term; votedFor is cleared because the vote belongs to a term (Figure 2). */
export function setTerm(s: NodeState, term: number, rule: string, reason: string): void {
  if (!(Number.isSafeInteger(term) && term > s.term)) fail(`term must increase: ${s.term} -> ${term}`);
  const previousTerm = s.term;
  s.term = term;
  s.votedFor = null;
  emit(s, 'term-changed', rule, reason, { from: previousTerm, to: term });
}

export function changeRole(s: NodeState, role: Role, rule: string, reason: string): void {
  if (s.role === role) return;
  const previousRole = s.role;
  s.role = role;
  emit(s, 'role-changed', rule, reason, { from: previousRole, to: role });
}

/**
 * Becomes (or stays) a follower of `term`, knowing `leaderId` or not. A leader that steps down fails its pending
 * reads and starts an election timer (it had none); a candidate keeps its running timer (Figure 2 resets it only on
 * granting a vote or hearing from the leader).
 */
export function becomeFollower(
  s: NodeState, term: number, leaderId: NodeId | null, rule: string, reason: string,
): void {
  if (term > s.term) setTerm(s, term, rule, reason);
  if (term !== s.term) fail(`becomeFollower(${term}) in a later term ${s.term}`);
  const previousRole = s.role;
  s.leaderId = leaderId;
  s.votes.clear();
  if (previousRole === 'follower') return;
  emit(s, 'stepped-down', rule, `${roleName(previousRole)} S${s.config.id} steps down: ${reason}`, { from: previousRole, term: s.term, leaderId });
  changeRole(s, 'follower', rule, reason);
  if (previousRole === 'leader') {
    s.transfer = null; // done (the target's new term deposed us) or moot: only a leader transfers
    s.progress.clear();
    s.broadcastPending = false;
    s.readRoundPending = false;
    resetElectionTimer(s);
    failAllReads(s, `S${s.config.id} stepped down in term ${s.term}; ${redirectHint(leaderId)}`);
  }
}
