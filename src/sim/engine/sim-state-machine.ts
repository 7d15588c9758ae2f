// A simulated node's side of the state machine, as the Ready pipeline sees it (StateMachinePort): it tells the
// invariant checker and the simulation's listeners (the test's own state machine, the KV replicas) what the
// pipeline applies, and keeps the digest (prefix hash) of the applied log, which travels in every snapshot so the
// checker can compare a restored state machine with the committed log whatever the listeners' state machine is.

import { EMPTY_PREFIX_HASH, extendPrefixHash } from '../../check/invariants/log-hash';
import type { InvariantChecker } from '../../check/invariants';
import type { Entry, NodeId, ReadFailure, ReadState, Snapshot } from '../../raft/types';
import type { StateMachinePort } from '../../runtime/ports';
import { decodeSnapshotData, encodeSnapshotData } from './snapshot-data';

/** The state machine's encoding of its state after `index` (the simulator adds the digest around it). */
export type SnapshotSource = (node: NodeId, index: number) => string;

/** Who hears of applied entries, restored snapshots and reads (SimulationListener's subset). */
export interface StateMachineListener {
  onApply?(node: NodeId, entries: readonly Entry[]): void;
  onReadState?(node: NodeId, readState: ReadState): void;
  onReadFailure?(node: NodeId, failure: ReadFailure): void;
  onSnapshot?(node: NodeId, index: number, stateMachineData: string): void;
}

export interface SimStateMachineContext {
  readonly checker: InvariantChecker | null;
  readonly listeners: readonly StateMachineListener[];
  /** Digests cost a hash per applied entry: only when the log is compacted. */
  readonly withDigest: boolean;
  nowMs(): number;
  snapshotSource(): SnapshotSource;
}

export class SimStateMachine implements StateMachinePort {
  appliedIndex = 0;
  /** Prefix hash (check/invariants/log-hash) of the entries applied: travels in snapshots. */
  private appliedDigest = EMPTY_PREFIX_HASH;

  constructor(private readonly node: NodeId, private readonly context: SimStateMachineContext) {}

  /** The state machine is replaced by a snapshot's (installed, or recovered at a restart). */
  restoreSnapshot(snapshot: Snapshot): void {
    const { digest, stateMachineData } = decodeSnapshotData(snapshot.data);
    this.appliedIndex = snapshot.lastIncludedIndex;
    this.appliedDigest = digest;
    const context = this.context;
    context.checker?.observeSnapshotApplied(this.node, snapshot.lastIncludedIndex, snapshot.lastIncludedTerm, digest, context.nowMs());
    for (const listener of context.listeners) listener.onSnapshot?.(this.node, snapshot.lastIncludedIndex, stateMachineData);
  }

  apply(entries: readonly Entry[]): void {
    const context = this.context;
    context.checker?.observeApplied(this.node, entries, context.nowMs());
    if (context.withDigest) {
      let digest = this.appliedDigest;
      for (let i = 0; i < entries.length; i++) digest = extendPrefixHash(digest, entries[i] as Entry);
      this.appliedDigest = digest;
    }
    this.appliedIndex = (entries[entries.length - 1] as Entry).index;
    // Indexed loops: this is the simulator's hottest path.
    const listeners = context.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]?.onApply?.(this.node, entries);
  }

  reads(readStates: readonly ReadState[], readFailures: readonly ReadFailure[]): void {
    const { checker, listeners } = this.context;
    for (let r = 0; r < readStates.length; r++) {
      const readState = readStates[r] as ReadState;
      checker?.readServed(this.node, readState.requestId, readState.index, this.context.nowMs());
      for (let i = 0; i < listeners.length; i++) listeners[i]?.onReadState?.(this.node, readState);
    }
    for (let r = 0; r < readFailures.length; r++) {
      const failure = readFailures[r] as ReadFailure;
      checker?.readFailed(failure.requestId);
      for (let i = 0; i < listeners.length; i++) listeners[i]?.onReadFailure?.(this.node, failure);
    }
  }

  takeSnapshot(): string {
    return encodeSnapshotData(this.appliedDigest, this.context.snapshotSource()(this.node, this.appliedIndex));
  }
}
