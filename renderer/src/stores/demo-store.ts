// A classroom demo in the presenter view: its steps played on a paused cluster stepped from the demo's seed (the
// same player as `raft-lab demo run`), Next to play the next step, Back to return to the start of the previous one
// by replaying the demo from its beginning up to there — quickly, in step mode, so it lands in the same state.
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import type { LabEvent } from '../../../src/protocol/events';
import type { LabApi } from '../../../src/protocol/lab-api';
import { clusterSettingsOf } from '../../../src/protocol/exercise/cluster-settings';
import type { StepContext } from '../../../src/protocol/exercise/conditions';
import { demoClusterSpec, playDemoStep } from '../../../src/protocol/exercise/demo-player';
import type { Demo, DemoSummary } from '../../../src/protocol/exercise/schema';
import { World } from '../../../src/protocol/exercise/world';
import { ConditionWaiters } from '../../../src/protocol/exercise/condition-waiters';
import { appActionContext } from './lab-action-context';
import { useCommandsStore } from './commands-store';

/** A demo step plays in far less (each lab step takes milliseconds); past this something is wrong. */
const STEP_DEADLINE_MS = 120_000;

export const useDemoStore = defineStore('demo', () => {
  const api = shallowRef<LabApi | null>(null);
  const list = ref<readonly DemoSummary[]>([]);
  const current = shallowRef<Demo | null>(null);
  /** The step on screen: its actions have played and its `until` holds. -1 while the cluster starts. */
  const stepIndex = ref(-1);
  /** Something is playing (a step, or a replay for Back): the controls wait. */
  const busy = ref(false);
  const error = ref<string | null>(null);
  const world = markRaw(new World());
  const waiters = new ConditionWaiters();
  let unsubscribe: (() => void) | null = null;
  /** Fed only while a demo is on (each of its runs starts a new cluster, which resets the World). */
  let listening = false;

  const presenting = computed(() => current.value !== null);
  const step = computed(() => (stepIndex.value >= 0 ? current.value?.steps[stepIndex.value] ?? null : null));
  const canNext = computed(() => !busy.value && current.value !== null && stepIndex.value < current.value.steps.length - 1);
  const canBack = computed(() => !busy.value && stepIndex.value > 0);

  function attach(labApi: LabApi): void {
    api.value = markRaw(labApi);
    unsubscribe?.();
    unsubscribe = labApi.subscribe((events: readonly LabEvent[]) => {
      if (!listening) return;
      for (const event of events) world.apply(event);
      waiters.notify();
    });
  }

  async function loadList(): Promise<void> {
    if (api.value) list.value = await api.value.listDemos();
  }

  /** Opens the presenter view on a demo and plays its first step. */
  async function present(id: string): Promise<void> {
    if (!api.value || busy.value) return;
    current.value = markRaw(await api.value.getDemo(id));
    listening = true;
    await playTo(0);
  }

  function exit(): void {
    listening = false;
    current.value = null;
    stepIndex.value = -1;
    error.value = null;
  }

  async function next(): Promise<void> {
    if (canNext.value) await guarded(() => playStep(stepIndex.value + 1));
  }

  async function back(): Promise<void> {
    if (canBack.value) await playTo(stepIndex.value - 1);
  }

  /** From a fresh cluster (the demo's seed, paused), plays steps 0..index: the same state every time. */
  async function playTo(index: number): Promise<void> {
    await guarded(async () => {
      const demo = current.value;
      const labApi = api.value;
      if (!demo || !labApi) return;
      stepIndex.value = -1;
      // Through the commands store, so that the header's clock shows the demo cluster's settings.
      await useCommandsStore().startCluster(clusterSettingsOf(demoClusterSpec(demo.cluster)));
      for (let i = 0; i <= index; i += 1) await playStep(i);
    });
  }

  async function playStep(index: number): Promise<void> {
    const demo = current.value;
    const labApi = api.value;
    const target = demo?.steps[index];
    if (!labApi || !target) return;
    const context: StepContext = { sinceSeq: world.lastSeq, startLeader: world.currentLeader()?.id ?? null, answer: null };
    await playDemoStep(target, appActionContext({ api: labApi, world, context: () => context, answer: () => undefined, waiters },
      performance.now() + STEP_DEADLINE_MS));
    stepIndex.value = index;
  }

  async function guarded(work: () => Promise<void>): Promise<void> {
    busy.value = true;
    error.value = null;
    try {
      await work();
    } catch (caught) {
      error.value = caught instanceof Error ? caught.message : String(caught);
    } finally {
      busy.value = false;
    }
  }

  return { list, current, stepIndex, busy, error, presenting, step, canNext, canBack, attach, loadList, present, exit, next, back };
});
