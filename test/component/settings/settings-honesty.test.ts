// @vitest-environment happy-dom
// The settings a student chose are the ones the next cluster gets: they survive a reload, a running lab's slow motion
// is carried over, wiping a running cluster from the settings asks first, and an impossible size says the limit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import AppHeader from '../../../renderer/src/components/shell/AppHeader.vue';
import ConfirmDialog from '../../../renderer/src/components/shell/ConfirmDialog.vue';
import { withConfirmDialog } from '../shell/with-confirm-dialog';
import SettingsPanel from '../../../renderer/src/components/settings/SettingsPanel.vue';
import { useCommandsStore } from '../../../renderer/src/stores/commands-store';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { useUiStore } from '../../../renderer/src/stores/ui-store';
import { DEFAULT_SETTINGS } from '../../../src/protocol/lab-api';
import { fakeLab, nodeView, snapshot, type FakeLab } from '../shell/lab-fixtures';

const CHOSEN = { nodeCount: 5, electionTimeoutMs: [400, 800] as const, heartbeatMs: 80, timeScale: 20, preVote: true, checkQuorum: true };

async function attached(lab: FakeLab): Promise<void> {
  useCommandsStore().attach(lab.api);
  await useLabStore().attach(lab.api);
  await flushPromises();
}

const stoppedLab = (): FakeLab => fakeLab(snapshot([], { phase: 'stopped' }));

describe('settings are what the next start uses', () => {
  beforeEach(() => window.localStorage.clear());
  afterEach(() => { document.body.innerHTML = ''; });

  it('survive a page reload: the header shows them and Start uses them', async () => {
    setActivePinia(createPinia());
    useUiStore().patchSettingsDraft(CHOSEN);
    await flushPromises();

    setActivePinia(createPinia()); // the reload: new stores, same browser storage
    const lab = stoppedLab();
    await attached(lab);
    const header = mount(AppHeader);
    expect((header.get('[data-testid="time-scale"]').element as HTMLInputElement).value).toBe('20');
    expect((header.get('[data-testid="cluster-size"]').element as HTMLInputElement).value).toBe('5');
    await header.get('[data-testid="start-cluster"]').trigger('click');
    await flushPromises();
    expect(lab.api.startCluster).toHaveBeenCalledWith(expect.objectContaining(CHOSEN));
    header.unmount();
  });

  it('a stored value that makes no sense is ignored, not started', async () => {
    window.localStorage.setItem('raft-lab.settings', JSON.stringify({ heartbeatMs: 'fast', electionTimeoutMs: [900, 100] }));
    setActivePinia(createPinia());
    expect(useUiStore().settingsDraft.heartbeatMs).toBe(DEFAULT_SETTINGS.heartbeatMs);
    expect(useUiStore().settingsDraft.electionTimeoutMs).toEqual(DEFAULT_SETTINGS.electionTimeoutMs);
  });

  it('a running lab\'s slow motion, shown in the header, is what the next start runs at', async () => {
    setActivePinia(createPinia());
    const running = snapshot([nodeView(1), nodeView(2), nodeView(3)]);
    const lab = fakeLab({ ...running, settings: { ...running.settings, timeScale: 20 } });
    await attached(lab);
    const header = mount(withConfirmDialog(AppHeader, ConfirmDialog), { attachTo: document.body });
    await flushPromises();
    expect((header.get('[data-testid="time-scale"]').element as HTMLInputElement).value).toBe('20');
    await header.get('[data-testid="start-cluster"]').trigger('click');
    await flushPromises();
    await header.get('[data-testid="confirm-accept"]').trigger('click');
    await flushPromises();
    expect(lab.api.startCluster).toHaveBeenCalledWith(expect.objectContaining({ timeScale: 20 }));
    header.unmount();
  });
});

describe('the settings tab', () => {
  beforeEach(() => {
    window.localStorage.clear();
    setActivePinia(createPinia());
  });
  afterEach(() => { document.body.innerHTML = ''; });

  it('restarting a running cluster from the settings asks first', async () => {
    const lab = fakeLab();
    await attached(lab);
    const wrapper = mount(withConfirmDialog(SettingsPanel, ConfirmDialog), { attachTo: document.body });
    await wrapper.get('[data-testid="apply-settings"]').trigger('click');
    await flushPromises();
    expect(lab.api.startCluster).not.toHaveBeenCalled();
    await wrapper.get('[data-testid="confirm-accept"]').trigger('click');
    await flushPromises();
    expect(lab.api.startCluster).toHaveBeenCalledTimes(1);
    wrapper.unmount();
  });

  it('12 servers says the limit instead of keeping 9', async () => {
    const wrapper = mount(SettingsPanel);
    const input = wrapper.get('input[aria-label="Number of servers"]');
    (input.element as HTMLInputElement).value = '12';
    await input.trigger('change');
    expect(wrapper.text()).toContain('at most 9 servers');
    expect(useUiStore().settingsDraft.nodeCount).not.toBe(9);
    wrapper.unmount();
  });
});
