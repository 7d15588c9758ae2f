// Plays an exercise's or demo's actions on a lab: the same code for the app's "Show me", the headless runner and
// demos. Nodes are resolved against the World at the moment each action runs ("leader" is whoever leads then).
import type { CallableLabApi } from '../lab-methods';
import type { WorkloadSpec } from '../lab-api';
import { evaluate, type StepContext } from './conditions';
import type { Action, ActionNode, Condition } from './schema';
import type { World } from './world';

/** How long an action waits for a node it names ("leader") to exist before it gives up. */
const RESOLVE_DEADLINE_MS = 15_000;
const WORKLOAD_RATE_PER_CLIENT = 20;
const WORKLOAD_KEYS = 3;

export interface ActionContext {
  readonly api: CallableLabApi;
  readonly world: World;
  /** The step the action belongs to (for `wait: {until}` and `step: {until}` conditions). */
  step(): StepContext;
  /** Resolves once `holds()` is true (checked whenever the world changes), or rejects after deadlineMs. */
  waitFor(holds: () => boolean, deadlineMs: number, what: string): Promise<void>;
  sleep(ms: number): Promise<void>;
  /** Records a multiple-choice answer for the step. */
  answer(text: string): void;
  /** Wall-clock ms left in the step's budget: waits inside the step never outlast it. */
  remainingMs(): number;
  /** Resolves once the world has seen the events of every lab call made so far (a step's effects, before the next). */
  settle(): Promise<void>;
}

export async function performAction(action: Action, context: ActionContext): Promise<void> {
  const api = context.api;
  if ('crash' in action) return api.crashNode(await resolveNode(action.crash, context));
  if ('restart' in action) return api.restartNode(await resolveNode(action.restart, context));
  if ('pause' in action) return api.pauseNode(await resolveNode(action.pause, context));
  if ('resume' in action) return api.resumeNode(await resolveNode(action.resume, context));
  if ('isolate' in action) return api.setPartition([[await resolveNode(action.isolate, context)]]);
  if ('timeout' in action) return api.timeoutNode(await resolveNode(action.timeout, context));
  if ('partition' in action) {
    const groups: number[][] = [];
    for (const group of action.partition) {
      const ids: number[] = [];
      for (const name of group) ids.push(await resolveNode(name, context));
      groups.push(ids);
    }
    return api.setPartition(groups);
  }
  if ('heal' in action) return api.healAll();
  if ('link' in action) {
    const from = await resolveNode(action.link.from, context);
    const to = await resolveNode(action.link.to, context);
    return api.setLinkFaults(from, to, {
      ...(action.link.loss === undefined ? {} : { dropProbability: action.link.loss }),
      ...(action.link.delayMs === undefined ? {} : { delayMs: action.link.delayMs }),
    });
  }
  if ('put' in action) {
    const via = action.put.via === undefined ? undefined : await resolveNode(action.put.via, context);
    await api.clientRequest({ op: 'put', key: action.put.key, value: action.put.value, ...(via === undefined ? {} : { node: via }),
      ...(action.put.timeoutMs === undefined ? {} : { timeoutMs: action.put.timeoutMs }) });
    return;
  }
  if ('get' in action) {
    const via = action.get.via === undefined ? undefined : await resolveNode(action.get.via, context);
    await api.clientRequest({ op: 'get', key: action.get.key, ...(via === undefined ? {} : { node: via }),
      ...(action.get.timeoutMs === undefined ? {} : { timeoutMs: action.get.timeoutMs }) });
    return;
  }
  if ('workload' in action) return runWorkload(action.workload.clients, action.workload.seconds, context);
  if ('wait' in action) {
    if ('ms' in action.wait) return context.sleep(Math.min(action.wait.ms, context.remainingMs()));
    return waitUntil(action.wait.until, context);
  }
  if ('answer' in action) {
    context.answer(action.answer);
    return;
  }
  if ('freeze' in action) return api.freezeCluster();
  if ('run' in action) return api.resumeCluster();
  if ('step' in action) return stepCluster(action.step, context);
  if ('add-server' in action) {
    await api.addServer();
    return;
  }
  if ('remove-server' in action) return api.removeServer(await resolveNode(action['remove-server'], context));
  if ('promote-server' in action) return api.promoteServer(await resolveNode(action['promote-server'], context));
  if ('transfer-leadership' in action) return api.transferLeadership(await resolveNode(action['transfer-leadership'], context));
}

/** A node named in an action, as an id; "leader" and "follower" wait (within limits) until there is one. */
export async function resolveNode(name: ActionNode, context: ActionContext): Promise<number> {
  if (name !== 'leader' && name !== 'follower') return Number(name.slice(1));
  let found: number | null = null;
  const find = (): boolean => {
    found = name === 'leader' ? context.world.currentLeader()?.id ?? null : lowestRunningFollower(context.world);
    return found !== null;
  };
  if (!find()) await context.waitFor(find, Math.min(RESOLVE_DEADLINE_MS, context.remainingMs()), `a ${name} to act on`);
  if (found === null) throw new Error(`there is no ${name} to act on`);
  return found;
}

function lowestRunningFollower(world: World): number | null {
  const leader = world.currentLeader();
  const followers = [...world.nodes.values()]
    .filter((node) => node.status === 'running' && node.role === 'follower' && (leader === null || node.term === leader.term))
    .map((node) => node.id).sort((a, b) => a - b);
  return followers[0] ?? null;
}

async function waitUntil(condition: Condition, context: ActionContext): Promise<void> {
  await context.waitFor(() => evaluate(condition, context.world, context.step()), context.remainingMs(), 'a wait condition');
}

async function runWorkload(clients: number, seconds: number, context: ActionContext): Promise<void> {
  const spec: WorkloadSpec = { ratePerSecond: clients * WORKLOAD_RATE_PER_CLIENT, clients, keys: WORKLOAD_KEYS,
    mix: { get: 0.4, put: 0.4, cas: 0.2 } };
  await context.api.startWorkload(spec);
  await context.sleep(Math.min(seconds * 1000, context.remainingMs()));
  await context.api.stopWorkload();
}

async function stepCluster(step: number | { readonly until: Condition; readonly max: number }, context: ActionContext): Promise<void> {
  if (typeof step === 'number') {
    for (let i = 0; i < step; i += 1) await context.api.stepCluster();
    await context.settle();
    return;
  }
  for (let i = 0; i < step.max; i += 1) {
    if (evaluate(step.until, context.world, context.step())) return;
    await context.api.stepCluster();
    await context.settle();
  }
  if (!evaluate(step.until, context.world, context.step())) throw new Error(`not reached within ${step.max} steps`);
}
