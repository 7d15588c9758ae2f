// @vitest-environment happy-dom
// The workload panel's mix shows what is sent: on a student's own Raft (lin-kv, no delete) the delete share reads 0
// and says why, and the shares sent add up to what the panel says ("sent as ...").
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import WorkloadPanel from '../../../renderer/src/components/client/WorkloadPanel.vue';
import { useCommandsStore } from '../../../renderer/src/stores/commands-store';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { DEFAULT_SETTINGS, type WorkloadSpec } from '../../../src/protocol/lab-api';
import { fakeLab, nodeView, snapshot, type FakeLab } from '../shell/lab-fixtures';

async function mountPanel(lab: FakeLab) {
  useCommandsStore().attach(lab.api);
  await useLabStore().attach(lab.api);
  const wrapper = mount(WorkloadPanel);
  await flushPromises();
  return wrapper;
}

function sentSpec(lab: FakeLab): WorkloadSpec {
  const call = lab.api.startWorkload.mock.calls.at(-1) as unknown as [WorkloadSpec] | undefined;
  if (!call) throw new Error('no workload was started');
  return call[0];
}

function total(spec: WorkloadSpec): number {
  return Object.values(spec.mix).reduce((sum: number, share) => sum + (share ?? 0), 0);
}

describe('WorkloadPanel mix', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('on a student\'s own Raft: delete shows 0 (off, saying why), no delete is sent, and the shares sent are the ones shown', async () => {
    const lab = fakeLab(snapshot([nodeView(1), nodeView(2), nodeView(3)], { settings: { ...DEFAULT_SETTINGS, nodeCount: 3, implementation: { kind: 'example' } } }));
    const wrapper = await mountPanel(lab);
    const del = wrapper.get('[data-testid="workload-mix-delete"]');
    expect((del.element as HTMLInputElement).value, 'what is sent, not the built-in default of 10').toBe('0');
    expect(del.attributes('disabled')).toBeDefined();
    expect(del.attributes('title')).toMatch(/lin-kv has no delete/);
    // get 50, put 30, cas 10 add up to 90: the panel says what runs.
    expect(wrapper.get('[data-testid="workload-mix-sent"]').text()).toBe('sent as get 56% · put 33% · cas 11%');
    await wrapper.get('[data-testid="workload-start"]').trigger('click');
    await flushPromises();
    const spec = sentSpec(lab);
    expect(Object.keys(spec.mix).sort()).toEqual(['cas', 'get', 'put']);
    expect(total(spec)).toBeCloseTo(1, 9);
    expect(spec.mix.get).toBeCloseTo(50 / 90, 9);
    expect(spec.mix.cas).toBeCloseTo(10 / 90, 9);

    await wrapper.get('[data-testid="workload-mix-cas"]').setValue(20);
    expect(wrapper.find('[data-testid="workload-mix-sent"]').exists(), 'typed shares that add up to 100 are sent as typed').toBe(false);
  });

  it('on a student\'s own Raft, a mix of only deletes is refused with why', async () => {
    const lab = fakeLab(snapshot([nodeView(1)], { settings: { ...DEFAULT_SETTINGS, nodeCount: 1, implementation: { kind: 'example' } } }));
    const wrapper = await mountPanel(lab);
    for (const op of ['get', 'put', 'cas']) await wrapper.get(`[data-testid="workload-mix-${op}"]`).setValue(0);
    await wrapper.get('[data-testid="workload-start"]').trigger('click');
    await flushPromises();
    expect(lab.api.startWorkload).not.toHaveBeenCalled();
    expect(wrapper.get('[role="alert"]').text()).toMatch(/lin-kv has no delete/);
  });

  it('on the built-in Raft: delete is on, the default mix adds up to 100 and is sent as shown', async () => {
    const lab = fakeLab(snapshot([nodeView(1), nodeView(2), nodeView(3)]));
    const wrapper = await mountPanel(lab);
    const del = wrapper.get('[data-testid="workload-mix-delete"]');
    expect(del.attributes('disabled')).toBeUndefined();
    expect((del.element as HTMLInputElement).value).toBe('10');
    expect(wrapper.find('[data-testid="workload-mix-sent"]').exists()).toBe(false);
    await wrapper.get('[data-testid="workload-start"]').trigger('click');
    await flushPromises();
    expect(sentSpec(lab).mix).toEqual({ get: 0.5, put: 0.3, cas: 0.1, delete: 0.1 });
  });
});
