// Cluster membership changes (dissertation ch. 4; the paper's §6 as a second mode). A configuration is a log entry;
// every server uses the latest configuration in its log, committed or not (§4.1), so appending one makes it take
// effect and truncating one brings the previous one back. A leader proposes one change at a time, and only once an
// entry of its own term has committed (the 2015 fix of the single-server algorithm). In 'joint' mode a change of
// voters goes through C_old,new (decisions need a majority of both) and then C_new, which the leader appends as soon
// as C_old,new commits (Figure 11).

import { fail } from './assert';
import { maybeAdvanceLeaderCommit } from './commit';
import { createProgress } from './progress';
import { RULE, describeConfig, nodeList } from './reasons';
import { becomeFollower } from './roles';
import { emit, hasBug, type NodeState } from './state';
import type { Configuration, Entry, MembershipChange, NodeId, ProposeResult } from './types';

/** The configuration in effect on a server, and what it implies for it. */
export interface Membership {
  readonly config: Configuration;
  /** Index of the entry that holds `config` (the snapshot's index for a snapshot's; 0 for the bootstrap one). */
  readonly configIndex: number;
  /** Everyone a leader replicates to: voters (old and new) and learners, but not this server. */
  readonly peers: readonly NodeId[];
}

export function bootstrapConfiguration(voters: readonly NodeId[]): Configuration {
  return { voters: [...voters].sort((a, b) => a - b), learners: [], outgoing: [] };
}

export function membershipOf(config: Configuration, configIndex: number, self: NodeId): Membership {
  const everyone = new Set<NodeId>([...config.voters, ...config.outgoing, ...config.learners]);
  everyone.delete(self);
  return { config, configIndex, peers: [...everyone].sort((a, b) => a - b) };
}

/** A voter of the configuration (in a joint one, of either half): it may vote and campaign. */
export function isVoter(config: Configuration, id: NodeId): boolean {
  return config.voters.includes(id) || config.outgoing.includes(id);
}

/** The voters a candidate asks: both halves of a joint configuration, never learners, never itself. */
export function voterPeers(s: NodeState): NodeId[] {
  const config = s.membership.config;
  const voters = new Set<NodeId>([...config.voters, ...config.outgoing]);
  voters.delete(s.config.id);
  return [...voters].sort((a, b) => a - b);
}

/** Which configuration is in effect: the latest in the log (planted bug config-applied-on-commit: the latest committed). */
function effectiveConfig(s: NodeState): { config: Configuration; index: number } {
  if (hasBug(s, 'config-applied-on-commit')) {
    const at = Math.max(s.log.snapshotIndex(), Math.min(s.commitIndex, s.log.lastIndex()));
    const config = s.log.configAt(at);
    return config === null ? { config: s.config.bootstrap, index: 0 } : { config, index: s.log.configIndexAt(at) };
  }
  const config = s.log.latestConfig();
  return config === null ? { config: s.config.bootstrap, index: 0 } : { config, index: s.log.latestConfigIndex() };
}

/**
 * Brings s.membership up to date with the log after it changed (`cause` says how: appended, truncated, snapshot).
 * On a leader the followers it tracks follow the configuration: new servers get a Progress, removed ones lose theirs.
 */
export function refreshMembership(s: NodeState, rule: string, cause: string): void {
  const { config, index } = effectiveConfig(s);
  const previous = s.membership;
  if (config === previous.config) return;
  s.membership = membershipOf(config, index, s.config.id);
  const self = `S${s.config.id}`;
  const standing = isVoter(config, s.config.id) ? 'a voter' : config.learners.includes(s.config.id) ? 'a learner' : 'not a member';
  emit(s, 'configuration-changed', rule,
    `${cause}: the configuration is now ${describeConfig(config)} (was ${describeConfig(previous.config)}); ${self} is ${standing}` +
    (index > s.commitIndex ? `; entry ${index} is not committed yet, and takes effect anyway` : ''),
    { index, voters: nodeList(config.voters), learners: nodeList(config.learners), outgoing: nodeList(config.outgoing),
      previousVoters: nodeList(previous.config.voters), committed: index <= s.commitIndex });
  if (s.role === 'leader') syncProgress(s);
}

/** A leader tracks exactly the servers of its configuration (Figure 2's nextIndex/matchIndex per server). */
export function syncProgress(s: NodeState): void {
  const peers = s.membership.peers;
  for (const peer of peers) {
    if (!s.progress.has(peer)) s.progress.set(peer, createProgress(s.log.lastIndex(), s.nowMs, s.config));
  }
  for (const peer of [...s.progress.keys()]) {
    if (!peers.includes(peer)) {
      s.progress.delete(peer);
      s.learnerRounds.delete(peer);
    }
  }
  for (const learner of s.membership.config.learners) {
    if (!s.learnerRounds.has(learner) && learner !== s.config.id) {
      s.learnerRounds.set(learner, { round: 1, startMs: s.nowMs, target: s.log.lastIndex(), next: 'catch-up' });
    }
  }
  for (const id of [...s.learnerRounds.keys()]) if (!s.membership.config.learners.includes(id)) s.learnerRounds.delete(id);
}

/** Why a leader may not propose a configuration change now, or null (the checks of §4.1). */
function changeBlocked(s: NodeState): { rule: string; why: string } | null {
  const pendingIndex = s.log.latestConfigIndex();
  // Planted bug: two-pending-config-changes — a second change is accepted while the first is uncommitted.
  if (pendingIndex > s.commitIndex && !hasBug(s, 'two-pending-config-changes')) {
    return { rule: RULE.configOneAtATime, why: `configuration entry ${pendingIndex} is not committed yet (commitIndex ${s.commitIndex})` };
  }
  // Planted bug: config-change-before-own-term-commit — the 2015 bug: no wait for an entry of the leader's term.
  if (!committedInOwnTerm(s) && !hasBug(s, 'config-change-before-own-term-commit')) {
    return { rule: RULE.configOwnTermFirst, why: `no entry of term ${s.term} has committed yet (commitIndex ${s.commitIndex})` };
  }
  return null;
}

function committedInOwnTerm(s: NodeState): boolean {
  return s.commitIndex > 0 && s.commitIndex >= s.log.snapshotIndex() && s.commitIndex <= s.log.lastIndex() &&
    s.log.termAt(s.commitIndex) === s.term;
}

/** The configuration after `change`, or why the change makes no sense in `config`. */
function changedConfig(s: NodeState, config: Configuration, change: MembershipChange): Configuration | string {
  const node = change.node;
  if (!(Number.isSafeInteger(node) && node >= 1)) return `S${String(node)} is not a server id`;
  const voter = config.voters.includes(node);
  const learner = config.learners.includes(node);
  const sorted = (ids: readonly NodeId[]): NodeId[] => [...ids].sort((a, b) => a - b);
  const joint = s.config.membershipMode === 'joint';
  switch (change.type) {
    case 'add':
      if (voter || learner) return `S${node} is already ${voter ? 'a voter' : 'a learner'}`;
      return { voters: config.voters, learners: sorted([...config.learners, node]), outgoing: [] };
    case 'promote': {
      if (!learner) return `S${node} is not a learner`;
      const voters = sorted([...config.voters, node]);
      const learners = config.learners.filter((id) => id !== node);
      return { voters, learners, outgoing: joint ? config.voters : [] };
    }
    case 'remove': {
      if (!voter && !learner) return `S${node} is not a member`;
      if (learner) return { voters: config.voters, learners: config.learners.filter((id) => id !== node), outgoing: [] };
      if (config.voters.length === 1) return `S${node} is the last voter`;
      return { voters: config.voters.filter((id) => id !== node), learners: config.learners, outgoing: joint ? config.voters : [] };
    }
    default:
      return `unknown change ${String((change as { type?: unknown }).type)}`;
  }
}

/** A client asks the leader to change the configuration (dissertation §4.1; §4.2.1 for `add`). */
export function proposeMembership(s: NodeState, change: MembershipChange): ProposeResult {
  if (s.role !== 'leader') {
    emit(s, 'proposal-rejected', RULE.redirect, `S${s.config.id} is not the leader: a configuration change goes to the leader`,
      { leaderHint: s.leaderId });
    return { ok: false, leaderHint: s.leaderId };
  }
  const blocked = changeBlocked(s);
  if (blocked !== null) return refuse(s, change, blocked.rule, blocked.why);
  const config = s.membership.config;
  if (config.outgoing.length > 0) return refuse(s, change, RULE.jointConsensus, 'the cluster is still in the joint configuration C_old,new');
  const next = changedConfig(s, config, change);
  if (typeof next === 'string') return refuse(s, change, RULE.configInvalid, next);
  return appendConfig(s, next, `${describeChange(change)} (proposed)`);
}

function refuse(s: NodeState, change: MembershipChange, rule: string, why: string): ProposeResult {
  emit(s, 'proposal-rejected', rule, `configuration change refused (${describeChange(change)}): ${why}`,
    { leaderHint: s.config.id, change: change.type, node: change.node });
  return { ok: false, leaderHint: s.config.id };
}

function describeChange(change: MembershipChange): string {
  switch (change.type) {
    case 'add': return `add S${change.node} as a learner`;
    case 'promote': return `promote learner S${change.node} to voter`;
    case 'remove': return `remove S${change.node}`;
  }
}

/** The leader appends a configuration entry; it takes effect at once (§4.1). */
function appendConfig(s: NodeState, config: Configuration, what: string): ProposeResult {
  const entry: Entry = { index: s.log.lastIndex() + 1, term: s.term, command: null, config };
  s.log.append(entry);
  emit(s, 'proposal-accepted', config.outgoing.length > 0 ? RULE.jointConsensus : RULE.configTakesEffect,
    `${what}: appended configuration entry ${entry.index} (term ${entry.term}): ${describeConfig(config)}`,
    { index: entry.index, command: null, voters: nodeList(config.voters), learners: nodeList(config.learners), outgoing: nodeList(config.outgoing) });
  refreshMembership(s, config.outgoing.length > 0 ? RULE.jointConsensus : RULE.configTakesEffect,
    `S${s.config.id} appended configuration entry ${entry.index}`);
  s.broadcastPending = true;
  maybeAdvanceLeaderCommit(s);
  return { ok: true, index: entry.index, term: entry.term };
}

/**
 * After commitIndex moved: with the planted bug config-applied-on-commit the configuration changes only now; a
 * leader whose C_old,new committed appends C_new (paper §6); a leader no longer among the voters of a committed
 * configuration steps down (dissertation §4.2.2).
 */
export function afterCommit(s: NodeState): void {
  if (hasBug(s, 'config-applied-on-commit')) refreshMembership(s, RULE.configTakesEffect, `commitIndex reached ${s.commitIndex}`);
  if (s.role !== 'leader') return;
  const { config, configIndex } = s.membership;
  if (configIndex > s.commitIndex) return;
  if (config.outgoing.length > 0) {
    appendConfig(s, { voters: config.voters, learners: config.learners, outgoing: [] },
      `C_old,new (entry ${configIndex}) committed with majorities of both; the leader now appends C_new`);
    return;
  }
  if (!isVoter(config, s.config.id)) {
    becomeFollower(s, s.term, null, RULE.leaderRemoved,
      `configuration entry ${configIndex} (${describeConfig(config)}) is committed and S${s.config.id} is not among its voters`);
  }
}

/** Bound on catch-up rounds before the leader gives up on a learner (§4.2.1 suggests about ten). */
export const MAX_LEARNER_ROUNDS = 10;

export interface LearnerRound {
  round: number;
  startMs: number;
  /** The leader's last index when the round started: the round ends when the learner holds it. */
  target: number;
  /** What the leader does next: keep catching up, or promote / remove it as soon as it may change the configuration. */
  next: 'catch-up' | 'promote' | 'remove';
}

/**
 * Dissertation §4.2.1: the leader replicates to a learner in rounds; each round ends when the learner holds what the
 * leader had when it began. A round shorter than the minimum election timeout means the learner is close enough to
 * count without stalling commits: it is promoted. After MAX_LEARNER_ROUNDS slow rounds it is removed.
 */
export function advanceLearners(s: NodeState): void {
  if (s.role !== 'leader' || s.learnerRounds.size === 0) return;
  for (const [learner, round] of [...s.learnerRounds]) {
    const progress = s.progress.get(learner);
    if (progress === undefined) fail(`leader S${s.config.id} has a learner round for S${learner} but no progress`);
    if (round.next === 'catch-up') endRound(s, learner, round, progress.matchIndex);
    if (round.next === 'catch-up' || changeBlocked(s) !== null || s.membership.config.outgoing.length > 0) continue;
    s.learnerRounds.delete(learner);
    const change: MembershipChange = { type: round.next, node: learner };
    appendConfig(s, changedConfig(s, s.membership.config, change) as Configuration,
      round.next === 'promote' ? `learner S${learner} caught up (§4.2.1): promote it to voter` : `learner S${learner} could not catch up (§4.2.1): remove it`);
    if (s.role !== 'leader') return;
  }
}

/**
 * A round ends when the learner holds the round's target. A learner that does not answer at all (crashed, cut off)
 * stays a learner, counting for nothing, until it answers: only slow rounds make the leader give up on it.
 */
function endRound(s: NodeState, learner: NodeId, round: LearnerRound, matchIndex: number): void {
  if (matchIndex < round.target) return;
  const tookMs = Math.round(s.nowMs - round.startMs);
  const data = { node: learner, round: round.round, target: round.target, tookMs };
  if (s.nowMs - round.startMs < s.config.electionTimeoutMinMs) {
    round.next = 'promote';
    emit(s, 'learner-round', RULE.learnerCatchUp,
      `learner S${learner} finished round ${round.round} (through index ${round.target}) in ${tookMs} ms, under the minimum election timeout: it is caught up and will be promoted`,
      { ...data, outcome: 'caught-up' });
  } else if (round.round >= MAX_LEARNER_ROUNDS) {
    giveUp(s, learner, round, `round ${round.round} took ${tookMs} ms; after ${MAX_LEARNER_ROUNDS} rounds it is still not within an election timeout of the leader`);
  } else {
    emit(s, 'learner-round', RULE.learnerCatchUp,
      `learner S${learner} finished round ${round.round} in ${tookMs} ms (not under ${Math.round(s.config.electionTimeoutMinMs)} ms): round ${round.round + 1} replicates through index ${s.log.lastIndex()}`,
      { ...data, outcome: 'next-round' });
    round.round += 1;
    round.startMs = s.nowMs;
    round.target = s.log.lastIndex();
  }
}

function giveUp(s: NodeState, learner: NodeId, round: LearnerRound, why: string): void {
  round.next = 'remove';
  emit(s, 'learner-round', RULE.learnerCatchUp, `learner S${learner} cannot catch up: ${why}; the leader removes it`,
    { node: learner, round: round.round, outcome: 'aborted' });
}
