// @vitest-environment happy-dom
// The Experiments tab: a run is started with the spec the form describes, its progress and plot follow the rows as
// polling brings them (only the rows not yet seen are asked for), it can be cancelled, and its rows export as CSV.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import ExperimentsPanel from '../../../renderer/src/components/experiments/ExperimentsPanel.vue';
import ExperimentPlot from '../../../renderer/src/components/experiments/ExperimentPlot.vue';
import { draftToSpec, defaultDraft } from '../../../renderer/src/components/experiments/experiment-form';
import { EXPERIMENT_POLL_MS } from '../../../renderer/src/stores/experiment-store';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { idleExperimentState, type ExperimentState, type Fig16Row, type Fig16Spec } from '../../../src/protocol/experiments';
import { fig16Figure } from '../../../src/plot/fig16-figure';
import { fakeLab } from '../shell/lab-fixtures';

const SPEC: Fig16Spec = { kind: 'fig16', nodes: 5, trials: 2, ranges: [[150, 155], [150, 300]], networkDelayMs: [0, 0], capMs: 10_000, seed: 1 };
const LOAD = { loadAverage: [1.5, 1.2, 0.9] as const, cpus: 2 };

function row(range: string, trial: number, electionMs: number): Fig16Row {
  return { range, trial, electionMs, writeMs: electionMs + 15, terms: 1 };
}

function running(rows: readonly Fig16Row[], fromRow: number, done: number): ExperimentState {
  return { ...idleExperimentState(), status: 'running', spec: SPEC, fromRow, rowCount: fromRow + rows.length, fig16Rows: rows,
    progress: { done, total: 4, elapsedMs: 3000, etaMs: 3000, current: '150-155 ms: trial 2 of 2' }, loadAtStart: LOAD };
}

beforeEach(() => {
  setActivePinia(createPinia());
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('ExperimentsPanel', () => {
  it('runs Figure 16 as the form says, draws the rows as they arrive, asks only for new rows, and cancels', async () => {
    const lab = fakeLab();
    lab.api.startExperiment.mockResolvedValue(running([], 0, 0));
    lab.api.getExperiment
      .mockResolvedValueOnce(idleExperimentState()) // the panel's first look, before anything runs
      .mockResolvedValueOnce(running([row('150-155', 1, 240), row('150-155', 2, 290)], 0, 2))
      .mockResolvedValueOnce(running([row('150-300', 1, 200)], 2, 3))
      .mockResolvedValue({ ...running([], 3, 3), status: 'cancelled' });
    lab.api.cancelExperiment.mockResolvedValue({ ...running([], 0, 3), status: 'cancelled' });
    void useLabStore().attach(lab.api);
    const wrapper = mount(ExperimentsPanel);
    await flushPromises();

    await wrapper.get('[data-testid="experiment-trials"]').setValue('2');
    await wrapper.get('[data-testid="experiment-range-150-155"]').setValue(true);
    await wrapper.get('[data-testid="experiment-form"]').trigger('submit');
    await flushPromises();
    expect(lab.api.startExperiment).toHaveBeenCalledWith(SPEC);
    expect(wrapper.get('[data-testid="experiment-status"]').text()).toBe('running');

    await vi.advanceTimersByTimeAsync(EXPERIMENT_POLL_MS);
    expect(lab.api.getExperiment).toHaveBeenLastCalledWith(0);
    expect(wrapper.get('[data-testid="experiment-progress"]').attributes('aria-valuenow')).toBe('50');
    expect(wrapper.get('[data-testid="experiment-eta"]').text()).toBe('ETA 0:03');
    expect(wrapper.find('[data-series="150-155 ms (2 trials)"]').exists()).toBe(true);

    await vi.advanceTimersByTimeAsync(EXPERIMENT_POLL_MS);
    expect(lab.api.getExperiment).toHaveBeenLastCalledWith(2);
    expect(wrapper.get('[data-testid="experiment-plot"]').attributes('data-rows')).toBe('3');
    expect(wrapper.find('[data-series="150-300 ms (1 trial)"]').exists()).toBe(true);
    // The paper's median for 150-155 is drawn, labelled as reported.
    expect(wrapper.find('[data-reported="150–155: median 287 ms"]').exists()).toBe(true);

    await wrapper.get('[data-testid="experiment-cancel"]').trigger('click');
    await flushPromises();
    expect(lab.api.cancelExperiment).toHaveBeenCalledOnce();
    expect(wrapper.get('[data-testid="experiment-status"]').text()).toBe('cancelled');
    expect(wrapper.get('[data-testid="experiment-plot"]').attributes('data-rows')).toBe('3');
  });

  it('exports the rows as the same CSV the command line writes', async () => {
    const lab = fakeLab();
    lab.api.getExperiment.mockResolvedValue({ ...running([row('150-155', 1, 240.5)], 0, 1), status: 'done' });
    void useLabStore().attach(lab.api);
    const created: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => { created.push(blob as Blob); return 'blob:test'; });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const wrapper = mount(ExperimentsPanel);
    await flushPromises();
    await wrapper.get('[data-testid="experiment-export-csv"]').trigger('click');
    expect(created).toHaveLength(1);
    expect(await created[0]?.text()).toBe('range,trial,electionMs,writeMs,terms\n150-155,1,240.5,255.5,1\n');
  });

  it('says what is wrong with the form instead of starting', async () => {
    const lab = fakeLab();
    void useLabStore().attach(lab.api);
    const wrapper = mount(ExperimentsPanel);
    await flushPromises();
    for (const range of ['150-300', '150-155']) await wrapper.get(`[data-testid="experiment-range-${range}"]`).setValue(false);
    await wrapper.get('[data-testid="experiment-form"]').trigger('submit');
    expect(wrapper.get('[data-testid="experiment-form-error"]').text()).toMatch(/timeout ranges/);
    expect(lab.api.startExperiment).not.toHaveBeenCalled();
    expect(draftToSpec({ ...defaultDraft(), kind: 'clients', clients: '1,2,128' })).toMatchObject({ ok: false });
  });
});

describe('ExperimentPlot', () => {
  it('shows the figure as one SVG with a line per range, or a placeholder before any row', () => {
    const figure = fig16Figure({ ranges: SPEC.ranges, rows: [row('150-300', 1, 200)], metric: 'electionMs', subtitle: [] });
    const drawn = mount(ExperimentPlot, { props: { figure, rows: 1 } });
    expect(drawn.findAll('svg')).toHaveLength(1);
    // 150-155 has no trial yet (no line); 150-300 is in both of the paper's graphs.
    expect(drawn.findAll('path.series').map((path) => path.attributes('data-series'))).toEqual(['150-300 ms (1 trial)', '150-300 ms (1 trial)']);
    expect(mount(ExperimentPlot, { props: { figure, rows: 0 } }).text()).toContain('The plot appears here');
  });
});
