// One simulated server: the core currently running (null while crashed), its disk, and the bookkeeping the
// simulator needs to drive it (incarnation, timer, last clock value given to the core).

import type { Entry, NodeId, RaftNode, RaftStatus, Role } from '../../raft/types';
import { bootstrapConfiguration } from '../../raft/membership';
import { EMPTY_PREFIX_HASH } from '../../check/invariants/log-hash';
import { SimDisk } from './disk';

export class SimNode {
  core: RaftNode | null = null;
  readonly disk = new SimDisk();
  /** Bumped at every crash and restart: messages addressed to an older incarnation are dropped. */
  incarnation = 0;
  /** Incarnation the invariant checker last saw in full (a new core is shown to it whole once). */
  observedIncarnation = -1;
  /** Durable version of the disk the invariant checker last saw. */
  observedDurableVersion = -1;
  /** What the invariant checker is shown after each input (one object reused: this is the hot path). */
  readonly snapshot: {
    id: NodeId; role: Role; term: number; commitIndex: number; lastLogIndex: number; snapshotIndex: number; snapshotTerm: number;
    log: readonly Entry[] | null; writes: readonly (readonly Entry[])[];
  };
  /** A snapshot was installed during the current input: the checker is shown the whole log again. */
  installedSnapshot = false;
  // The runtime's side of log compaction (§7).
  /** Highest index handed to the state machine (in committedEntries or a restored snapshot). */
  appliedIndex = 0;
  /** Prefix hash (check/invariants/log-hash) of the entries the state machine applied: travels in snapshots. */
  appliedDigest = EMPTY_PREFIX_HASH;
  /** Index of the core's snapshot as far as the runtime knows. */
  compactedIndex = 0;
  /** State captured at an applied index, waiting until enough entries follow it to compact there (kept tail). */
  pendingSnapshot: { readonly index: number; readonly data: string; readonly takenAtStep: number } | null = null;
  /** Log writes drained in the current input (reused buffer). */
  readonly logWrites: (readonly Entry[])[] = [];
  /** Bumped whenever the pending timer event is replaced: stale timer events are skipped. */
  timerGeneration = 0;
  scheduledDeadlineMs: number | null = null;
  lastTickMs = -1;
  /** Consecutive ticks at one instant, to catch a core whose deadline never moves forward. */
  ticksAtSameInstant = 0;
  flushScheduled = false;
  /** Status after the last input, kept while crashed (what a student last saw of it). */
  lastStatus: RaftStatus;

  /**
   * The bootstrap configuration's voters this server starts with (RaftConfig.members), at every restart too: the
   * cluster's first servers, or none for a server added later (it learns its configuration from the leader's log).
   */
  readonly bootstrapMembers: readonly NodeId[];

  constructor(readonly id: NodeId, bootstrapMembers: readonly NodeId[]) {
    this.bootstrapMembers = [...bootstrapMembers];
    const config = bootstrapConfiguration(bootstrapMembers);
    this.snapshot = { id, role: 'follower', term: 0, commitIndex: 0, lastLogIndex: 0, snapshotIndex: 0, snapshotTerm: 0, log: null, writes: [] };
    this.lastStatus = {
      id,
      role: 'follower',
      term: 0,
      votedFor: null,
      leaderId: null,
      commitIndex: 0,
      lastApplied: 0,
      lastLogIndex: 0,
      lastLogTerm: 0,
      snapshotIndex: 0,
      snapshotTerm: 0,
      electionDeadlineMs: null,
      progress: null,
      config,
      committedConfig: config,
      transferringTo: null,
    };
  }

  get alive(): boolean {
    return this.core !== null;
  }

  requireCore(): RaftNode {
    if (this.core === null) throw new Error(`S${this.id} is crashed`);
    return this.core;
  }
}
