// Fault profiles: how often each kind of fault happens in a fuzz run, which reactive faults fire, and the cluster
// settings a profile needs. A planted-bug test picks the profile that gives its bug the chance to bite.

import { DEFAULT_NETWORK_OPTIONS, type NetworkOptions } from '../engine/network';

export type FaultKind =
  | 'crash'
  | 'restart'
  | 'crash-leader'
  | 'quick-reboot'
  | 'partition'
  | 'isolate-leader'
  | 'bridge'
  | 'asymmetric'
  | 'heal'
  | 'network-weather'
  | 'add-server'
  | 'remove-server'
  | 'transfer-leader';

export interface FaultProfile {
  /** A fault happens every uniform [min, max) ms. */
  readonly intervalMs: readonly [number, number];
  /** Relative weights of the fault kinds (absent = 0). */
  readonly weights: Readonly<Partial<Record<FaultKind, number>>>;
  /** A quick reboot keeps a node down this long (ms). */
  readonly rebootDowntimeMs: readonly [number, number];
  /** Most nodes allowed down at once (default: a minority, so the cluster can still make progress). */
  readonly maxCrashed?: number;
  /**
   * Faults that react to what the cluster does, the moment it does it (the adversarial timings that random
   * faults rarely hit): reboot a server right after it grants a vote, cut a leader off as it wins or commits.
   */
  readonly reactions?: {
    readonly rebootVoter?: Reaction;
    /**
     * Cut a new leader off (alone, or with followers that still leave it a minority) at the very moment it wins,
     * before its first AppendEntries leave: its no-op reaches only a minority. Heals after `durationMs`.
     */
    readonly isolateNewLeader?: IsolateNewLeader;
    /** Cut a leader off (as above) right after it advances its commitIndex. */
    readonly isolateCommittingLeader?: IsolateNewLeader;
    /**
     * A new leader is asked for a membership change right after it wins (before its no-op can commit): the moment
     * the 2015 single-server bug needs. Needs `membership`.
     */
    readonly changeOnElection?: {
      readonly probability: number;
      /** Only changes of the voters (promote a learner, remove a voter other than the leader), never a learner's add. */
      readonly votersOnly?: boolean;
    };
  };
  /**
   * Membership churn (dissertation ch. 4): 'add-server' starts a new server (or brings back one outside the
   * configuration) and asks the leader to add it; 'remove-server' asks the leader to remove a member, itself too.
   */
  readonly membership?: {
    /** Most servers ever started (bootstrap ones included). */
    readonly maxServers: number;
    /** Fewest voters a removal may leave. */
    readonly minVoters: number;
    /** Chance that a removal picks the leader itself (it steps down once the change commits, §4.2.2). */
    readonly removeLeaderChance: number;
  };
  /** Cluster settings this profile needs (they override the run's defaults). */
  readonly cluster?: {
    readonly electionTimeoutMs?: readonly [number, number];
    readonly maxEntriesPerMessage?: number;
    readonly deliverAcrossRestart?: boolean;
    /** How long a sync (fdatasync) takes, ms (Simulation's fsyncDelayMs). */
    readonly fsyncDelayMs?: readonly [number, number];
  };
  /** Upper bounds for the random network weather. */
  readonly weather: {
    readonly maxLoss: number;
    readonly maxDuplicate: number;
    readonly maxReorderProbability: number;
    readonly maxReorderMs: number;
    readonly maxLatencyMs: number;
    /** Chance that weather turns on 6.5840's unreliable / long-reordering modes. */
    readonly labrpcChance: number;
  };
}

export interface Reaction {
  readonly probability: number;
  /** Delay between the trigger and the crash (ms). */
  readonly delayMs: readonly [number, number];
  /** How long the server stays down (ms); it then restarts from its disk. */
  readonly downtimeMs: readonly [number, number];
}

export interface IsolateNewLeader {
  readonly probability: number;
  readonly durationMs: readonly [number, number];
}

export const FAULT_PROFILES = {
  /** Everything, moderately: the default fuzz. */
  mixed: {
    intervalMs: [100, 1200],
    weights: {
      'crash': 2, 'restart': 3, 'crash-leader': 2, 'quick-reboot': 2, 'partition': 2, 'isolate-leader': 2,
      'bridge': 1, 'asymmetric': 2, 'heal': 3, 'network-weather': 3, 'add-server': 1, 'remove-server': 1,
    },
    membership: { maxServers: 8, minVoters: 3, removeLeaderChance: 0.25 },
    rebootDowntimeMs: [0, 300],
    weather: { maxLoss: 0.3, maxDuplicate: 0.2, maxReorderProbability: 0.4, maxReorderMs: 150, maxLatencyMs: 20, labrpcChance: 0.2 },
  },
  /** Leaders die soon after they take new entries (6.5840's Figure 8 test): exposes commits of old-term entries. */
  figure8: {
    intervalMs: [20, 400],
    weights: { 'crash-leader': 6, 'restart': 5, 'quick-reboot': 1, 'isolate-leader': 2, 'heal': 2 },
    rebootDowntimeMs: [0, 100],
    weather: { maxLoss: 0, maxDuplicate: 0, maxReorderProbability: 0, maxReorderMs: 0, maxLatencyMs: 5, labrpcChance: 0 },
  },
  /** Frequent short reboots and elections: exposes lost votes and lost acknowledgements. */
  reboots: {
    intervalMs: [30, 300],
    weights: { 'quick-reboot': 6, 'crash-leader': 2, 'restart': 3, 'isolate-leader': 1, 'heal': 1, 'partition': 1 },
    rebootDowntimeMs: [0, 60],
    weather: { maxLoss: 0.1, maxDuplicate: 0.1, maxReorderProbability: 0.2, maxReorderMs: 60, maxLatencyMs: 15, labrpcChance: 0 },
  },
  /** Partitions of every shape, no crashes. */
  partitions: {
    intervalMs: [150, 1500],
    weights: { 'partition': 3, 'isolate-leader': 3, 'bridge': 2, 'asymmetric': 3, 'heal': 3, 'network-weather': 1 },
    rebootDowntimeMs: [0, 0],
    weather: { maxLoss: 0.1, maxDuplicate: 0.1, maxReorderProbability: 0.2, maxReorderMs: 100, maxLatencyMs: 15, labrpcChance: 0.1 },
  },
  /**
   * The Figure 8 story through partitions: leaders are cut off while clients still hand them commands, so
   * logs diverge across terms; AppendEntries carry one entry each, so a new leader re-replicates older terms'
   * entries one at a time, and any cut-off can come while it does.
   */
  'figure8-partitions': {
    intervalMs: [10, 120],
    weights: { 'isolate-leader': 4, 'heal': 1, 'crash-leader': 1, 'restart': 2 },
    rebootDowntimeMs: [0, 50],
    reactions: {
      isolateNewLeader: { probability: 0.5, durationMs: [30, 400] },
      isolateCommittingLeader: { probability: 0.25, durationMs: [30, 400] },
    },
    cluster: { maxEntriesPerMessage: 1 },
    weather: { maxLoss: 0, maxDuplicate: 0, maxReorderProbability: 0, maxReorderMs: 0, maxLatencyMs: 5, labrpcChance: 0 },
  },
  /** Split votes (a narrow timeout range) and voters rebooting right after they vote. */
  'vote-reboots': {
    intervalMs: [100, 600],
    weights: { 'crash-leader': 2, 'restart': 3, 'partition': 1, 'heal': 1, 'network-weather': 1 },
    rebootDowntimeMs: [0, 20],
    reactions: { rebootVoter: { probability: 0.5, delayMs: [0, 3], downtimeMs: [0, 15] } },
    cluster: { electionTimeoutMs: [150, 165], deliverAcrossRestart: true },
    weather: { maxLoss: 0.05, maxDuplicate: 0.05, maxReorderProbability: 0.5, maxReorderMs: 40, maxLatencyMs: 10, labrpcChance: 0 },
  },
  /** Membership churn under crashes, partitions and an unreliable network (dissertation ch. 4). */
  membership: {
    intervalMs: [60, 600],
    weights: {
      'add-server': 4, 'remove-server': 4, 'crash': 1, 'restart': 2, 'crash-leader': 1, 'quick-reboot': 1,
      'partition': 1, 'isolate-leader': 2, 'heal': 2, 'network-weather': 2,
    },
    membership: { maxServers: 12, minVoters: 2, removeLeaderChance: 0.3 },
    rebootDowntimeMs: [0, 200],
    weather: { maxLoss: 0.2, maxDuplicate: 0.1, maxReorderProbability: 0.3, maxReorderMs: 100, maxLatencyMs: 15, labrpcChance: 0.2 },
  },
  /**
   * Membership changes at the worst moments: each new leader is asked for a change as it wins, and is often cut
   * off with a minority at once, so configuration entries of several terms compete (the 2015 bug's story).
   */
  'membership-elections': {
    intervalMs: [20, 300],
    weights: { 'crash-leader': 2, 'restart': 3, 'isolate-leader': 3, 'heal': 2, 'quick-reboot': 1, 'add-server': 1, 'remove-server': 1 },
    membership: { maxServers: 8, minVoters: 2, removeLeaderChance: 0.2 },
    rebootDowntimeMs: [0, 100],
    reactions: {
      isolateNewLeader: { probability: 0.5, durationMs: [30, 400] },
      changeOnElection: { probability: 0.9 },
    },
    weather: { maxLoss: 0, maxDuplicate: 0, maxReorderProbability: 0, maxReorderMs: 0, maxLatencyMs: 5, labrpcChance: 0 },
  },
  /**
   * The 2015 bug's own story, on four voters: every new leader at once changes the voters (removes another voter or
   * promotes a learner), and is often cut off alone at that moment, so two leaders' uncommitted changes of one server
   * each (C_old - {S4} and C_old - {S1}) have disjoint majorities ({S1, S2} and {S3, S4}).
   */
  'membership-2015': {
    intervalMs: [20, 300],
    weights: { 'crash-leader': 1, 'restart': 3, 'isolate-leader': 3, 'heal': 3, 'add-server': 2 },
    membership: { maxServers: 10, minVoters: 2, removeLeaderChance: 0 },
    rebootDowntimeMs: [0, 100],
    reactions: {
      isolateNewLeader: { probability: 0.8, durationMs: [100, 600] },
      changeOnElection: { probability: 1, votersOnly: true },
    },
    weather: { maxLoss: 0, maxDuplicate: 0, maxReorderProbability: 0, maxReorderMs: 0, maxLatencyMs: 5, labrpcChance: 0 },
  },
  /**
   * Leadership transfers (dissertation §3.10) among crashes, partitions, an unreliable network and membership churn:
   * the leader is asked to hand over to any voter, up to date, lagging, crashed or cut off.
   */
  transfers: {
    intervalMs: [40, 400],
    weights: {
      'transfer-leader': 6, 'crash': 1, 'restart': 2, 'crash-leader': 1, 'quick-reboot': 1, 'partition': 1, 'isolate-leader': 1,
      'heal': 2, 'network-weather': 2, 'add-server': 1, 'remove-server': 1,
    },
    membership: { maxServers: 8, minVoters: 3, removeLeaderChance: 0.1 },
    rebootDowntimeMs: [0, 200],
    weather: { maxLoss: 0.1, maxDuplicate: 0.05, maxReorderProbability: 0.2, maxReorderMs: 50, maxLatencyMs: 10, labrpcChance: 0.2 },
  },
  /**
   * Disks slower than the network (a leader's own sync outlasts a round trip to a follower and its sync), with leader
   * crashes and reboots: exposes a runtime that acts on a leader's count before its own copy is durable.
   */
  'slow-disks': {
    intervalMs: [100, 800],
    weights: { 'crash-leader': 3, 'quick-reboot': 3, 'restart': 3, 'isolate-leader': 1, 'heal': 1 },
    rebootDowntimeMs: [0, 100],
    cluster: { fsyncDelayMs: [2, 30] },
    weather: { maxLoss: 0.05, maxDuplicate: 0.05, maxReorderProbability: 0.1, maxReorderMs: 20, maxLatencyMs: 5, labrpcChance: 0 },
  },
  /** Heavy duplication and reordering on an otherwise stable cluster, one node often cut off. */
  reordering: {
    intervalMs: [200, 1500],
    weights: { 'network-weather': 4, 'isolate-leader': 1, 'partition': 2, 'heal': 2, 'quick-reboot': 1 },
    rebootDowntimeMs: [0, 50],
    weather: { maxLoss: 0.05, maxDuplicate: 0.5, maxReorderProbability: 0.8, maxReorderMs: 300, maxLatencyMs: 30, labrpcChance: 0 },
  },
} as const satisfies Record<string, FaultProfile>;

export type FaultProfileName = keyof typeof FAULT_PROFILES;

// The default network without its in-flight bound: configuring it heals every fault and keeps the bound as set.
const { maxInFlight: _keptAsConfigured, ...defaultBehaviour } = DEFAULT_NETWORK_OPTIONS;
export const QUIET_NETWORK: Partial<NetworkOptions> = defaultBehaviour;
