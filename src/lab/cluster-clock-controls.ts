// The lab clock's controls over a running cluster: freeze it, resume it, step it one timer or delivery at a time,
// make a node time out now, and deliver, drop or duplicate a held message by hand. Each tells the nodes the clock's
// new segment and publishes a `lab-clock` event that says what happened, so the UI and the recorder follow. Steps,
// timeouts and held-message actions run one at a time, in the order asked: each sees what the one before did.
import type { HeldMessageAction, NetworkDelayMs, StepResult } from '../protocol/lab-clock';
import type { NodeId } from '../raft/types';
import { monotonicNowNs } from '../shared/monotonic-clock';
import type { EventHub } from './event-hub';
import type { LabTimeKeeper } from './lab-time-keeper';
import type { NodeSupervisor } from './node-supervisor';
import { ClusterStepper, type NextAction } from './cluster-stepper';
import { describeStep, formatLabMs, type MessageNotes } from './step-notes';

export interface ClusterClockHost {
  readonly supervisor: NodeSupervisor;
  readonly events: EventHub;
  readonly clock: LabTimeKeeper;
  readonly stepper: ClusterStepper;
  /** What each recent message was, so that a step can say what it delivered. */
  readonly messageNotes: MessageNotes;
  networkDelayMs(): NetworkDelayMs;
  /** Throws unless the cluster runs (the controller's phase). */
  assertRunning(): void;
}

type ClockStep = { kind: 'timer' | 'deliver' | 'none'; node: NodeId | null; messageId: string | null; description: string };

export class ClusterClockControls {
  private stepChain: Promise<unknown> = Promise.resolve();

  constructor(private readonly host: ClusterClockHost) {}

  async freeze(): Promise<void> {
    this.host.assertRunning();
    if (this.host.clock.frozen) return;
    this.host.clock.freeze();
    this.broadcast();
    // Each node answers once what it had started has played out (writes synced, messages sent, events flushed):
    // after this, nothing changes until someone steps, resumes, or sends a request. A node too slow to answer in time
    // (a loaded machine) is frozen all the same: its clock stopped when the segment arrived; only the wait is cut short.
    await this.host.stepper.query().catch(() => undefined);
    this.publish();
  }

  async resume(): Promise<void> {
    this.host.assertRunning();
    if (!this.host.clock.frozen) return;
    this.host.clock.run();
    this.broadcast();
    this.publish();
  }

  step(): Promise<StepResult> {
    return this.serialized(async () => {
      const { clock, stepper } = this.host;
      this.host.assertRunning();
      if (!clock.frozen) throw new Error('Step works on a paused cluster: pause it first');
      const next = ClusterStepper.pickNext(await stepper.query(), clock.nowMs());
      if (next === null) {
        const labMs = clock.nowMs();
        return { kind: 'none', node: null, messageId: null, labMs, description: 'nothing is pending: no timer runs and no message is waiting' };
      }
      clock.advanceTo(next.atMs);
      this.broadcast();
      const done = await stepper.runStep(next.node, next.kind, next.messageId ?? undefined);
      if (done.error !== null) throw new Error(done.error);
      return this.reportStep(next);
    });
  }

  timeoutNode(id: NodeId): Promise<void> {
    return this.serialized(async () => {
      const slot = this.host.supervisor.requireRunning(id);
      if (slot.view.status === 'paused') throw new Error(`S${id} is paused (SIGSTOP): resume it first`);
      const done = await this.host.stepper.runStep(id, 'timeout');
      if (done.error !== null) throw new Error(done.error);
      this.publish({ kind: 'timer', node: id, messageId: null,
        description: `S${id} was told to time out now: its election timer fired at ${formatLabMs(this.host.clock.nowMs())}` });
    });
  }

  heldMessage(to: NodeId, messageId: string, action: HeldMessageAction): Promise<void> {
    return this.serialized(async () => {
      this.host.supervisor.requireRunning(to);
      const done = await this.host.stepper.runStep(to, action, messageId);
      if (done.error !== null) throw new Error(done.error);
      if (done.copyId !== undefined) this.publishCopy(messageId, done.copyId);
      if (action === 'deliver') {
        this.publish({ kind: 'deliver', node: to, messageId,
          description: `delivered by hand: ${this.host.messageNotes.describe(messageId, to)}` });
      }
    });
  }

  /** Tells every member node the clock's current segment and the network delay. */
  broadcast(): void {
    const { supervisor, clock } = this.host;
    for (const id of supervisor.memberIds()) {
      supervisor.sendToNode(id, { type: 'clock', clock: clock.current, networkDelayMs: [...this.host.networkDelayMs()] });
    }
  }

  /** Publishes the clock's current segment, and the step that led to it if there was one. */
  publish(step?: ClockStep): void {
    this.host.events.publish({ type: 'lab-clock', atNs: monotonicNowNs(), segment: this.host.clock.current,
      networkDelayMs: [...this.host.networkDelayMs()], ...(step ? { step } : {}) });
  }

  /**
   * The copy made by hand travels like its original: the lab, which plays the network here, reports its send, so the
   * copy is drawn and can be delivered or dropped on its own.
   */
  private publishCopy(originalId: string, copyId: string): void {
    const notes = this.host.messageNotes;
    const note = notes.get(originalId);
    if (!note) return;
    notes.remember(copyId, note);
    this.host.events.publish({ type: 'message', atNs: monotonicNowNs(), node: note.message.from, direction: 'send', id: copyId,
      message: note.message, dropReason: null,
      ...(note.sentAtLabMs === undefined ? {} : { sentAtLabMs: note.sentAtLabMs }),
      ...(note.deliverAtLabMs === undefined ? {} : { deliverAtLabMs: note.deliverAtLabMs }) });
  }

  private reportStep(next: NextAction): StepResult {
    const labMs = this.host.clock.nowMs();
    const role = this.host.supervisor.slot(next.node)?.view.role ?? 'follower';
    const description = describeStep(next, role, labMs, this.host.messageNotes);
    this.publish({ kind: next.kind, node: next.node, messageId: next.messageId, description });
    return { kind: next.kind, node: next.node, messageId: next.messageId, labMs, description };
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.stepChain.then(work, work);
    this.stepChain = run.catch(() => undefined);
    return run;
  }
}
