// The Exercises tab's state: the list, the open exercise, where the student is in it, and the live check of the
// current step's goal — the same condition evaluator as `raft-lab exercise run` (src/protocol/exercise), fed from the
// lab's event stream. Progress (which exercises are done, which step each is at) survives restarts of the app.
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type { LabEvent } from '../../../src/protocol/events';
import { isOwnImplementation, type Implementation, type LabApi } from '../../../src/protocol/lab-api';
import { implementationFit } from '../../../src/protocol/exercise/implementation-fit';
import { clusterSettingsOf } from '../../../src/protocol/exercise/cluster-settings';
import { evaluate, type StepContext } from '../../../src/protocol/exercise/conditions';
import type { Exercise, ExerciseSummary } from '../../../src/protocol/exercise/schema';
import { World } from '../../../src/protocol/exercise/world';
import { ConditionWaiters } from '../../../src/protocol/exercise/condition-waiters';
import { readProgress, writeProgress, type ExerciseProgress } from './exercise-progress';
import { playSolution } from './exercise-solution';
import { useCommandsStore } from './commands-store';
import { useUiStore } from './ui-store';

export type StepStatus = 'pending' | 'active' | 'achieved';

export const useExerciseStore = defineStore('exercise', () => {
  const api = shallowRef<LabApi | null>(null);
  const list = ref<readonly ExerciseSummary[]>([]);
  const listError = ref<string | null>(null);
  const current = shallowRef<Exercise | null>(null);
  /** The exercise's cluster was started from the tab (its steps are live only then). */
  const started = ref(false);
  const stepIndex = ref(0);
  /** Per step of the current exercise: achieved (the goal held once while the step was active). */
  const achieved = ref<boolean[]>([]);
  const hintsShown = ref(0);
  const answer = ref<string | null>(null);
  const showingSolution = ref(false);
  const progress = ref<Readonly<Record<string, ExerciseProgress>>>(readProgress());
  // One World for the app's lifetime: it forgets the old cluster's servers when a new one starts.
  const world = markRaw(new World());
  let context: StepContext = { sinceSeq: -1, startLeader: null, answer: null };
  let unsubscribe: (() => void) | null = null;
  /** Whoever waits for the next batch of events (the solution player's settle / waitFor). */
  const waiters = new ConditionWaiters();

  const step = computed(() => current.value?.steps[stepIndex.value] ?? null);
  const statuses = computed<StepStatus[]>(() => (current.value?.steps ?? []).map((_, index) =>
    achieved.value[index] ? 'achieved' : index === stepIndex.value && started.value ? 'active' : 'pending'));
  const stepAchieved = computed(() => achieved.value[stepIndex.value] === true);
  const finished = computed(() => current.value !== null && achieved.value.length === current.value.steps.length &&
    achieved.value.every(Boolean));

  function attach(labApi: LabApi): void {
    api.value = markRaw(labApi);
    unsubscribe?.();
    unsubscribe = labApi.subscribe(onEvents);
  }

  /**
   * The World is fed only once an exercise starts its cluster (its start event resets it): a lab with no exercise
   * running pays nothing per event here.
   */
  let listening = false;

  function onEvents(events: readonly LabEvent[]): void {
    if (!listening) return;
    for (const event of events) world.apply(event);
    checkGoal();
    waiters.notify();
  }

  /** The goal is checked continuously; once reached, the step stays achieved (the student moves on with Next). */
  function checkGoal(): void {
    const active = step.value;
    if (!started.value || !active || achieved.value[stepIndex.value]) return;
    if (!evaluate(active.goal, world, { ...context, answer: answer.value })) return;
    const next = [...achieved.value];
    next[stepIndex.value] = true;
    achieved.value = next;
    const exercise = current.value;
    // `step` counts the steps achieved in order: where the student comes back to.
    if (exercise) saveProgress(exercise.id, { step: stepIndex.value + 1, done: next.length === exercise.steps.length && next.every(Boolean) });
  }

  async function loadList(): Promise<void> {
    if (!api.value) return;
    try {
      list.value = await api.value.listExercises();
      listError.value = null;
    } catch (error) {
      listError.value = error instanceof Error ? error.message : String(error);
    }
  }

  async function open(id: string): Promise<void> {
    if (!api.value) return;
    const exercise = await api.value.getExercise(id);
    current.value = markRaw(exercise);
    started.value = false;
    const saved = progress.value[id];
    resetSteps(Math.min(saved?.step ?? 0, exercise.steps.length - 1));
    if (saved?.done) achieved.value = exercise.steps.map(() => true);
  }

  function close(): void {
    current.value = null;
    started.value = false;
  }

  /**
   * The Raft the student chose in Settings → Implementation: their choice, not what the cluster runs now (an
   * exercise that needs the lab's own Raft starts that, and the next exercise must still offer theirs).
   */
  const chosenImplementation = computed<Implementation | undefined>(() => useUiStore().settingsDraft.implementation);

  /**
   * The student's own Raft (Settings → Implementation), when they chose one and `exercise` needs nothing the lab
   * cannot see of it (implementation-fit.ts); otherwise the lab's own Raft.
   */
  function implementationFor(exercise: Exercise): Implementation {
    const chosen = chosenImplementation.value;
    if (chosen === undefined || !isOwnImplementation(chosen)) return { kind: 'raft' };
    return implementationFit(exercise).need === 'built-in' ? { kind: 'raft' } : chosen;
  }

  /** Starts the exercise's cluster (its settings, its sealed bugs) and makes the current step live. */
  async function start(): Promise<void> {
    const exercise = current.value;
    if (!api.value || !exercise) return;
    listening = true;
    // Through the commands store: its snapshot (the header's slow motion, the settings shown) follows, and a failure shows.
    await useCommandsStore().startCluster(clusterSettingsOf(exercise.cluster, implementationFor(exercise)));
    started.value = true;
    beginStep(stepIndex.value);
  }

  function beginStep(index: number): void {
    stepIndex.value = index;
    hintsShown.value = 0;
    answer.value = null;
    context = { sinceSeq: world.lastSeq, startLeader: world.currentLeader()?.id ?? null, answer: null };
    checkGoal();
  }

  function next(): void {
    const exercise = current.value;
    if (!exercise || stepIndex.value >= exercise.steps.length - 1) return;
    beginStep(stepIndex.value + 1);
  }

  function revealHint(): void {
    const hints = step.value?.hints ?? [];
    if (hintsShown.value < hints.length) hintsShown.value += 1;
  }

  function choose(choice: string): void {
    answer.value = choice;
    checkGoal();
  }

  /** "Show me": plays the current step's solution on the lab, as the headless runner does. */
  async function showMe(): Promise<void> {
    const active = step.value;
    if (!api.value || !active || showingSolution.value) return;
    showingSolution.value = true;
    try {
      await playSolution(active, { api: api.value, world, context: () => ({ ...context, answer: answer.value }),
        answer: (text) => choose(text), waiters });
    } finally {
      showingSolution.value = false;
    }
  }

  /** Forgets this exercise's progress and goes back to its first step (a new cluster when started again). */
  function reset(): void {
    const exercise = current.value;
    if (!exercise) return;
    const { [exercise.id]: _forgotten, ...rest } = progress.value;
    progress.value = rest;
    writeProgress(rest);
    started.value = false;
    resetSteps(0);
  }

  function resetSteps(index: number): void {
    stepIndex.value = index;
    achieved.value = Array.from({ length: index }, () => true);
    hintsShown.value = 0;
    answer.value = null;
  }

  function saveProgress(id: string, entry: ExerciseProgress): void {
    const previous = progress.value[id];
    progress.value = { ...progress.value, [id]: { step: Math.max(entry.step, previous?.step ?? 0), done: entry.done || (previous?.done ?? false) } };
    writeProgress(progress.value);
  }

  return {
    list, listError, current, started, stepIndex, achieved, hintsShown, answer, showingSolution, progress, step, statuses,
    stepAchieved, finished, attach, loadList, open, close, start, chosenImplementation, implementationFor, next, revealHint, choose, showMe, reset,
  };
});
