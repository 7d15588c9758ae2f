// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import { DEFAULT_SETTINGS } from '../../../src/protocol/lab-api';
import { PLANTED_BUGS } from '../../../src/raft/planted-bugs';
import SettingsPanel from '../../../renderer/src/components/settings/SettingsPanel.vue';
import { settingsErrors, settingsWarnings } from '../../../renderer/src/components/settings/settings-rules';
import { useCommandsStore } from '../../../renderer/src/stores/commands-store';
import { useConfirmStore } from '../../../renderer/src/stores/confirm-store';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { useUiStore } from '../../../renderer/src/stores/ui-store';
import { fakeLab } from '../shell/lab-fixtures';

describe('settings rules', () => {
  it('refuses an inverted election timeout range and an out-of-range node count', () => {
    expect(settingsErrors({ ...DEFAULT_SETTINGS, electionTimeoutMs: [300, 150] })).toHaveLength(1);
    expect(settingsErrors({ ...DEFAULT_SETTINGS, nodeCount: 10 })[0]).toMatch(/1 to 9/);
    expect(settingsErrors(DEFAULT_SETTINGS)).toEqual([]);
  });

  it('warns about heartbeats too slow for the election timeout and about planted bugs', () => {
    expect(settingsWarnings({ ...DEFAULT_SETTINGS, heartbeatMs: 100 })[0]).toMatch(/Heartbeats/);
    expect(settingsWarnings({ ...DEFAULT_SETTINGS, bugs: ['double-vote'] }).join(' ')).toMatch(/not correct Raft/);
  });
});

describe('SettingsPanel', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('starts the next cluster with the chosen size, timeouts and extensions', async () => {
    const lab = fakeLab();
    useCommandsStore().attach(lab.api);
    await useLabStore().attach(lab.api);
    const wrapper = mount(SettingsPanel);
    await wrapper.get('[data-testid="size-choice-5"]').trigger('click');
    await wrapper.get('[data-testid="election-min"]').setValue('500');
    await wrapper.get('[data-testid="election-max"]').setValue('900');
    await wrapper.get('[data-testid="pre-vote"]').setValue(true);
    await wrapper.get('[data-testid="apply-settings"]').trigger('click');
    await flushPromises();
    useConfirmStore().answer(true); // a cluster runs: replacing it asks first
    await flushPromises();
    expect(lab.api.startCluster).toHaveBeenCalledWith(expect.objectContaining({ nodeCount: 5, electionTimeoutMs: [500, 900], preVote: true, bugs: [] }));
  });

  it('keeps planted bugs in a collapsed instructor section that names what each breaks', async () => {
    const wrapper = mount(SettingsPanel);
    const section = wrapper.get('[data-testid="instructor-section"]');
    expect(section.attributes('open')).toBeUndefined();
    expect(section.text()).toContain(PLANTED_BUGS['vote-not-persisted'].title);
    expect(section.text()).toContain(PLANTED_BUGS['vote-not-persisted'].breaks);
    await wrapper.get('[data-testid="bug-double-vote"]').setValue(true);
    expect(useUiStore().settingsDraft.bugs).toEqual(['double-vote']);
  });
});
