// Leadership transfer on the real cluster (dissertation §3.10): the lab asks the leader's node process to hand over to
// a chosen voter; the leader's core stops accepting client requests, brings the target up to date and sends it
// TimeoutNow, and the target campaigns at once. The lab refuses what it can tell in advance (no leader, an unknown
// target, one that is not a voter, one that already leads) before it changes anything; then it watches the event
// stream until the target leads, the leader abandons the transfer (an election timeout passed), or someone else wins.
import type { LabEvent } from '../protocol/events';
import type { ClusterSettings } from '../protocol/lab-api';
import type { NodeId } from '../raft/types';
import { monotonicNowNs } from '../shared/monotonic-clock';
import { answeringLeader, describeConfiguration } from './cluster-membership';
import type { EventHub } from './event-hub';
import type { NodeSupervisor } from './node-supervisor';

/** How long the leader's node process has to answer the request (it answers at once unless it is stopped). */
const ANSWER_DEADLINE_MS = 5000;
/** Real time beyond the transfer's own bound (an election timeout, then the target's election) for a loaded machine. */
const OUTCOME_SLACK_MS = 5000;

export interface ClusterTransferOptions {
  readonly supervisor: NodeSupervisor;
  readonly events: EventHub;
  readonly settings: () => ClusterSettings;
  /** The lab clock is paused: nothing happens until the student steps, so the lab does not wait for the outcome. */
  readonly frozen: () => boolean;
}

type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: string };

export class ClusterTransfer {
  /** The target of the transfer the lab is watching (one at a time, as the core allows). */
  private underWay: NodeId | null = null;

  constructor(private readonly o: ClusterTransferOptions) {}

  /**
   * Asks the leader to hand leadership to `to`. Resolves once `to` leads (on a paused cluster: once the leader has
   * begun; the steps play it out); rejects with the reason otherwise.
   */
  async transferLeadership(to: NodeId): Promise<void> {
    const supervisor = this.o.supervisor;
    const target = supervisor.slot(to);
    if (!target) throw new Error(`cannot transfer leadership: there is no server S${to} in this cluster`);
    if (this.underWay !== null) throw new Error(`cannot transfer leadership to S${to}: a transfer to S${this.underWay} is under way`);
    const leader = answeringLeader(supervisor);
    if (leader === null) throw new Error('cannot transfer leadership: there is no leader to hand it over; wait for an election');
    const from = leader.view.id;
    const startTerm = leader.view.term;
    if (from === to) throw new Error(`S${to} already leads (term ${startTerm})`);
    const config = leader.view.config ?? null;
    if (config !== null && !config.voters.includes(to)) {
      throw new Error(config.learners.includes(to)
        ? `cannot transfer leadership to S${to}: it is a learner, not a voter, and only voters can lead (dissertation §4.2.1)`
        : `cannot transfer leadership to S${to}: it is not a voter in the leader's configuration (${describeConfiguration(config)})`);
    }
    this.underWay = to;
    let abandoned: string | null = null;
    const stopListening = this.o.events.subscribe((events) => {
      for (const event of events) abandoned ??= abandonReason(event, from, to);
    });
    try {
      const answer = await supervisor.transferLeadership(from, to, ANSWER_DEADLINE_MS);
      if (!answer.ok) throw new Error(`S${from} refused to hand leadership to S${to}: ${answer.error ?? 'no reason given'}`);
      this.o.events.publish({ type: 'fault', atNs: monotonicNowNs(), action: 'transfer-leadership', nodes: [from, to],
        description: `S${from} hands leadership to S${to} (dissertation §3.10): it accepts no client requests meanwhile, brings ` +
          `S${to}'s log up to date and sends it TimeoutNow, so S${to} starts an election at once; abandoned unless done within an election timeout` });
      if (this.o.frozen()) return;
      const settings = this.o.settings();
      const deadlineMs = 2 * settings.electionTimeoutMs[1] * settings.timeScale + OUTCOME_SLACK_MS;
      const outcome = await this.outcome(from, to, startTerm, deadlineMs, () => abandoned);
      if (!outcome.ok) throw new Error(outcome.error);
    } finally {
      stopListening();
      this.underWay = null;
    }
  }

  /** Waits, on every event batch, for the transfer to end one way or another. */
  private outcome(from: NodeId, to: NodeId, startTerm: number, deadlineMs: number, abandoned: () => string | null): Promise<Outcome> {
    const supervisor = this.o.supervisor;
    const decide = (): Outcome | null => {
      const target = supervisor.slot(to);
      if (target?.view.role === 'leader' && target.view.term > startTerm) return { ok: true };
      const reason = abandoned();
      if (reason !== null) return { ok: false, error: `the transfer from S${from} to S${to} was abandoned: ${reason}` };
      if (!target) return { ok: false, error: `S${to} left the cluster during the transfer` };
      const other = answeringLeader(supervisor);
      if (other !== null && other.view.id !== to && other.view.term > startTerm) {
        return { ok: false, error: `S${other.view.id} won the election of term ${other.view.term}, not S${to}` };
      }
      if (this.o.frozen()) return { ok: true }; // paused meanwhile: the student's steps play the rest out
      return null;
    };
    return new Promise((resolve) => {
      let stop = (): void => undefined;
      const finish = (outcome: Outcome): void => {
        clearTimeout(timer);
        stop();
        resolve(outcome);
      };
      const timer = setTimeout(() => finish(decide() ?? { ok: false,
        error: `S${to} did not take over from S${from} within ${Math.round(deadlineMs)} ms (the transfer should end within an election timeout)` }), deadlineMs);
      stop = this.o.events.subscribe(() => {
        const outcome = decide();
        if (outcome !== null) finish(outcome);
      });
      const now = decide();
      if (now !== null) finish(now);
    });
  }
}

/** The core's reason when `from` abandoned (or gave up for another target) its transfer to `to`; null otherwise. */
function abandonReason(event: LabEvent, from: NodeId, to: NodeId): string | null {
  if (event.type !== 'raft' || event.node !== from || event.event.kind !== 'leadership-transfer') return null;
  const { phase, target } = event.event.data;
  return phase === 'aborted' && target === to ? event.event.reason : null;
}
