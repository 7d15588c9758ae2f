// `raft-lab exercise run`: plays an exercise on a real cluster (real node processes over ZeroMQ) with the
// exercise's settings: each step's solution, then its goal, checked by the same evaluator the app uses, within the
// step's wall-clock budget. Proves that every built-in exercise can be done, and is how CI keeps it so.
import { performAction } from '../protocol/exercise/actions';
import { describeCondition, evaluate } from '../protocol/exercise/conditions';
import type { Exercise, ExerciseStep } from '../protocol/exercise/schema';
import { clusterSettingsOf } from '../protocol/exercise/cluster-settings';
import { describeEvent, LabSession } from './lab-session';
import type { Implementation } from '../protocol/lab-api';

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


/** `implementation`: the Raft to run it on (absent: the lab's own); the caller checks that the exercise fits it. */
export async function runExercise(exercise: Exercise, log: (line: string) => void, implementation?: Implementation): Promise<ExerciseOutcome> {
  const session = await LabSession.start(clusterSettingsOf(exercise.cluster, implementation));
  const steps: StepOutcome[] = [];
  try {
    for (const step of exercise.steps) {
      const outcome = await runStep(step, session);
      steps.push(outcome);
      log(`${outcome.achieved ? 'ok  ' : 'FAIL'} ${exercise.id} / ${step.id}: ${outcome.goal} (${Math.round(outcome.elapsedMs)} ms)`);
      if (!outcome.achieved) break;
    }
  } finally {
    await session.close();
  }
  return { id: exercise.id, achieved: steps.length === exercise.steps.length && steps.every((step) => step.achieved), steps };
}

async function runStep(step: ExerciseStep, session: LabSession): Promise<StepOutcome> {
  const startedMs = performance.now();
  const stepContext = session.stepContext();
  const context = session.actionContext(stepContext, startedMs + step.withinMs);
  const goal = describeCondition(step.goal);
  let error: string | null = null;
  try {
    for (const action of step.solution) {
      await performAction(action, context);
      session.flush();
    }
    await session.waitFor(() => evaluate(step.goal, session.world, context.step()), context.remainingMs(), `the goal: ${goal}`);
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  session.flush();
  const achieved = evaluate(step.goal, session.world, context.step());
  return { id: step.id, achieved, elapsedMs: performance.now() - startedMs, goal, error: achieved ? null : error ?? 'the goal was not reached',
    lastEvents: achieved ? [] : session.recent.slice(-RECENT_EVENTS_SHOWN).map(describeEvent) };
}
