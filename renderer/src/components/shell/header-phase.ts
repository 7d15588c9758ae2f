// What the header says the cluster is doing. It describes what the views show: during a replay the recorded moment
// (marked as a replay, since no process runs), without a connection that there is no lab to show, else the live lab.
import type { ClusterPhase } from '../../../../src/protocol/lab-api';
import type { LabView } from '../../model/lab-view';

export type HeaderPhaseKey = ClusterPhase | 'paused' | 'offline';

export interface HeaderPhase {
  /** Class and colour. */
  readonly key: HeaderPhaseKey;
  readonly text: string;
  /** Leader and term, when a leader is shown. */
  readonly leaderText: string | null;
}

export interface HeaderPhaseInput {
  readonly linkRefused: boolean;
  readonly isReplay: boolean;
  /** The live lab (what Start and Stop act on). */
  readonly live: LabView;
  /** The moment on screen (the replayed one during a replay). */
  readonly shown: LabView;
}

function leaderOf(view: LabView): string {
  const leader = view.leaderId === null ? undefined : view.nodes[view.leaderId];
  return leader ? `leader S${leader.id} · term ${leader.term}` : 'no leader';
}

export function headerPhase(input: HeaderPhaseInput): HeaderPhase {
  if (input.isReplay) {
    const phase = input.shown.phase;
    return { key: phase, text: `replay · ${phase}`, leaderText: phase === 'running' ? leaderOf(input.shown) : null };
  }
  if (input.linkRefused) return { key: 'offline', text: 'not connected', leaderText: null };
  const phase = input.live.phase;
  // A running cluster whose lab clock is stopped says so: "paused" (the processes run; their clocks do not).
  const key: HeaderPhaseKey = phase === 'running' && input.live.clock?.segment.frozen === true ? 'paused' : phase;
  return { key, text: key, leaderText: phase === 'running' ? leaderOf(input.live) : null };
}
