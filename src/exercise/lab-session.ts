// A real lab for the headless runners (`exercise run`, `demo run`): a LabController with real node processes, a World
// folded from its events (what the condition evaluator reads), and the ActionContext the shared actions need.
import { LabController } from '../lab/controller';
import type { ClusterSettings } from '../protocol/lab-api';
import type { LabEvent } from '../protocol/events';
import type { ActionContext } from '../protocol/exercise/actions';
import type { StepContext } from '../protocol/exercise/conditions';
import { World } from '../protocol/exercise/world';
import { ConditionWaiters } from '../protocol/exercise/condition-waiters';

const RECENT_EVENTS_KEPT = 200;

export class LabSession {
  readonly world = new World();
  /** The newest events worth showing when something did not happen (bounded). */
  readonly recent: LabEvent[] = [];
  private readonly waiters = new ConditionWaiters();
  private readonly unsubscribe: () => void;

  private constructor(readonly controller: LabController) {
    this.unsubscribe = controller.subscribe((events) => {
      for (const event of events) {
        this.world.apply(event);
        if (isRelevant(event)) {
          this.recent.push(event);
          if (this.recent.length > RECENT_EVENTS_KEPT) this.recent.shift();
        }
      }
      this.waiters.notify();
    });
  }

  static async start(settings: ClusterSettings): Promise<LabSession> {
    const session = new LabSession(await LabController.create());
    try {
      await session.controller.startCluster(settings);
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  /** Makes every event published so far reach the world now. */
  flush(): void {
    this.controller.events.flush();
  }

  /** What a step's conditions are relative to, as of now. */
  stepContext(): StepContext {
    this.flush();
    return { sinceSeq: this.world.lastSeq, startLeader: this.world.currentLeader()?.id ?? null, answer: null };
  }

  /** The actions' view of this lab for one step, whose wall-clock budget ends at deadlineMs. */
  actionContext(step: StepContext, deadlineMs: number): ActionContext & { answered(): string | null } {
    let answer: string | null = null;
    return {
      api: this.controller,
      world: this.world,
      step: () => ({ ...step, answer }),
      waitFor: (holds, limitMs, what) => this.waitFor(holds, limitMs, what),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      answer: (text) => { answer = text; },
      answered: () => answer,
      remainingMs: () => Math.max(0, deadlineMs - performance.now()),
      settle: async () => this.flush(),
    };
  }

  waitFor(holds: () => boolean, limitMs: number, what: string): Promise<void> {
    this.flush();
    return this.waiters.until(holds, limitMs, what);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.controller.close();
  }
}

function isRelevant(event: LabEvent): boolean {
  if (event.type === 'raft') return !['append-accepted', 'message-ignored', 'read-confirmed'].includes(event.event.kind);
  return event.type === 'fault' || event.type === 'client-op' || event.type === 'violation' || event.type === 'node-status' ||
    event.type === 'error' || event.type === 'workload' || (event.type === 'lab-clock' && event.step !== undefined);
}

/** An event in words, for a failure report. */
export function describeEvent(event: LabEvent): string {
  switch (event.type) {
    case 'raft': return `S${event.node} ${event.event.kind} (term ${event.event.term}): ${event.event.reason}`;
    case 'fault': return `fault: ${event.description}`;
    case 'client-op': return `client ${event.op} ${event.key} -> ${event.status}${event.value === null ? '' : ` ${event.value}`}`;
    case 'violation': return `VIOLATION ${event.invariant}: ${event.detail}`;
    case 'node-status': return `S${event.node} ${event.status}: ${event.reason}`;
    case 'error': return `error: ${event.message}`;
    case 'workload': return `workload: ${event.ops} ops, linearizable ${String(event.linearizable)}`;
    case 'lab-clock': return `step: ${event.step?.description ?? ''}`;
    default: return event.type;
  }
}
