// Plays a classroom demo's steps on a paused cluster: each step's actions, then steps of the lab clock until the
// step's `until` holds. The same player serves the app's presenter view (Next, and Back by replaying from the start)
// and `raft-lab demo run`, so what CI checks is what the instructor shows.
import { performAction, resolveNode, type ActionContext } from './actions';
import { describeCondition, evaluate } from './conditions';
import type { Action, ClusterSpec, DemoStep } from './schema';

/** Steps to reach an `until` when the demo does not say. */
export const DEFAULT_DEMO_MAX_STEPS = 500;
/** A demo's client requests wait through many steps of a paused cluster: far longer than a person would. */
export const DEMO_CLIENT_TIMEOUT_MS = 120_000;
/** The seed a demo's timers draw from when its file names none: every run of the demo is the same. */
export const DEFAULT_DEMO_SEED = 1;

/** A demo's cluster: always started paused, always from a seed. */
export function demoClusterSpec(spec: ClusterSpec): ClusterSpec {
  return { ...spec, startPaused: true, timerSeed: spec.timerSeed ?? DEFAULT_DEMO_SEED };
}

/**
 * Plays one step. Client requests are sent and not awaited: on a paused cluster they complete only as the demo
 * steps on (their answers arrive as events). Throws if `until` is not reached within the step budget.
 */
export async function playDemoStep(step: DemoStep, context: ActionContext): Promise<void> {
  for (const action of step.actions ?? []) {
    if ('put' in action || 'get' in action) await sendWithoutWaiting(action, context);
    else await performAction(action, context);
  }
  await context.settle();
  const until = step.until;
  if (until === undefined) return;
  const maxSteps = step.maxSteps ?? DEFAULT_DEMO_MAX_STEPS;
  for (let steps = 0; steps < maxSteps; steps += 1) {
    if (evaluate(until, context.world, context.step())) return;
    const result = await context.api.stepCluster();
    await context.settle();
    if (result.kind === 'none') break; // nothing is pending: stepping on would change nothing
  }
  if (!evaluate(until, context.world, context.step())) {
    throw new Error(`step "${step.id}": not reached within ${maxSteps} steps: ${describeCondition(until)}`);
  }
}

async function sendWithoutWaiting(action: Extract<Action, { put: unknown } | { get: unknown }>, context: ActionContext): Promise<void> {
  const request = 'put' in action
    ? { op: 'put' as const, key: action.put.key, value: action.put.value, via: action.put.via }
    : { op: 'get' as const, key: action.get.key, via: action.get.via };
  const via = request.via === undefined ? undefined : await resolveNode(request.via, context);
  void context.api.clientRequest({
    op: request.op, key: request.key, ...(request.op === 'put' ? { value: request.value } : {}),
    ...(via === undefined ? {} : { node: via }), timeoutMs: DEMO_CLIENT_TIMEOUT_MS,
  }).catch(() => undefined); // its outcome is in the event stream (a client-op event), like any client's
}
