// `raft-lab exercise run`: plays an exercise on a real cluster (real node processes over ZeroMQ) with the
// exercise's settings: each step's solution, then its goal, checked by the same evaluator the app uses, within the
// step's wall-clock budget. Proves that every built-in exercise can be done, and is how CI keeps it so.
import { LabController } from '../lab/controller';
import { TEACHING_SETTINGS, type ClusterSettings } from '../protocol/lab-api';
import type { LabEvent } from '../protocol/events';
import { performAction, type ActionContext } from '../protocol/exercise/actions';
import { describeCondition, evaluate, type StepContext } from '../protocol/exercise/conditions';
import type { ClusterSpec, Exercise, ExerciseStep } from '../protocol/exercise/schema';
import { World } from '../protocol/exercise/world';
import type { BugName } from '../raft/types';

const RECENT_EVENTS_KEPT = 200;
const RECENT_EVENTS_SHOWN = 12;

export interface StepOutcome {
  readonly id: string;
  readonly achieved: boolean;
  readonly elapsedMs: number;
  /** The goal in words. */
  readonly goal: string;
  /** Why it was not achieved (an action failed, or the budget ran out). */
  readonly error: string | null;
  /** The last relevant events before the step ended, in words (for a failure report). */
  readonly lastEvents: readonly string[];
}

export interface ExerciseOutcome {
  readonly id: string;
  readonly achieved: boolean;
  readonly steps: readonly StepOutcome[];
}

/** The settings an exercise's cluster runs with: its own, else the lab's teaching defaults. */
export function clusterSettingsOf(spec: ClusterSpec): ClusterSettings {
  return {
    ...TEACHING_SETTINGS,
    nodeCount: spec.nodes,
    ...(spec.electionTimeoutMs ? { electionTimeoutMs: spec.electionTimeoutMs } : {}),
    ...(spec.heartbeatMs === undefined ? {} : { heartbeatMs: spec.heartbeatMs }),
    ...(spec.timeScale === undefined ? {} : { timeScale: spec.timeScale }),
    ...(spec.networkDelayMs ? { networkDelayMs: spec.networkDelayMs } : {}),
    ...(spec.timerSeed === undefined ? {} : { timerSeed: spec.timerSeed }),
    ...(spec.startPaused === undefined ? {} : { startPaused: spec.startPaused }),
    ...(spec.preVote === undefined ? {} : { preVote: spec.preVote }),
    ...(spec.checkQuorum === undefined ? {} : { checkQuorum: spec.checkQuorum }),
    bugs: (spec.bugs ?? []) as BugName[],
  };
}

export async function runExercise(exercise: Exercise, log: (line: string) => void): Promise<ExerciseOutcome> {
  const controller = await LabController.create();
  const world = new World();
  const recent: LabEvent[] = [];
  const waiters = new Set<() => void>();
  const unsubscribe = controller.subscribe((events) => {
    for (const event of events) {
      world.apply(event);
      if (isRelevant(event)) {
        recent.push(event);
        if (recent.length > RECENT_EVENTS_KEPT) recent.shift();
      }
    }
    for (const waiter of [...waiters]) waiter();
  });
  const steps: StepOutcome[] = [];
  try {
    await controller.startCluster(clusterSettingsOf(exercise.cluster));
    for (const step of exercise.steps) {
      const outcome = await runStep(step, { controller, world, waiters, recent });
      steps.push(outcome);
      log(`${outcome.achieved ? 'ok  ' : 'FAIL'} ${exercise.id} / ${step.id}: ${outcome.goal} (${Math.round(outcome.elapsedMs)} ms)`);
      if (!outcome.achieved) break;
    }
  } finally {
    unsubscribe();
    await controller.close();
  }
  return { id: exercise.id, achieved: steps.length === exercise.steps.length && steps.every((step) => step.achieved), steps };
}

interface RunState {
  readonly controller: LabController;
  readonly world: World;
  readonly waiters: Set<() => void>;
  readonly recent: LabEvent[];
}

async function runStep(step: ExerciseStep, state: RunState): Promise<StepOutcome> {
  const { controller, world } = state;
  controller.events.flush();
  const startedMs = performance.now();
  const deadlineMs = startedMs + step.withinMs;
  let answer: string | null = null;
  const stepContext: StepContext = { sinceSeq: world.lastSeq, startLeader: world.currentLeader()?.id ?? null, answer: null };
  const current = (): StepContext => ({ ...stepContext, answer });
  const remainingMs = (): number => Math.max(0, deadlineMs - performance.now());
  const context: ActionContext = {
    api: controller,
    world,
    step: current,
    waitFor: (holds, limitMs, what) => waitFor(state, holds, limitMs, what),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    answer: (text) => { answer = text; },
    remainingMs,
    settle: async () => controller.events.flush(),
  };
  const goal = describeCondition(step.goal);
  let error: string | null = null;
  try {
    for (const action of step.solution) {
      await performAction(action, context);
      controller.events.flush();
    }
    await waitFor(state, () => evaluate(step.goal, world, current()), remainingMs(), `the goal: ${goal}`);
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  controller.events.flush();
  const achieved = evaluate(step.goal, world, current());
  return { id: step.id, achieved, elapsedMs: performance.now() - startedMs, goal, error: achieved ? null : error ?? 'the goal was not reached',
    lastEvents: achieved ? [] : state.recent.slice(-RECENT_EVENTS_SHOWN).map(describeEvent) };
}

function waitFor(state: RunState, holds: () => boolean, limitMs: number, what: string): Promise<void> {
  if (holds()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!holds()) return;
      clearTimeout(timer);
      state.waiters.delete(check);
      resolve();
    };
    const timer = setTimeout(() => {
      state.waiters.delete(check);
      reject(new Error(`timed out after ${Math.round(limitMs)} ms waiting for ${what}`));
    }, limitMs);
    state.waiters.add(check);
  });
}

function isRelevant(event: LabEvent): boolean {
  if (event.type === 'raft') return !['append-accepted', 'message-ignored', 'read-confirmed'].includes(event.event.kind);
  return event.type === 'fault' || event.type === 'client-op' || event.type === 'violation' || event.type === 'node-status' ||
    event.type === 'error' || event.type === 'workload';
}

function describeEvent(event: LabEvent): string {
  switch (event.type) {
    case 'raft': return `S${event.node} ${event.event.kind} (term ${event.event.term}): ${event.event.reason}`;
    case 'fault': return `fault: ${event.description}`;
    case 'client-op': return `client ${event.op} ${event.key} -> ${event.status}${event.value === null ? '' : ` ${event.value}`}`;
    case 'violation': return `VIOLATION ${event.invariant}: ${event.detail}`;
    case 'node-status': return `S${event.node} ${event.status}: ${event.reason}`;
    case 'error': return `error: ${event.message}`;
    case 'workload': return `workload: ${event.ops} ops, linearizable ${String(event.linearizable)}`;
    default: return event.type;
  }
}
