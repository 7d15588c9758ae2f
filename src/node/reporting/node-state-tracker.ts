// Tells when a node's visible Raft state changed, so the lab gets one node-state event per change, not per step.
// The commit index shown is capped at the node's durable log: a leader's core counts its own entries before they are
// on disk (see raft-runtime.ts), and the lab must never show as committed an entry that a crash of the leader could
// still take back. lastApplied is the state machine's own: what it really applied.
import type { NodeStateView } from '../../protocol/events';
import type { RaftNode } from '../../raft/types';
import type { LabClock } from '../runtime/lab-clock';
import { configurationView } from './log-entry-view';

export class NodeStateTracker {
  private last = '';

  /**
   * `appliedIndex`: what the state machine has applied, shown as lastApplied. It never runs ahead of the durable log
   * in a correct node; with the planted bug apply-before-durable it does, and the card must show it.
   */
  constructor(private readonly core: RaftNode, private readonly clock: LabClock, private readonly durableIndex: () => number,
    private readonly appliedIndex: () => number) {}

  current(): NodeStateView {
    const status = this.core.status();
    const durableIndex = this.durableIndex();
    // Frozen, the deadline has no machine time yet; the UI then reads the lab-time deadline (and holds the arc still).
    const deadlineNs = status.electionDeadlineMs === null ? null : this.clock.machineTimeOfNs(status.electionDeadlineMs);
    const progress = status.progress
      ? Object.fromEntries(Object.entries(status.progress).map(([id, p]) => [id, { nextIndex: p.nextIndex, matchIndex: p.matchIndex, state: p.state, inflight: p.inflight }]))
      : null;
    return {
      role: status.role,
      term: status.term,
      votedFor: status.votedFor,
      leaderId: status.leaderId,
      commitIndex: Math.min(status.commitIndex, durableIndex),
      lastApplied: this.appliedIndex(),
      lastLogIndex: status.lastLogIndex,
      lastLogTerm: status.lastLogTerm,
      snapshotIndex: status.snapshotIndex,
      snapshotTerm: status.snapshotTerm,
      electionDeadlineNs: deadlineNs === null ? null : Math.round(deadlineNs),
      electionDeadlineLabMs: status.electionDeadlineMs,
      progress,
      config: configurationView(status.config),
      committedConfig: configurationView(status.committedConfig),
    };
  }

  /** The state if it differs from the last one returned, else null. */
  changed(): NodeStateView | null {
    const state = this.current();
    const key = JSON.stringify(state);
    if (key === this.last) return null;
    this.last = key;
    return state;
  }
}
