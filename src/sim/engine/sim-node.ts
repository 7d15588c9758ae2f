// One simulated server: the core currently running (null while crashed) inside the Ready pipeline that real nodes
// run (src/runtime), its disk, its state machine's side of the pipeline, and the bookkeeping the simulator needs to
// drive it (incarnation, timer, last clock value given to the core, the sync in flight).

import type { Entry, NodeId, RaftNode, RaftStatus, Role } from '../../raft/types';
import { bootstrapConfiguration } from '../../raft/membership';
import type { ReadyPipeline } from '../../runtime/ready-pipeline';
import { SimDisk } from './disk';
import type { SimStateMachine } from './sim-state-machine';

export class SimNode {
  core: RaftNode | null = null;
  /** The pipeline around `core` (null while crashed). */
  pipeline: ReadyPipeline | null = null;
  /** The current incarnation's state machine (a restart starts a fresh one). */
  stateMachine: SimStateMachine | null = null;
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
  /** Log writes drained in the current input (reused buffer). */
  readonly logWrites: (readonly Entry[])[] = [];
  /** Bumped whenever the pending timer event is replaced: stale timer events are skipped. */
  timerGeneration = 0;
  scheduledDeadlineMs: number | null = null;
  lastTickMs = -1;
  /** Consecutive ticks at one instant, to catch a core whose deadline never moves forward. */
  ticksAtSameInstant = 0;
  /** A lazy flush of writes that need no sync (planted bug ack-before-persist) is scheduled. */
  flushScheduled = false;
  /** A sync is in flight (it completes at a 'flush' event); writes issued meanwhile wait for the next one. */
  syncInFlight = false;
  /** A write that needs a sync was issued while one was in flight. */
  syncWanted = false;
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
