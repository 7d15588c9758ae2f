// Membership changes on the real cluster (dissertation ch. 4): add a server (a new node process with an empty disk,
// proposed at the leader as a learner, promoted by the leader once caught up: §4.2.1) and remove one (proposed at
// the leader; its process stops once the change commits: §4.2.2). The lab asks; the leader's core decides, one
// change at a time. Anything the lab can tell in advance (no leader, a change pending, an unknown server) is refused
// before it changes anything; a refusal by the core undoes what the lab had started (the new process).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigurationView, LabEvent } from '../protocol/events';
import type { MembershipAnswer } from '../protocol/control';
import type { NodeView } from '../protocol/lab-api';
import type { MembershipChange, NodeId } from '../raft/types';
import { monotonicNowNs } from '../shared/monotonic-clock';
import type { EventHub } from './event-hub';
import type { NodeSlot, NodeSupervisor } from './node-supervisor';
import { START_DEADLINE_MS } from './cluster-faults';

/** How long the leader's node process has to answer a proposal (it answers at once unless it is stopped). */
const PROPOSAL_ANSWER_DEADLINE_MS = 5000;
/** How long removeServer waits for the removal to commit (real ms, times the slow motion) before giving up. */
const REMOVAL_COMMIT_DEADLINE_MS = 10_000;
const STOP_GRACE_MS = 2000;

export interface ClusterMembershipOptions {
  readonly supervisor: NodeSupervisor;
  readonly events: EventHub;
  readonly dataRoot: string;
  /** Largest cluster allowed (the lab's node limit). */
  readonly maxNodes: number;
  readonly timeScale: () => number;
  /** The lab clock is paused: nothing commits until the student steps, so removeServer does not wait for the commit. */
  readonly frozen: () => boolean;
}

/** A removal the leader appended: its configuration entry's index and the term of the leader that appended it. */
export interface PendingRemoval {
  readonly index: number;
  readonly term: number;
}

export class ClusterMembership {
  /** A change the lab started and has not finished (the core allows one at a time; so does the lab). */
  private busy: string | null = null;
  /** Removals the lab stopped waiting for (past the deadline, or proposed while paused), by server: see removeServer. */
  private readonly lateRemovals = new Map<NodeId, PendingRemoval>();

  constructor(private readonly o: ClusterMembershipOptions) {}

  /** Starts a new server with an empty disk and the next unused id, and proposes adding it; returns its id. */
  async addServer(): Promise<NodeId> {
    const supervisor = this.o.supervisor;
    const running = [...supervisor.slots()].length;
    if (running >= this.o.maxNodes) throw new Error(`the cluster already has ${running} servers, the most this lab allows`);
    this.leaderReadyForChange('add a server');
    const id = supervisor.nextUnusedId();
    return this.exclusive(`adding S${id}`, async () => {
      supervisor.spawnNode(id, true);
      const slot = supervisor.requireNode(id);
      try {
        await supervisor.waitUntil(() => slot.configured || (slot.process?.isExited ?? true), START_DEADLINE_MS, `S${id} to start`);
        if (!slot.configured) throw new Error(`S${id} could not start: ${slot.lastFailure ?? 'its process exited during start-up'}`);
        const answer = await this.propose({ type: 'add', node: id });
        if (!answer.ok) throw new Error(`the leader refused to add S${id}: ${answer.error ?? 'no reason given'}`);
        this.publish('add-server', [id], `S${id} joins as a learner (configuration entry ${answer.index ?? '?'}): it ` +
          'receives the log but does not vote or count until the leader promotes it once it has caught up (dissertation §4.2.1)');
      } catch (error) {
        await this.discard(id);
        // Announced like a removal, so views drop its card: a server that never joined must not linger, stopped.
        this.publish('remove-server', [id], `S${id} did not join and leaves the lab: ${error instanceof Error ? error.message : String(error)}`);
        throw error;
      }
      return id;
    });
  }

  /**
   * Proposes removing server `id` and, once the change commits, stops its process. A removal that has not committed
   * by the deadline (or was proposed on a paused cluster, where nothing commits until the student steps) is not
   * forgotten: the call says so, the server stays in the lab as the member it still is, and the lab finishes the
   * removal when the entry commits, or reports it lost when a new leader does without it.
   */
  async removeServer(id: NodeId): Promise<void> {
    const supervisor = this.o.supervisor;
    const slot = supervisor.slot(id);
    if (!slot) throw new Error(`there is no server S${id} in this cluster`);
    const late = this.lateRemovals.get(id);
    if (late !== undefined) {
      throw new Error(`S${id}'s removal (configuration entry ${late.index}) is already pending: the lab stops S${id} once it commits`);
    }
    const leader = this.leaderReadyForChange(`remove S${id}`);
    const config = leader.view.config ?? null;
    if (config !== null && !isMember(config, id)) throw new Error(`S${id} is not in the leader's configuration (${describeConfiguration(config)})`);
    await this.exclusive(`removing S${id}`, async () => {
      const answer = await this.propose({ type: 'remove', node: id });
      if (!answer.ok || answer.index === null) throw new Error(`the leader refused to remove S${id}: ${answer.error ?? 'no reason given'}`);
      const removal: PendingRemoval = { index: answer.index, term: leader.view.term };
      if (this.o.frozen()) {
        this.finishLater(id, removal);
        return;
      }
      const deadlineMs = REMOVAL_COMMIT_DEADLINE_MS * this.o.timeScale();
      try {
        await supervisor.waitUntil(() => removalCommitted(supervisor, id, removal.index) || removalLost(supervisor, id, removal) !== null,
          deadlineMs, `the removal of S${id} (configuration entry ${removal.index}) to commit`);
      } catch {
        this.finishLater(id, removal);
        throw new Error(`the removal of S${id} (configuration entry ${removal.index}) has not committed within ${deadlineMs} ms ` +
          `(a majority of the new configuration must store it), so S${id} is still a member and keeps running; ` +
          `the lab stops S${id} if the entry commits later, and says so if a new leader drops it`);
      }
      const lost = removalLost(supervisor, id, removal);
      if (lost !== null && !removalCommitted(supervisor, id, removal.index)) throw new Error(lost);
      await this.finishRemoval(id, removal);
    });
  }

  /** Stopped first, then announced: the UI drops the server's card at the announcement, and nothing of it follows. */
  private async finishRemoval(id: NodeId, removal: PendingRemoval): Promise<void> {
    await this.discard(id);
    this.publish('remove-server', [id], `S${id} was removed: the configuration without it (entry ${removal.index}) committed, ` +
      'so its process stopped (dissertation §4.2.2; a removed leader steps down once the change commits)');
  }

  /** Watches a removal the call no longer waits for, on every event batch, until it commits or is lost. */
  private finishLater(id: NodeId, removal: PendingRemoval): void {
    const supervisor = this.o.supervisor;
    // The cluster run, not the slot: a crash and restart of the server meanwhile gives it a new slot, and its removal
    // is still pending (it must still be stopped once the entry commits).
    const run = supervisor.clusterRun;
    this.lateRemovals.set(id, removal);
    const stop = this.o.events.subscribe(() => {
      if (supervisor.clusterRun !== run || !supervisor.slot(id)) { // the cluster was stopped or replaced meanwhile
        stop();
        this.lateRemovals.delete(id);
        return;
      }
      if (removalCommitted(supervisor, id, removal.index)) {
        stop();
        void this.finishRemoval(id, removal).finally(() => this.lateRemovals.delete(id));
        return;
      }
      const lost = removalLost(supervisor, id, removal);
      if (lost === null) return;
      stop();
      this.lateRemovals.delete(id);
      this.o.events.publish({ type: 'error', atNs: monotonicNowNs(), node: id, message: lost });
    });
  }

  /**
   * Promotes learner `id` to voter now (§4.2.1 leaves it to the leader; this is for a learner it never promoted: one
   * that was down or cut off during its rounds, or one whose leader changed). Resolves once the leader appended it.
   */
  async promoteServer(id: NodeId): Promise<void> {
    if (!this.o.supervisor.slot(id)) throw new Error(`there is no server S${id} in this cluster`);
    const leader = this.leaderReadyForChange(`promote S${id}`);
    const config = leader.view.config ?? null;
    if (config !== null && !config.learners.includes(id)) {
      throw new Error(`cannot promote S${id}: it is not a learner in the leader's configuration (${describeConfiguration(config)})`);
    }
    await this.exclusive(`promoting S${id}`, async () => {
      const answer = await this.propose({ type: 'promote', node: id });
      if (!answer.ok) throw new Error(`the leader refused to promote S${id}: ${answer.error ?? 'no reason given'}`);
      this.publish('promote-server', [id], `S${id} is promoted from learner to voter on request (configuration entry ` +
        `${answer.index ?? '?'}): from now on it votes and counts in every majority; a learner that is behind slows commits ` +
        'until it catches up, which is why the leader normally waits for it (dissertation §4.2.1)');
    });
  }

  /** The leader, if there is one and it has no configuration change pending; otherwise a clear refusal. */
  private leaderReadyForChange(what: string): NodeSlot {
    if (this.busy !== null) throw new Error(`cannot ${what}: a configuration change is already pending (${this.busy})`);
    const leader = this.currentLeader();
    if (leader === null) throw new Error(`cannot ${what}: there is no leader (a configuration change goes to the leader); wait for an election`);
    const config = leader.view.config ?? null;
    const committed = leader.view.committedConfig ?? null;
    if (config !== null && committed !== null && !sameConfiguration(config, committed)) {
      throw new Error(`cannot ${what}: a configuration change is already pending (${describeConfiguration(config)} is not committed yet; ` +
        'one change at a time, dissertation §4.1)');
    }
    return leader;
  }

  private currentLeader(): NodeSlot | null {
    return answeringLeader(this.o.supervisor);
  }

  private async propose(change: MembershipChange): Promise<MembershipAnswer> {
    const leader = this.currentLeader();
    if (leader === null) return { ok: false, index: null, leaderHint: null, error: 'there is no leader any more' };
    return this.o.supervisor.proposeMembership(leader.view.id, change, PROPOSAL_ANSWER_DEADLINE_MS);
  }

  private async exclusive<T>(what: string, run: () => Promise<T>): Promise<T> {
    this.busy = what;
    try {
      return await run();
    } finally {
      this.busy = null;
    }
  }

  /** The server leaves the lab: forgotten first (its exit is no crash), then stopped, its data directory deleted. */
  private async discard(id: NodeId): Promise<void> {
    // Its slot now, not when the change began: a restart meanwhile started a new process, and that is the one to stop.
    const slot = this.o.supervisor.slot(id);
    this.o.supervisor.forgetNode(id);
    if (slot?.process) {
      this.o.supervisor.sendToNode(id, { type: 'shutdown' });
      await slot.process.stop(STOP_GRACE_MS);
    }
    this.o.events.publish({ type: 'node-status', atNs: monotonicNowNs(), node: id, status: 'stopped', pid: null,
      reason: 'left the cluster' });
    rmSync(join(this.o.dataRoot, `node-${id}`), { recursive: true, force: true });
  }

  private publish(action: Extract<LabEvent, { type: 'fault' }>['action'], nodes: NodeId[], description: string): void {
    this.o.events.publish({ type: 'fault', atNs: monotonicNowNs(), action, nodes, description });
  }
}

function removalLost(supervisor: NodeSupervisor, id: NodeId, removal: PendingRemoval): string | null {
  return lostRemovalReason(answeringLeader(supervisor)?.view ?? null, id, removal);
}

/**
 * Why a removal appended by the leader of `removal.term` was lost, or null: `leader`, of a later term, keeps `id` in
 * its configuration (its latest, committed or not), so its log does without the entry, and it will never commit.
 */
export function lostRemovalReason(leader: Pick<NodeView, 'id' | 'term' | 'config'> | null, id: NodeId, removal: PendingRemoval): string | null {
  const config = leader?.config ?? null;
  if (leader === null || config === null || leader.term <= removal.term || !staysMember(config, id)) return null;
  return `the removal of S${id} (configuration entry ${removal.index} of term ${removal.term}) was lost: S${leader.id} leads ` +
    `term ${leader.term} with a log without it (${describeConfiguration(config)}), so S${id} stays a member; remove it again if you still want it gone`;
}

/** The running, answering server that says it leads the highest term, if any: where changes and transfers go. */
export function answeringLeader(supervisor: NodeSupervisor): NodeSlot | null {
  let leader: NodeSlot | null = null;
  for (const slot of supervisor.slots()) {
    if (slot.view.role !== 'leader' || slot.view.status !== 'running' || !supervisor.isAnswering(slot)) continue;
    if (leader === null || slot.view.term > leader.view.term) leader = slot;
  }
  return leader;
}

/** Some running server has committed, at or past `index`, a configuration without `id`. */
function removalCommitted(supervisor: NodeSupervisor, id: NodeId, index: number): boolean {
  for (const slot of supervisor.slots()) {
    const committed = slot.view.committedConfig ?? null;
    if (slot.view.id === id || committed === null) continue;
    if (slot.view.commitIndex >= index && !isMember(committed, id)) return true;
  }
  return false;
}

function isMember(config: ConfigurationView, id: NodeId): boolean {
  return config.voters.includes(id) || config.learners.includes(id) || config.outgoing.includes(id);
}

/**
 * A member of the configuration that follows this one. A server only among the old voters of a joint configuration
 * C_old,new is on its way out: a new leader holding C_old,new appends C_new itself (paper §6), so its removal goes on.
 */
function staysMember(config: ConfigurationView, id: NodeId): boolean {
  return config.voters.includes(id) || config.learners.includes(id);
}

function sameConfiguration(a: ConfigurationView, b: ConfigurationView): boolean {
  const same = (x: readonly number[], y: readonly number[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
  return same(a.voters, b.voters) && same(a.learners, b.learners) && same(a.outgoing, b.outgoing);
}

export function describeConfiguration(config: ConfigurationView): string {
  const list = (ids: readonly number[]): string => (ids.length === 0 ? 'none' : ids.map((n) => `S${n}`).join(', '));
  return `voters ${list(config.voters)}; learners ${list(config.learners)}${config.outgoing.length > 0 ? `; old voters ${list(config.outgoing)}` : ''}`;
}
