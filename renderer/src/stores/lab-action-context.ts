// The shared actions (src/protocol/exercise/actions.ts) need an ActionContext: here is the app's, over its LabApi.
// Waits are driven by the lab's event batches: the World changes only when events arrive.
import type { LabApi } from '../../../src/protocol/lab-api';
import type { ActionContext } from '../../../src/protocol/exercise/actions';
import type { StepContext } from '../../../src/protocol/exercise/conditions';
import type { World } from '../../../src/protocol/exercise/world';

/** After a lab call, the events it caused reach the app within a batch or two; never wait longer than this for them. */
const SETTLE_MS = 250;

export interface ActionHost {
  readonly api: LabApi;
  readonly world: World;
  context(): StepContext;
  answer(text: string): void;
  /** Called after every batch of events the app receives. */
  readonly batchWaiters: Set<() => void>;
}

export function appActionContext(host: ActionHost, deadlineMs: number): ActionContext {
  const waitFor = (holds: () => boolean, limitMs: number, what: string): Promise<void> => {
    if (holds()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!holds()) return;
        clearTimeout(timer);
        host.batchWaiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        host.batchWaiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, limitMs);
      host.batchWaiters.add(check);
    });
  };
  return {
    api: host.api,
    world: host.world,
    step: host.context,
    waitFor,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    answer: host.answer,
    remainingMs: () => Math.max(0, deadlineMs - performance.now()),
    settle: () => new Promise((resolve) => {
      const done = (): void => { clearTimeout(timer); host.batchWaiters.delete(done); resolve(); };
      const timer = setTimeout(done, SETTLE_MS);
      host.batchWaiters.add(done);
    }),
  };
}
