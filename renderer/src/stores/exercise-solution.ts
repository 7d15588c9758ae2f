// "Show me" in the app: plays a step's solution through the same actions as the headless runner, against the
// app's LabApi, within the step's wall-clock budget.
import { performAction } from '../../../src/protocol/exercise/actions';
import type { ExerciseStep } from '../../../src/protocol/exercise/schema';
import { appActionContext, type ActionHost } from './lab-action-context';

export async function playSolution(step: ExerciseStep, host: ActionHost): Promise<void> {
  const context = appActionContext(host, performance.now() + step.withinMs);
  for (const action of step.solution) await performAction(action, context);
}
