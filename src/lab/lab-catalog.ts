// The exercises and demos a lab offers: the built-in ones (assets/exercises, assets/demos), or those of the
// directory the lab was given, read afresh on every call so that an edited file shows without a restart.
import { dirname, join } from 'node:path';
import { implementationFit } from '../protocol/exercise/implementation-fit';
import { summarizeDemo, summarizeExercise, type Demo, type DemoSummary, type Exercise, type ExerciseSummary } from '../protocol/exercise/schema';
import { loadCatalog, loadDemos } from '../exercise/catalog';

export class LabCatalog {
  /** `exercisesDir`: where the exercises are; found beside the code when absent. */
  constructor(private readonly exercisesDir: string | undefined) {}

  listExercises(): readonly ExerciseSummary[] {
    return loadCatalog('exercises', this.exercisesDir).map((exercise) => ({ ...summarizeExercise(exercise),
      ownRaft: implementationFit(exercise) }));
  }

  getExercise(id: string): Exercise {
    const found = loadCatalog('exercises', this.exercisesDir).find((exercise) => exercise.id === id);
    if (!found) throw new Error(`there is no exercise "${id}"`);
    return found;
  }

  listDemos(): readonly DemoSummary[] {
    return loadDemos(this.demosDir).map(summarizeDemo);
  }

  getDemo(id: string): Demo {
    const found = loadDemos(this.demosDir).find((demo) => demo.id === id);
    if (!found) throw new Error(`there is no demo "${id}"`);
    return found;
  }

  /** Demos live beside the exercises (assets/demos next to assets/exercises). */
  private get demosDir(): string | undefined {
    return this.exercisesDir === undefined ? undefined : join(dirname(this.exercisesDir), 'demos');
  }
}
