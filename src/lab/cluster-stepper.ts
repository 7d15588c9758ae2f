// The lab's half of freezing and stepping: it asks the frozen nodes what each would do next, picks the earliest
// thing in lab time, has that node do it, and waits until the step has played out (its effects durable, its
// messages sent and landed in their receivers' inboxes) so that the next step sees them. Requests and answers are
// matched by number; every wait has a deadline, so a node that dies or is SIGSTOPped mid-step cannot hang the lab.
import type { NodeToLabFrame, StepAction } from '../protocol/control';
import type { NodeId } from '../raft/types';

const QUERY_DEADLINE_MS = 3000;
const STEP_DEADLINE_MS = 10_000;
/** A step's messages reach their receivers' inboxes in well under this (loopback); an injected link delay may not. */
const LANDING_DEADLINE_MS = 3000;
/** Ids of messages seen landing (held, received or dropped at the receiver): enough for many steps' worth. */
const MAX_LANDED_IDS = 20_000;

type PendingFrame = Extract<NodeToLabFrame, { type: 'pending' }>;
type StepDoneFrame = Extract<NodeToLabFrame, { type: 'step-done' }>;

export interface NodePending {
  readonly node: NodeId;
  readonly nextTimerMs: number | null;
  readonly nextHeld: { readonly id: string; readonly deliverAtMs: number } | null;
}

/** The next thing the cluster would do: a timer or a delivery at a lab time. */
export interface NextAction {
  readonly kind: 'timer' | 'deliver';
  readonly node: NodeId;
  readonly atMs: number;
  readonly messageId: string | null;
}

export interface StepperHost {
  send(node: NodeId, frame: { type: 'query'; queryId: number } | { type: 'step'; stepId: number; action: StepAction; messageId?: string }): void;
  /** Nodes that can answer now: configured, running (not SIGSTOPped, not crashed). */
  answeringNodes(): NodeId[];
  isAnswering(node: NodeId): boolean;
  /** Wake up when anything changed (a frame arrived, a node died); resolves with a deadline like the controller's. */
  waitUntil(condition: () => boolean, deadlineMs: number, what: string): Promise<void>;
}

export class ClusterStepper {
  private nextRequestId = 1;
  private readonly answers = new Map<number, Map<NodeId, NodePending>>();
  private readonly stepsDone = new Map<number, StepDoneFrame>();
  private readonly landed = new Set<string>();

  constructor(private readonly host: StepperHost) {}

  onPending(frame: PendingFrame): void {
    this.answers.get(frame.queryId)?.set(frame.node, { node: frame.node, nextTimerMs: frame.nextTimerMs, nextHeld: frame.nextHeld });
  }

  onStepDone(frame: StepDoneFrame): void {
    this.stepsDone.set(frame.stepId, frame);
  }

  /** A message reached its receiver: held in its inbox, handed to its core, or dropped there. */
  onLanded(id: string): void {
    if (this.landed.size >= MAX_LANDED_IDS) this.landed.clear(); // only the current step's ids matter
    this.landed.add(id);
  }

  /**
   * Asks every answering node what it would do next. A node answers once everything it started has played out,
   * so this is also how a freeze waits for the cluster to be still.
   */
  async query(): Promise<NodePending[]> {
    const queryId = this.nextRequestId++;
    const expected = this.host.answeringNodes();
    const received = new Map<NodeId, NodePending>();
    this.answers.set(queryId, received);
    try {
      for (const node of expected) this.host.send(node, { type: 'query', queryId });
      await this.host.waitUntil(() => expected.every((node) => received.has(node) || !this.host.isAnswering(node)),
        QUERY_DEADLINE_MS, 'every node to say what it would do next');
      return [...received.values()];
    } finally {
      this.answers.delete(queryId);
    }
  }

  /** Has `node` do one thing; resolves once it is done and the messages it sent have landed. */
  async runStep(node: NodeId, action: StepAction, messageId?: string): Promise<StepDoneFrame> {
    const stepId = this.nextRequestId++;
    this.host.send(node, messageId === undefined ? { type: 'step', stepId, action } : { type: 'step', stepId, action, messageId });
    try {
      await this.host.waitUntil(() => this.stepsDone.has(stepId) || !this.host.isAnswering(node), STEP_DEADLINE_MS,
        `S${node} to finish a step`);
      const done = this.stepsDone.get(stepId);
      if (!done) throw new Error(`S${node} stopped answering during the step`);
      const landedOrGone = (): boolean => done.sent.every((sent) => this.landed.has(sent.id) || !this.host.isAnswering(sent.to));
      // A message on a link with an injected delay may take longer: then the next step simply finds it later.
      await this.host.waitUntil(landedOrGone, LANDING_DEADLINE_MS, 'the step\'s messages to reach their receivers').catch(() => undefined);
      return done;
    } finally {
      this.stepsDone.delete(stepId);
    }
  }

  /** The earliest thing in lab time; ties: deliveries before timers, then the lower node id (a total order). */
  static pickNext(pending: readonly NodePending[], nowMs: number): NextAction | null {
    let best: NextAction | null = null;
    const consider = (candidate: NextAction): void => {
      if (best === null || compareActions(candidate, best) < 0) best = candidate;
    };
    for (const answer of pending) {
      if (answer.nextHeld) {
        consider({ kind: 'deliver', node: answer.node, atMs: Math.max(nowMs, answer.nextHeld.deliverAtMs), messageId: answer.nextHeld.id });
      }
      if (answer.nextTimerMs !== null) consider({ kind: 'timer', node: answer.node, atMs: Math.max(nowMs, answer.nextTimerMs), messageId: null });
    }
    return best;
  }
}

function compareActions(a: NextAction, b: NextAction): number {
  if (a.atMs !== b.atMs) return a.atMs - b.atMs;
  if (a.kind !== b.kind) return a.kind === 'deliver' ? -1 : 1;
  return a.node - b.node;
}
