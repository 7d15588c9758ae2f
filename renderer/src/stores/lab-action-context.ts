// The shared actions (src/protocol/exercise/actions.ts) need an ActionContext: here is the app's, over its LabApi.
// Waits are driven by the lab's event batches: the World changes only when events arrive.
import type { LabApi } from '../../../src/protocol/lab-api';
import type { ActionContext } from '../../../src/protocol/exercise/actions';
import type { StepContext } from '../../../src/protocol/exercise/conditions';
import type { World } from '../../../src/protocol/exercise/world';
import type { ConditionWaiters } from '../../../src/protocol/exercise/condition-waiters';

/** After a lab call, the events it caused reach the app within a batch or two; never wait longer than this for them. */
const SETTLE_MS = 250;

export interface ActionHost {
  readonly api: LabApi;
  readonly world: World;
  context(): StepContext;
  answer(text: string): void;
  /** Notified after every batch of events the app receives. */
  readonly waiters: ConditionWaiters;
}

export function appActionContext(host: ActionHost, deadlineMs: number): ActionContext {
  return {
    api: host.api,
    world: host.world,
    step: host.context,
    waitFor: (holds, limitMs, what) => host.waiters.until(holds, limitMs, what),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    answer: host.answer,
    remainingMs: () => Math.max(0, deadlineMs - performance.now()),
    settle: () => host.waiters.next(SETTLE_MS),
  };
}
