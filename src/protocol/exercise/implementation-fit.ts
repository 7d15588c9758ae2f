// Which exercises can run on a student's own Raft (docs/byo-raft.md), decided from the exercise file alone: from its
// goals, the actions of its solutions and its cluster. What the lab knows of such nodes is what it sees from outside
// (messages, client results, process statuses, the workload's verdict) plus, only if the nodes send raft_lab_state,
// their roles and terms. It never knows their Raft events, their logs' commands (their store is theirs), and it cannot
// fire their timers or plant bugs in them.
import { messageTypeSchema } from '../events';
import type { Action, ActionNode, Condition, Exercise } from './schema';

/**
 * `outside`: needs only what any node gives; `state`: also roles and terms, so the nodes must send raft_lab_state;
 * `built-in`: needs the lab's own Raft.
 */
export type ImplementationNeed = 'outside' | 'state' | 'built-in';

export interface ImplementationFit {
  readonly need: ImplementationNeed;
  /**
   * Why it needs more than `outside`, one phrase each: what needs the lab's own Raft first, then raft_lab_state; in
   * the order found otherwise (empty for `outside`).
   */
  readonly reasons: readonly string[];
}

const RANK: Readonly<Record<ImplementationNeed, number>> = { outside: 0, state: 1, 'built-in': 2 };

class Needs {
  need: ImplementationNeed = 'outside';
  readonly reasons: { readonly need: ImplementationNeed; readonly text: string }[] = [];
  /** Raft event kinds the goals count, told as one reason. */
  readonly eventKinds: string[] = [];

  add(need: ImplementationNeed, reason: string): void {
    if (RANK[need] > RANK[this.need]) this.need = need;
    if (!this.reasons.some((known) => known.text === reason)) this.reasons.push({ need, text: reason });
  }

  addEvent(kind: string): void {
    this.add('built-in', EVENTS_REASON);
    if (!this.eventKinds.includes(kind)) this.eventKinds.push(kind);
  }

  fit(): ImplementationFit {
    const ordered = [...this.reasons].sort((a, b) => RANK[b.need] - RANK[a.need]);
    return { need: this.need, reasons: ordered.map(({ text }) => text === EVENTS_REASON
      ? `counts the lab's Raft events (${this.eventKinds.join(', ')})` : text) };
  }
}

const STATE_REASON = 'asks who leads or in which term (roles and terms): your nodes must send raft_lab_state';
const EVENTS_REASON = 'counts the lab\'s Raft events';

/** What running `exercise` on a student's own Raft needs. */
export function implementationFit(exercise: Exercise): ImplementationFit {
  const needs = new Needs();
  const cluster = exercise.cluster;
  if ((cluster.bugs ?? []).length > 0) needs.add('built-in', 'plants bugs in the lab\'s own Raft');
  if (cluster.preVote === true || cluster.checkQuorum === true) {
    needs.add('built-in', 'is about the lab\'s Raft extensions (pre-vote, check-quorum)');
  }
  if (cluster.snapshotEveryEntries !== undefined || cluster.snapshotKeepEntries !== undefined) {
    needs.add('built-in', 'sets the lab\'s Raft\'s log compaction');
  }
  if (cluster.membershipMode === 'joint') needs.add('built-in', 'changes the lab\'s Raft\'s membership by joint consensus');
  if (cluster.startPaused === true) needs.add('built-in', 'starts paused and steps the lab\'s Raft\'s timers');
  for (const step of exercise.steps) {
    conditionNeeds(step.goal, needs);
    for (const action of step.solution) actionNeeds(action, needs);
  }
  return needs.fit();
}

function conditionNeeds(condition: Condition, needs: Needs): void {
  if ('leader' in condition || 'role' in condition) needs.add('state', STATE_REASON);
  else if ('event' in condition) needs.addEvent(condition.event.type);
  else if ('committed' in condition || 'stored' in condition) {
    needs.add('built-in', 'reads the key-value commands in the servers\' logs (your store is your own)');
  } else if ('violation' in condition) needs.add('built-in', 'waits for the safety monitor, which reads the lab\'s Raft logs');
  else if ('message' in condition && condition.message.type !== undefined && messageTypeSchema.safeParse(condition.message.type).success) {
    // Named by the built-in Raft's own message type: a student's nodes name their messages as they like.
    needs.add('built-in', `waits for the lab's Raft's ${condition.message.type} messages (your nodes name theirs as they like)`);
  }
  else if ('all' in condition) for (const part of condition.all) conditionNeeds(part, needs);
  else if ('any' in condition) for (const part of condition.any) conditionNeeds(part, needs);
  else if ('not' in condition) conditionNeeds(condition.not, needs);
  // status, message (of any other type), client, linearizable, answer: seen from outside.
}

function actionNeeds(action: Action, needs: Needs): void {
  if ('timeout' in action) needs.add('built-in', 'times a server out ("time out now" fires the lab\'s Raft\'s timer)');
  if ('freeze' in action || 'run' in action || 'step' in action) {
    needs.add('built-in', 'steps the cluster timer by timer (your nodes\' timers are their own)');
  }
  if ('add-server' in action || 'remove-server' in action || 'promote-server' in action) {
    needs.add('built-in', 'changes the cluster\'s membership (Maelstrom\'s protocol has no membership changes)');
  }
  if ('transfer-leadership' in action) needs.add('built-in', 'transfers leadership (Maelstrom\'s protocol has no TimeoutNow)');
  if ('wait' in action && 'until' in action.wait) conditionNeeds(action.wait.until, needs);
  if ('step' in action && typeof action.step === 'object') conditionNeeds(action.step.until, needs);
  for (const node of namedNodes(action)) {
    if (node === 'leader' || node === 'follower') needs.add('state', STATE_REASON);
  }
}

function namedNodes(action: Action): ActionNode[] {
  if ('crash' in action) return [action.crash];
  if ('restart' in action) return [action.restart];
  if ('pause' in action) return [action.pause];
  if ('resume' in action) return [action.resume];
  if ('isolate' in action) return [action.isolate];
  if ('timeout' in action) return [action.timeout];
  if ('partition' in action) return action.partition.flat();
  if ('link' in action) return [action.link.from, action.link.to];
  if ('put' in action) return action.put.via === undefined ? [] : [action.put.via];
  if ('get' in action) return action.get.via === undefined ? [] : [action.get.via];
  if ('remove-server' in action) return [action['remove-server']];
  if ('promote-server' in action) return [action['promote-server']];
  if ('transfer-leadership' in action) return [action['transfer-leadership']];
  return [];
}

/** The verdict in one line, for the exercise picker and `raft-lab exercise list`. */
export function describeFit(fit: ImplementationFit): string {
  if (fit.need === 'outside') return 'runs on your own Raft: it needs only messages, client results and statuses';
  if (fit.need === 'state') return `runs on your own Raft if it sends raft_lab_state: it ${fit.reasons.join('; it ')}`;
  return `needs the lab's own Raft: it ${fit.reasons.filter((reason) => reason !== STATE_REASON).join('; it ')}`;
}
