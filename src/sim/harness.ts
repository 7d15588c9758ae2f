// A test harness with the semantics of MIT 6.5840's Raft tester (raft/config.go: one(), checkOneLeader(),
// nCommitted(), ...), running on the deterministic simulator: every "sleep" of the lab's tests is simulated time,
// so a lab test that takes a minute of wall time runs here in well under a second, and replays from its seed.
//
// Differences from the lab, all deliberate:
//   - node i (0-based) is core NodeId i+1;
//   - indices are raw log indices, so leaders' no-op entries (§8) occupy indices; nCommitted reports command null
//     for them, and one() returns the index that holds the given command;
//   - crash()/restart() concern the process and connect()/disconnect() the network, independently: a restarted node
//     keeps its network state (6.5840's tests always connect() right after start1(), so they behave the same);
//   - heal() brings every link up: it clears partitions and blocked links and reconnects every node;
//   - with snapshotEvery (3D), a node that restored a snapshot through index N counts as having applied every index
//     up to N, with the command committed there (the invariant checker verifies the snapshot is that prefix's);
//   - membership (dissertation ch. 4): addServer() starts server nodeCount with an empty disk and asks the leader to
//     add it (as a learner, promoted once caught up); removeServer(i) asks the leader to remove i, whose process keeps
//     running. Configuration entries occupy log indices like no-ops (command null).

import type { BugName, MembershipChange, MembershipMode, NodeId } from '../raft/types';
import { parseBugNames } from './faults/bugs';
import { Prng } from './engine/prng';
import { Simulation } from './engine/simulation';

export interface HarnessOptions {
  nodes: number;
  seed: number;
  unreliable?: boolean;
  longReordering?: boolean;
  /** Default [150, 300]. */
  electionTimeoutMs?: [number, number];
  /** Default 50. */
  heartbeatMs?: number;
  extensions?: { preVote?: boolean; checkQuorum?: boolean };
  /** Planted bug names; unknown names throw, listing the known ones. */
  bugs?: string[];
  /**
   * 6.5840 3D: every node snapshots its state machine (and compacts its log, §7) every this many applied entries;
   * absent or 0: never. nCommitted counts a node that installed a snapshot as having applied what it covers.
   */
  snapshotEvery?: number;
  /** Characters per InstallSnapshot chunk (default: the core's, 256 Ki). */
  snapshotChunkChars?: number;
  /** How configurations change: 'single-server' (default, dissertation ch. 4) or 'joint' (paper §6). */
  membershipMode?: MembershipMode;
}

export interface HarnessProposal {
  index: number;
  term: number;
  isLeader: boolean;
}

export interface HarnessNodeState {
  term: number;
  role: 'follower' | 'candidate' | 'leader';
  commitIndex: number;
  lastLogIndex: number;
  alive: boolean;
}

export interface Harness {
  /** Advances simulated time; throws on any invariant breach. */
  run(ms: number): void;
  /** All links to and from node i (0-based). */
  disconnect(i: number): void;
  connect(i: number): void;
  partition(groups: number[][]): void;
  heal(): void;
  crash(i: number): void;
  /** Restarts from what node i had synced to disk; a live node is crashed first. */
  restart(i: number): void;
  setUnreliable(on: boolean): void;
  setLongReordering(on: boolean): void;
  propose(i: number, command: string): HarnessProposal;
  state(i: number): HarnessNodeState;
  /** Nodes that applied `index` (crashed ones included, by what they applied before); throws on disagreement. */
  nCommitted(index: number): { count: number; command: string | null };
  /** Retries in simulated time up to 5 s; throws if none, or two leaders in one term. */
  checkOneLeader(): number;
  /** Throws if a connected node believes it is leader. */
  checkNoLeader(): void;
  /** Throws if connected nodes disagree on the term. */
  checkTerms(): number;
  /** 6.5840 semantics, 10 s simulated budget. */
  one(command: string, expectedServers: number, retry: boolean): number;
  rpcCount(): number;
  rpcBytes(): number;
  /**
   * Starts a new server with an empty disk, connected, with the next unused index, and proposes adding it (as a
   * learner, then voter) at the current leader, waiting in simulated time for a leader that accepts; returns at once
   * after proposing (the caller runs time). Returns its index.
   */
  addServer(): number;
  /** Proposes removing server i at the current leader (same waiting rule); its process keeps running. */
  removeServer(i: number): void;
  /**
   * The voters of the latest committed configuration as the current leader knows it (0-based, sorted); waits in
   * simulated time for a leader, and for it to have committed an entry of its term (it knows the commit index then;
   * a leader that cannot commit within the wait answers with what it knows).
   */
  members(): number[];
  /**
   * Asks the current leader to hand leadership to server `to` (dissertation §3.10), waiting in simulated time for a
   * leader if there is none; returns at once after asking (the caller runs time). The leader refuses proposals
   * meanwhile; the transfer is abandoned after an election timeout if `to` does not take over.
   */
  transferLeadership(to: number): void;
}

/** 6.5840's tester waits 450-550 ms between leader checks, 10 times. */
const LEADER_CHECK_ATTEMPTS = 10;
const ONE_BUDGET_MS = 10_000;
const ONE_AGREEMENT_WAIT_MS = 2_000;
const ONE_POLL_MS = 20;
const ONE_NO_LEADER_BACKOFF_MS = 50;
/** How long addServer/removeServer/members wait (simulated) for a leader that accepts. */
const MEMBERSHIP_BUDGET_MS = 10_000;
/** Bound on indices the harness remembers per node (applied commands). */
const MAX_REMEMBERED_INDEX = 10_000_000;

export function createHarness(options: HarnessOptions): Harness {
  return new SimHarness(options);
}

export class SimHarness implements Harness {
  readonly simulation: Simulation;
  /** What each node applied, index -> command, across restarts (6.5840's cfg.logs). */
  private readonly appliedByNode: Map<number, string | null>[];
  /** Per node, the highest snapshot index its state machine restored (3D). */
  private readonly snapshotByNode: number[];
  private readonly random: Prng;

  constructor(options: HarnessOptions) {
    if (!Number.isInteger(options.nodes) || options.nodes < 1) throw new Error(`nodes must be a positive integer, got ${options.nodes}`);
    if (!Number.isFinite(options.seed)) throw new Error(`seed must be a number, got ${options.seed}`);
    const bugs: BugName[] = parseBugNames(options.bugs ?? []);
    this.random = new Prng(options.seed).fork('harness');
    this.simulation = new Simulation({
      seed: options.seed,
      nodes: options.nodes,
      electionTimeoutMs: options.electionTimeoutMs ?? [150, 300],
      heartbeatMs: options.heartbeatMs ?? 50,
      preVote: options.extensions?.preVote ?? false,
      checkQuorum: options.extensions?.checkQuorum ?? false,
      bugs,
      network: { unreliable: options.unreliable ?? false, longReordering: options.longReordering ?? false },
      traceCapacity: 2_000,
      countBytes: true,
      ...(options.snapshotEvery === undefined ? {} : { snapshotEveryEntries: options.snapshotEvery }),
      ...(options.snapshotChunkChars === undefined ? {} : { maxSnapshotChunkChars: options.snapshotChunkChars }),
      ...(options.membershipMode === undefined ? {} : { membershipMode: options.membershipMode }),
    });
    this.appliedByNode = Array.from({ length: options.nodes }, () => new Map<number, string | null>());
    this.snapshotByNode = Array.from({ length: options.nodes }, () => 0);
    this.simulation.addListener({
      onApply: (node, entries) => {
        const applied = this.appliedByNode[node - 1] as Map<number, string | null>;
        for (const entry of entries) {
          if (entry.index > MAX_REMEMBERED_INDEX) throw new Error(`index ${entry.index} beyond the harness bound`);
          applied.set(entry.index, entry.command);
        }
      },
      onSnapshot: (node, index) => {
        this.snapshotByNode[node - 1] = Math.max(this.snapshotByNode[node - 1] as number, index);
      },
    });
  }

  /** Servers started so far, added ones included (a removed server still counts: it keeps running). */
  get nodeCount(): number {
    return this.simulation.members.length;
  }

  run(ms: number): void {
    this.simulation.runFor(ms);
  }

  addServer(): number {
    const id = this.simulation.addNode();
    this.appliedByNode.push(new Map<number, string | null>());
    this.snapshotByNode.push(0);
    this.proposeMembership({ type: 'add', node: id });
    return id - 1;
  }

  removeServer(i: number): void {
    this.proposeMembership({ type: 'remove', node: this.id(i) });
  }

  members(): number[] {
    const leader = this.awaitLeader('members()', (id) => this.knowsItsCommitIndex(id));
    return this.simulation.status(leader).committedConfig.voters.map((id) => id - 1).sort((a, b) => a - b);
  }

  /**
   * A leader knows what is committed only once an entry of its own term is (§8): until then its commit index is what
   * it recovered or heard, and after a restart of everything that can be the bootstrap configuration long since replaced.
   */
  private knowsItsCommitIndex(leader: NodeId): boolean {
    const status = this.simulation.status(leader);
    const committedTerm = status.commitIndex === status.snapshotIndex
      ? status.snapshotTerm
      : this.simulation.entryAt(leader, status.commitIndex)?.term;
    return committedTerm === status.term;
  }

  transferLeadership(to: number): void {
    const target = this.id(to);
    const startMs = this.simulation.nowMs;
    while (this.simulation.nowMs - startMs < MEMBERSHIP_BUDGET_MS) {
      const leader = this.currentLeader();
      if (leader === target) return; // it leads already: nothing to hand over
      if (leader !== null) {
        const result = this.simulation.transferLeadership(leader, target);
        if (result === null || result.ok) return;
        throw new Error(`transferLeadership(${to}): S${leader} refused: ${result.reason} (seed ${this.simulation.seed})`);
      }
      this.run(ONE_POLL_MS);
    }
    throw new Error(`transferLeadership(${to}): no leader within ${MEMBERSHIP_BUDGET_MS} ms (seed ${this.simulation.seed}, t=${this.simulation.nowMs} ms)`);
  }

  /** Proposes `change` at the current leader, retrying in simulated time while there is none or it refuses. */
  private proposeMembership(change: MembershipChange): void {
    const startMs = this.simulation.nowMs;
    while (this.simulation.nowMs - startMs < MEMBERSHIP_BUDGET_MS) {
      const leader = this.currentLeader();
      if (leader !== null) {
        const result = this.simulation.proposeMembership(leader, change);
        if (result !== null && result.ok) return;
      }
      this.run(ONE_POLL_MS);
    }
    throw new Error(`${change.type} S${change.node}: no leader accepted it within ${MEMBERSHIP_BUDGET_MS} ms (seed ${this.simulation.seed}, t=${this.simulation.nowMs} ms)`);
  }

  private awaitLeader(what: string, ready: (leader: NodeId) => boolean = () => true): NodeId {
    const startMs = this.simulation.nowMs;
    while (true) {
      const leader = this.currentLeader();
      if (leader !== null && ready(leader)) return leader;
      if (this.simulation.nowMs - startMs >= MEMBERSHIP_BUDGET_MS) {
        // A leader that cannot commit (no majority reachable) still answers, with what it knows.
        if (leader !== null) return leader;
        break;
      }
      this.run(ONE_POLL_MS);
    }
    throw new Error(`${what}: no leader within ${MEMBERSHIP_BUDGET_MS} ms (seed ${this.simulation.seed}, t=${this.simulation.nowMs} ms)`);
  }

  /** The reachable, running server that leads the highest term, or null. */
  private currentLeader(): NodeId | null {
    let best: NodeId | null = null;
    for (const id of this.simulation.leaders()) {
      if (!this.participates(id - 1)) continue;
      if (best === null || this.simulation.status(id).term > this.simulation.status(best).term) best = id;
    }
    return best;
  }

  disconnect(i: number): void {
    this.simulation.network.setConnected(this.id(i), false);
    this.simulation.noteFault(`disconnect S${this.id(i)}`);
  }

  connect(i: number): void {
    this.simulation.network.setConnected(this.id(i), true);
    this.simulation.noteFault(`connect S${this.id(i)}`);
  }

  partition(groups: number[][]): void {
    const ids = groups.map((group) => group.map((i) => this.id(i)));
    this.simulation.network.partition(ids);
    this.simulation.noteFault(`partition ${ids.map((group) => `{${group.map((id) => `S${id}`).join(',')}}`).join(' ')}`);
  }

  heal(): void {
    this.simulation.network.heal();
    for (let i = 0; i < this.nodeCount; i++) this.simulation.network.setConnected(this.id(i), true);
    this.simulation.noteFault('heal');
  }

  crash(i: number): void {
    this.simulation.crash(this.id(i));
  }

  restart(i: number): void {
    this.simulation.restart(this.id(i));
  }

  setUnreliable(on: boolean): void {
    this.simulation.network.configure({ unreliable: on });
    this.simulation.noteFault(`unreliable ${on ? 'on' : 'off'}`);
  }

  setLongReordering(on: boolean): void {
    this.simulation.network.configure({ longReordering: on });
    this.simulation.noteFault(`long reordering ${on ? 'on' : 'off'}`);
  }

  propose(i: number, command: string): HarnessProposal {
    const id = this.id(i);
    const result = this.simulation.propose(id, command);
    if (result !== null && result.ok) return { index: result.index, term: result.term, isLeader: true };
    return { index: -1, term: this.simulation.status(id).term, isLeader: false };
  }

  state(i: number): HarnessNodeState {
    const id = this.id(i);
    const status = this.simulation.status(id);
    return {
      term: status.term,
      role: status.role === 'precandidate' ? 'follower' : status.role,
      commitIndex: status.commitIndex,
      lastLogIndex: status.lastLogIndex,
      alive: this.simulation.isAlive(id),
    };
  }

  nCommitted(index: number): { count: number; command: string | null } {
    let count = 0;
    let command: string | null = null;
    this.appliedByNode.forEach((applied, i) => {
      let value: string | null;
      if (applied.has(index)) value = applied.get(index) as string | null;
      else if (index <= (this.snapshotByNode[i] as number)) value = this.committedCommand(index);
      else return;
      if (count > 0 && value !== command) {
        throw new Error(`committed values do not match: index ${index}, ${JSON.stringify(command)}, ${JSON.stringify(value)} (node ${i})`);
      }
      count++;
      command = value;
    });
    return { count, command };
  }

  checkOneLeader(): number {
    for (let attempt = 0; attempt < LEADER_CHECK_ATTEMPTS; attempt++) {
      this.run(450 + this.random.int(0, 100));
      const leadersByTerm = new Map<number, number[]>();
      for (let i = 0; i < this.nodeCount; i++) {
        if (!this.participates(i)) continue;
        const state = this.state(i);
        if (state.role !== 'leader') continue;
        const leaders = leadersByTerm.get(state.term) ?? [];
        leaders.push(i);
        leadersByTerm.set(state.term, leaders);
      }
      let lastTermWithLeader = -1;
      for (const [term, leaders] of leadersByTerm) {
        if (leaders.length > 1) throw new Error(`term ${term} has ${leaders.length} (>1) leaders: ${leaders.join(', ')}`);
        lastTermWithLeader = Math.max(lastTermWithLeader, term);
      }
      if (lastTermWithLeader >= 0) return (leadersByTerm.get(lastTermWithLeader) as number[])[0] as number;
    }
    throw new Error(`expected one leader, got none (seed ${this.simulation.seed}, t=${this.simulation.nowMs} ms)`);
  }

  checkNoLeader(): void {
    for (let i = 0; i < this.nodeCount; i++) {
      if (this.participates(i) && this.state(i).role === 'leader') {
        throw new Error(`expected no leader among connected servers, but ${i} claims to be leader`);
      }
    }
  }

  checkTerms(): number {
    let term = -1;
    for (let i = 0; i < this.nodeCount; i++) {
      if (!this.participates(i)) continue;
      const nodeTerm = this.state(i).term;
      if (term === -1) term = nodeTerm;
      else if (term !== nodeTerm) throw new Error(`servers disagree on term (${term} vs ${nodeTerm} at ${i})`);
    }
    return term;
  }

  one(command: string, expectedServers: number, retry: boolean): number {
    const startMs = this.simulation.nowMs;
    let starts = 0;
    while (this.simulation.nowMs - startMs < ONE_BUDGET_MS) {
      // Try all the servers, maybe one is the leader.
      let index = -1;
      for (let tried = 0; tried < this.nodeCount; tried++) {
        starts = (starts + 1) % this.nodeCount;
        if (!this.participates(starts)) continue;
        const proposal = this.propose(starts, command);
        if (proposal.isLeader) {
          index = proposal.index;
          break;
        }
      }
      if (index !== -1) {
        // Somebody claimed to be the leader and to have submitted our command; wait a while for agreement.
        const submittedMs = this.simulation.nowMs;
        while (this.simulation.nowMs - submittedMs < ONE_AGREEMENT_WAIT_MS) {
          const { count, command: committed } = this.nCommitted(index);
          if (count > 0 && count >= expectedServers && committed === command) return index;
          this.run(ONE_POLL_MS);
        }
        if (!retry) throw new Error(`one(${JSON.stringify(command)}) failed to reach agreement (seed ${this.simulation.seed})`);
      } else {
        this.run(ONE_NO_LEADER_BACKOFF_MS);
      }
    }
    throw new Error(`one(${JSON.stringify(command)}) failed to reach agreement within ${ONE_BUDGET_MS} ms (seed ${this.simulation.seed})`);
  }

  /** The command committed at `index` as the invariant checker observed it (a snapshot covers exactly those). */
  private committedCommand(index: number): string | null {
    const entry = this.simulation.checker?.committedEntry(index);
    if (entry === undefined) throw new Error(`index ${index} is inside a snapshot but was never observed committed`);
    return entry.command;
  }

  rpcCount(): number {
    return this.simulation.stats.requestsSent;
  }

  rpcBytes(): number {
    return this.simulation.stats.bytes;
  }

  /** 6.5840's "connected": reachable and running. */
  private participates(i: number): boolean {
    const id = this.id(i);
    return this.simulation.isAlive(id) && this.simulation.network.isConnected(id);
  }

  private id(i: number): NodeId {
    if (!Number.isInteger(i) || i < 0 || i >= this.nodeCount) throw new Error(`node index ${i} out of range 0..${this.nodeCount - 1}`);
    return i + 1;
  }
}
