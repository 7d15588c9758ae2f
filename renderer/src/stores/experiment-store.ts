// The Experiments tab's state: the run the lab is doing (or did last) and every result row so far. Rows arrive by
// polling getExperiment(rowsWeHave) twice a second while a run goes on: an experiment runs on a lab of its own, so
// its hundreds of kills are not events of the lab's cluster (not in the event log, the timeline or a saved session),
// and polling needs no new event type; each poll brings only the rows not yet seen, so it stays small.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ClientsRow, ExperimentSpec, ExperimentState, Fig16Row } from '../../../src/protocol/experiments';
import { idleExperimentState } from '../../../src/protocol/experiments';
import { useLabStore } from './lab-store';

export const EXPERIMENT_POLL_MS = 500;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const useExperimentStore = defineStore('experiment', () => {
  const state = shallowRef<ExperimentState>(idleExperimentState());
  const fig16Rows = shallowRef<readonly Fig16Row[]>([]);
  const clientsRows = shallowRef<readonly ClientsRow[]>([]);
  const error = ref<string | null>(null);
  const busy = ref(false);
  const running = computed(() => state.value.status === 'running');

  function api() {
    const labApi = useLabStore().api;
    if (!labApi) throw new Error('not connected to the lab');
    return labApi;
  }

  function reset(): void {
    fig16Rows.value = [];
    clientsRows.value = [];
  }

  /** Takes a state answered for `fromRow`, appending its rows (or starting over when it is another run). */
  function absorb(next: ExperimentState, fromRow: number): void {
    const sameRun = JSON.stringify(next.spec) === JSON.stringify(state.value.spec) && next.rowCount >= fromRow;
    if (!sameRun && fromRow > 0) return void refresh(0);
    if (!sameRun) reset();
    fig16Rows.value = [...fig16Rows.value, ...next.fig16Rows];
    clientsRows.value = [...clientsRows.value, ...next.clientsRows];
    state.value = next;
  }

  async function refresh(fromRow = fig16Rows.value.length + clientsRows.value.length): Promise<void> {
    try {
      absorb(await api().getExperiment(fromRow), fromRow);
      error.value = null;
    } catch (caught) {
      error.value = errorText(caught);
    }
  }

  async function start(spec: ExperimentSpec): Promise<void> {
    busy.value = true;
    try {
      reset();
      state.value = idleExperimentState();
      absorb(await api().startExperiment(spec), 0);
      error.value = null;
    } catch (caught) {
      error.value = errorText(caught);
    } finally {
      busy.value = false;
    }
  }

  async function cancel(): Promise<void> {
    busy.value = true;
    try {
      await api().cancelExperiment();
      await refresh();
    } catch (caught) {
      error.value = errorText(caught);
    } finally {
      busy.value = false;
    }
  }

  return { state, fig16Rows, clientsRows, error, busy, running, refresh, start, cancel };
});
