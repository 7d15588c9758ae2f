// Random fault schedules for fuzzing: crashes and restarts, partitions (full, bridge, asymmetric), message loss,
// duplication and reordering, all drawn from the run's seeded stream and played on the simulator's clock.
// A profile sets how often each fault happens, so a planted-bug test can lean on the faults that expose its bug.

import type { NodeId } from '../../raft/types';
import { QUIET_NETWORK, type FaultKind, type FaultProfile, type IsolateNewLeader, type Reaction } from './fault-profiles';
import type { NetworkOptions } from '../engine/network';
import type { Prng } from '../engine/prng';
import type { Simulation } from '../engine/simulation';

export {
  FAULT_PROFILES, QUIET_NETWORK, type FaultKind, type FaultProfile, type FaultProfileName, type IsolateNewLeader, type Reaction,
} from './fault-profiles';

/**
 * Members a fault needs to mean anything: network faults cut or slow links between servers, and a bridge needs two
 * sides and a server on both. A smaller cluster never draws them (a 1-node cluster has no link at all).
 */
const MIN_MEMBERS: Readonly<Partial<Record<FaultKind, number>>> = {
  'partition': 2, 'isolate-leader': 2, 'asymmetric': 2, 'heal': 2, 'network-weather': 2, 'bridge': 3,
  // Churn needs a cluster that can lose a voter and keep a majority.
  'add-server': 3, 'remove-server': 3, 'transfer-leader': 2,
};

/** The kinds `profile` draws on a cluster of `members` servers: weighted, and meaningful at that size. */
export function drawableFaults(profile: FaultProfile, members: number): FaultKind[] {
  return (Object.keys(profile.weights) as FaultKind[])
    .filter((kind) => (profile.weights[kind] ?? 0) > 0 && members >= (MIN_MEMBERS[kind] ?? 1));
}

/** Plays random faults from `profile` on `simulation` until `untilMs` (simulated). */
export class FaultSchedule {
  private readonly weightTotal: number;
  private readonly kinds: FaultKind[];
  private readonly maxCrashed: number;
  private stopped = false;
  private unsubscribe: () => void = () => undefined;

  constructor(
    private readonly simulation: Simulation,
    private readonly profile: FaultProfile,
    private readonly random: Prng,
    private readonly untilMs: number,
  ) {
    if (!Object.values(profile.weights).some((weight) => weight > 0)) throw new Error('a fault profile needs at least one fault with weight > 0');
    const members = simulation.members.length;
    // May be empty (a network-only profile on one server): then no fault is ever drawn.
    this.kinds = drawableFaults(profile, members);
    this.weightTotal = this.kinds.reduce((sum, kind) => sum + (profile.weights[kind] ?? 0), 0);
    this.maxCrashed = profile.maxCrashed ?? Math.floor((members - 1) / 2);
  }

  start(): void {
    this.scheduleNext();
    const reactions = this.profile.reactions;
    if (reactions !== undefined) {
      // Trace listeners run inside the step, after the core's Ready is drained but before its messages leave:
      // a network change here takes effect for those messages; crashes wait for a later event.
      this.unsubscribe = this.simulation.onTrace((record) => {
        if (record.kind !== 'raft-event' || this.stopped || this.simulation.nowMs >= this.untilMs) return;
        const event = record.event;
        if (event.kind === 'became-leader') {
          if (reactions.changeOnElection !== undefined) this.changeOnElection(event.node, reactions.changeOnElection);
          if (reactions.isolateNewLeader !== undefined) this.isolateNewLeader(event.node, reactions.isolateNewLeader);
        }
        if (event.kind === 'commit-advanced' && reactions.isolateCommittingLeader !== undefined &&
            this.simulation.status(event.node).role === 'leader') {
          this.isolateNewLeader(event.node, reactions.isolateCommittingLeader);
        }
        if (event.kind === 'vote-granted' && reactions.rebootVoter !== undefined) this.react(event.node, reactions.rebootVoter);
      });
    }
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
  }

  /** Asks a leader that just won for a membership change, in the same instant (after its no-op, before any ack). */
  private changeOnElection(leader: NodeId, reaction: { readonly probability: number; readonly votersOnly?: boolean }): void {
    if (!this.random.chance(reaction.probability)) return;
    if (reaction.votersOnly === true) {
      this.changeVotersOnElection(leader);
      return;
    }
    const add = this.random.chance(0.5);
    this.simulation.schedule(0, () => {
      if (this.stopped || !this.simulation.isAlive(leader) || this.simulation.status(leader).role !== 'leader') return;
      if (add) this.addServer([leader]);
      else this.removeServer([leader]);
    });
  }

  /** A change of the voters by a leader that just won: promote a learner, or remove another voter. */
  private changeVotersOnElection(leader: NodeId): void {
    const sim = this.simulation;
    const config = sim.status(leader).config;
    const others = config.voters.filter((id) => id !== leader);
    const minVoters = this.profile.membership?.minVoters ?? 3;
    const promote = config.learners.length > 0 && (config.voters.length <= minVoters || this.random.chance(0.5));
    if (!promote && config.voters.length <= minVoters) return;
    const node = promote ? this.random.pick(config.learners) : this.random.pick(others);
    sim.schedule(0, () => {
      if (this.stopped || !sim.isAlive(leader) || sim.status(leader).role !== 'leader') return;
      sim.noteFault(`ask S${leader} to ${promote ? 'promote' : 'remove'} S${node} as it takes office`);
      sim.proposeMembership(leader, { type: promote ? 'promote' : 'remove', node });
    });
  }

  /** Partitions `leader` into a minority (alone, or with a few followers) for a while. */
  private isolateNewLeader(leader: NodeId, reaction: IsolateNewLeader): void {
    if (this.simulation.members.length < (MIN_MEMBERS['isolate-leader'] ?? 1)) return; // nobody to cut it off from
    if (!this.random.chance(reaction.probability)) return;
    const others = this.random.shuffled(this.simulation.members.filter((id) => id !== leader));
    // Keep the leader's side a minority: up to floor((n-1)/2) - 1 followers go with it.
    const maxBuddies = Math.max(0, Math.floor((this.simulation.members.length - 1) / 2) - 1);
    const buddies = others.slice(0, this.random.int(0, maxBuddies + 1));
    this.partition([[leader, ...buddies], others.slice(buddies.length)]);
    const durationMs = this.random.between(reaction.durationMs[0], reaction.durationMs[1]);
    this.simulation.schedule(durationMs, () => {
      if (this.stopped) return;
      this.simulation.network.heal();
      this.simulation.noteFault('heal');
    });
  }

  /** Crash `node` soon (never inside the step that triggered it), restart it a little later. */
  private react(node: NodeId, reaction: Reaction): void {
    if (!this.random.chance(reaction.probability)) return;
    const sim = this.simulation;
    const delayMs = this.random.between(reaction.delayMs[0], reaction.delayMs[1]);
    const downtimeMs = this.random.between(reaction.downtimeMs[0], reaction.downtimeMs[1]);
    sim.schedule(delayMs, () => {
      if (this.stopped || !sim.isAlive(node)) return;
      const crashed = sim.members.filter((id) => !sim.isAlive(id)).length;
      if (crashed >= this.maxCrashed) return;
      this.crash(node);
      sim.schedule(downtimeMs, () => {
        if (!this.stopped && !sim.isAlive(node)) this.restart(node);
      });
    });
  }

  private scheduleNext(): void {
    if (this.kinds.length === 0) return;
    const delayMs = this.random.between(this.profile.intervalMs[0], this.profile.intervalMs[1]);
    if (this.simulation.nowMs + delayMs >= this.untilMs) return;
    this.simulation.schedule(delayMs, () => {
      if (this.stopped) return;
      this.inject(this.pickKind());
      this.scheduleNext();
    });
  }

  private pickKind(): FaultKind {
    let ticket = this.random.between(0, this.weightTotal);
    for (const kind of this.kinds) {
      ticket -= this.profile.weights[kind] ?? 0;
      if (ticket < 0) return kind;
    }
    return this.kinds[this.kinds.length - 1] as FaultKind;
  }

  private inject(kind: FaultKind): void {
    const sim = this.simulation;
    const members = sim.members;
    const alive = members.filter((id) => sim.isAlive(id));
    const crashed = members.filter((id) => !sim.isAlive(id));
    const leaders = sim.leaders();
    switch (kind) {
      case 'crash':
        if (crashed.length < this.maxCrashed && alive.length > 0) this.crash(this.random.pick(alive));
        break;
      case 'crash-leader':
        if (crashed.length < this.maxCrashed && leaders.length > 0) this.crash(this.random.pick(leaders));
        else if (crashed.length > 0) this.restart(this.random.pick(crashed));
        break;
      case 'restart':
        if (crashed.length > 0) this.restart(this.random.pick(crashed));
        break;
      case 'quick-reboot': {
        if (alive.length === 0) break;
        const victim = leaders.length > 0 && this.random.chance(0.3) ? this.random.pick(leaders) : this.random.pick(alive);
        this.crash(victim);
        const downtimeMs = this.random.between(this.profile.rebootDowntimeMs[0], this.profile.rebootDowntimeMs[1]);
        sim.schedule(downtimeMs, () => {
          if (!sim.isAlive(victim)) this.restart(victim);
        });
        break;
      }
      case 'partition': {
        const shuffled = this.random.shuffled(members);
        const cut = this.random.int(1, members.length);
        this.partition([shuffled.slice(0, cut), shuffled.slice(cut)]);
        break;
      }
      case 'isolate-leader': {
        const target = leaders.length > 0 ? this.random.pick(leaders) : this.random.pick(members);
        const rest = members.filter((id) => id !== target);
        // Sometimes the old leader keeps one follower, so it can still "replicate" to a minority.
        if (rest.length > 2 && this.random.chance(0.5)) {
          const buddy = this.random.pick(rest);
          this.partition([[target, buddy], rest.filter((id) => id !== buddy)]);
        } else {
          this.partition([[target], rest]);
        }
        break;
      }
      case 'bridge': {
        const shuffled = this.random.shuffled(members);
        const bridge = shuffled[0] as NodeId;
        const others = shuffled.slice(1);
        const cut = this.random.int(1, others.length);
        this.partition([[bridge, ...others.slice(0, cut)], [bridge, ...others.slice(cut)]]);
        break;
      }
      case 'asymmetric': {
        const links = this.random.int(1, Math.max(2, members.length));
        const blocked: string[] = [];
        for (let i = 0; i < links; i++) {
          const from = this.random.pick(members);
          const to = this.random.pick(members.filter((id) => id !== from));
          sim.network.setLinkBlocked(from, to, true);
          blocked.push(`S${from}->S${to}`);
        }
        sim.noteFault(`block ${blocked.join(' ')}`);
        break;
      }
      case 'heal':
        sim.network.heal();
        sim.noteFault('heal');
        break;
      case 'network-weather':
        this.changeWeather();
        break;
      case 'add-server':
        this.addServer(leaders);
        break;
      case 'remove-server':
        this.removeServer(leaders);
        break;
      case 'transfer-leader':
        this.transferLeader(leaders);
        break;
    }
  }

  /** The leader of the highest term among `leaders` (a stale one may still think it leads), or null. */
  private newestLeader(leaders: readonly NodeId[]): NodeId | null {
    let best: NodeId | null = null;
    for (const id of leaders) if (best === null || this.simulation.status(id).term > this.simulation.status(best).term) best = id;
    return best;
  }

  /** A new server (or one outside the leader's configuration) asked to join as a learner. */
  private addServer(leaders: readonly NodeId[]): void {
    const sim = this.simulation;
    const churn = this.profile.membership;
    const leader = this.newestLeader(leaders);
    if (churn === undefined || leader === null) return;
    const config = sim.status(leader).config;
    const outside = sim.members.filter((id) => !config.voters.includes(id) && !config.learners.includes(id) && !config.outgoing.includes(id));
    let node: NodeId;
    if (outside.length > 0 && (sim.members.length >= churn.maxServers || this.random.chance(0.5))) node = this.random.pick(outside);
    else if (sim.members.length < churn.maxServers) node = sim.addNode();
    else return;
    sim.noteFault(`ask S${leader} to add S${node}`);
    sim.proposeMembership(leader, { type: 'add', node });
  }

  /** A member (sometimes the leader itself) asked to leave, keeping at least minVoters voters. */
  private removeServer(leaders: readonly NodeId[]): void {
    const sim = this.simulation;
    const churn = this.profile.membership;
    const leader = this.newestLeader(leaders);
    if (churn === undefined || leader === null) return;
    const config = sim.status(leader).config;
    const voters = config.voters.length > churn.minVoters ? config.voters : [];
    const candidates = [...voters, ...config.learners];
    if (candidates.length === 0) return;
    const node = voters.includes(leader) && this.random.chance(churn.removeLeaderChance) ? leader : this.random.pick(candidates);
    sim.noteFault(`ask S${leader} to remove S${node}`);
    sim.proposeMembership(leader, { type: 'remove', node });
  }

  /** The newest leader asked to hand leadership to another voter, whatever state that voter is in (§3.10). */
  private transferLeader(leaders: readonly NodeId[]): void {
    const sim = this.simulation;
    const leader = this.newestLeader(leaders);
    if (leader === null) return;
    const others = sim.status(leader).config.voters.filter((id) => id !== leader);
    if (others.length === 0) return;
    const target = this.random.pick(others);
    sim.noteFault(`ask S${leader} to transfer leadership to S${target}`);
    sim.transferLeadership(leader, target);
  }

  private crash(id: NodeId): void {
    this.simulation.noteFault(`crash S${id}`);
    this.simulation.crash(id);
  }

  private restart(id: NodeId): void {
    this.simulation.noteFault(`restart S${id}`);
    this.simulation.restart(id);
  }

  private partition(groups: NodeId[][]): void {
    this.simulation.network.partition(groups);
    this.simulation.noteFault(`partition ${groups.map((group) => `{${group.map((id) => `S${id}`).join(',')}}`).join(' ')}`);
  }

  private changeWeather(): void {
    const random = this.random;
    const weather = this.profile.weather;
    if (random.chance(0.25)) {
      this.simulation.network.configure(QUIET_NETWORK);
      this.simulation.noteFault('network calm');
      return;
    }
    const minLatencyMs = random.between(0.2, Math.max(0.3, weather.maxLatencyMs / 4));
    const settings: Partial<NetworkOptions> = {
      latency: {
        minMs: minLatencyMs,
        maxMs: minLatencyMs + random.between(0, weather.maxLatencyMs),
        tailProbability: random.chance(0.3) ? 0.05 : 0,
        tailMeanMs: 50,
      },
      lossProbability: random.between(0, weather.maxLoss),
      duplicateProbability: random.between(0, weather.maxDuplicate),
      reorderProbability: random.between(0, weather.maxReorderProbability),
      reorderMaxMs: random.between(0, weather.maxReorderMs),
      unreliable: random.chance(weather.labrpcChance),
      longReordering: random.chance(weather.labrpcChance / 2),
    };
    this.simulation.network.configure(settings);
    this.simulation.noteFault(
      `network loss=${settings.lossProbability?.toFixed(2)} dup=${settings.duplicateProbability?.toFixed(2)} ` +
      `reorder=${settings.reorderProbability?.toFixed(2)}/${settings.reorderMaxMs?.toFixed(0)}ms ` +
      `unreliable=${settings.unreliable} longReordering=${settings.longReordering}`,
    );
  }
}
