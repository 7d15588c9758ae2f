// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
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
import { fakeLab, nodeView, snapshot } from '../shell/lab-fixtures';

describe('settings rules', () => {
  it('refuses an inverted election timeout range and an out-of-range node count', () => {
    expect(settingsErrors({ ...DEFAULT_SETTINGS, electionTimeoutMs: [300, 150] })).toHaveLength(1);
    expect(settingsErrors({ ...DEFAULT_SETTINGS, nodeCount: 10 })[0]).toMatch(/1 to 9/);
    expect(settingsErrors(DEFAULT_SETTINGS)).toEqual([]);
    expect(settingsErrors({ ...DEFAULT_SETTINGS, membershipMode: 'joint' })).toEqual([]);
    // A value stored by hand (local storage) that is no mode: refused, so the defaults apply.
    expect(settingsErrors({ ...DEFAULT_SETTINGS, membershipMode: 'all-at-once' as 'joint' })[0]).toMatch(/joint consensus/);
  });

  it('accepts a fixed election timeout (min == max, Figure 16\'s 150-150 ms) and warns what it does', () => {
    const fixed = { ...DEFAULT_SETTINGS, electionTimeoutMs: [150, 150] as const, heartbeatMs: 50 };
    expect(settingsErrors(fixed)).toEqual([]);
    expect(settingsWarnings(fixed).join(' ')).toMatch(/fixed election timeout \(150–150 ms\).*split votes/);
    expect(settingsWarnings({ ...fixed, electionTimeoutMs: [150, 300] }).join(' ')).not.toMatch(/fixed/);
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

  it('starts the next cluster with joint consensus when chosen (paper §6), kept for the next reload; a student\'s own Raft cannot choose', async () => {
    window.localStorage.clear();
    const lab = fakeLab();
    useCommandsStore().attach(lab.api);
    await useLabStore().attach(lab.api);
    const wrapper = mount(SettingsPanel);
    const mode = wrapper.get<HTMLSelectElement>('[data-testid="membership-mode"]');
    expect(mode.element.value).toBe('single-server');
    await mode.setValue('joint');
    await wrapper.get('[data-testid="apply-settings"]').trigger('click');
    await flushPromises();
    useConfirmStore().answer(true);
    await flushPromises();
    expect(lab.api.startCluster).toHaveBeenCalledWith(expect.objectContaining({ membershipMode: 'joint' }));
    setActivePinia(createPinia());
    expect(useUiStore().settingsDraft.membershipMode, 'after a reload').toBe('joint');
    await wrapper.get('[data-testid="implementation-example"]').setValue(true);
    expect(wrapper.get('[data-testid="membership-mode"]').attributes('disabled')).toBeDefined();
  });

  it('starts a cluster with a fixed election timeout (min == max)', async () => {
    const lab = fakeLab();
    useCommandsStore().attach(lab.api);
    await useLabStore().attach(lab.api);
    const wrapper = mount(SettingsPanel);
    await wrapper.get('[data-testid="election-min"]').setValue('150');
    await wrapper.get('[data-testid="election-max"]').setValue('150');
    expect(wrapper.get('[data-testid="apply-settings"]').attributes('disabled')).toBeUndefined();
    expect(wrapper.text()).toMatch(/fixed election timeout/);
    await wrapper.get('[data-testid="apply-settings"]').trigger('click');
    await flushPromises();
    useConfirmStore().answer(true);
    await flushPromises();
    expect(lab.api.startCluster).toHaveBeenCalledWith(expect.objectContaining({ electionTimeoutMs: [150, 150] }));
  });

  it('keeps planted bugs behind instructor mode, off by default, in a collapsed section that names what each breaks', async () => {
    window.localStorage.clear();
    const wrapper = mount(SettingsPanel);
    expect(wrapper.find('[data-testid="instructor-section"]').exists()).toBe(false);
    expect(wrapper.text()).not.toContain(PLANTED_BUGS['vote-not-persisted'].title);
    await wrapper.get('[data-testid="instructor-mode"]').setValue(true);
    const section = wrapper.get('[data-testid="instructor-section"]');
    expect(section.attributes('open')).toBeUndefined();
    expect(section.text()).toContain(PLANTED_BUGS['vote-not-persisted'].title);
    expect(section.text()).toContain(PLANTED_BUGS['vote-not-persisted'].breaks);
    await wrapper.get('[data-testid="bug-double-vote"]').setValue(true);
    expect(useUiStore().settingsDraft.bugs).toEqual(['double-vote']);
    // Leaving instructor mode: what is started next is correct Raft.
    await wrapper.get('[data-testid="instructor-mode"]').setValue(false);
    expect(useUiStore().settingsDraft.bugs).toEqual([]);
  });

  it('seals a running cluster\'s bugs from students, and names them to an instructor after a reload', async () => {
    window.localStorage.clear();
    const lab = fakeLab(snapshot([nodeView(1), nodeView(2), nodeView(3)], { settings: { ...DEFAULT_SETTINGS, nodeCount: 3, bugs: ['double-vote'] } }));
    useCommandsStore().attach(lab.api);
    await useLabStore().attach(lab.api);
    await flushPromises();
    const student = mount(SettingsPanel);
    expect(student.get('[data-testid="modified-raft-note"]').text()).toContain('modified Raft');
    expect(student.text()).not.toContain(PLANTED_BUGS['double-vote'].title);
    expect(student.text()).not.toContain('double-vote');
    await student.get('[data-testid="instructor-mode"]').setValue(true);
    student.unmount();

    setActivePinia(createPinia()); // a reload: the mode is remembered, the running bugs come from the lab
    useCommandsStore().attach(lab.api);
    await useLabStore().attach(lab.api);
    await flushPromises();
    const instructor = mount(SettingsPanel);
    expect(instructor.get('[data-testid="running-bugs"]').text()).toContain(PLANTED_BUGS['double-vote'].title);
    expect(instructor.find('[data-testid="modified-raft-note"]').exists()).toBe(false);
  });
});

describe('SettingsPanel: my own executable', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('in the desktop app, "Choose…" fills the path from the native dialog, and the next start runs it', async () => {
    const chooseExecutable = vi.fn(async () => ({ chosen: true as const, path: '/home/student/raft/my-raft' }));
    (window as unknown as { raftLab?: unknown }).raftLab = { chooseExecutable };
    try {
      const lab = fakeLab();
      useCommandsStore().attach(lab.api);
      await useLabStore().attach(lab.api);
      const wrapper = mount(SettingsPanel);
      await wrapper.get('[data-testid="implementation-executable"]').setValue(true);
      await wrapper.get('[data-testid="implementation-choose"]').trigger('click');
      await flushPromises();
      expect(chooseExecutable).toHaveBeenCalledTimes(1);
      expect((wrapper.get('[data-testid="implementation-bin"]').element as HTMLInputElement).value).toBe('/home/student/raft/my-raft');
      await wrapper.get('[data-testid="apply-settings"]').trigger('click');
      await flushPromises();
      useConfirmStore().answer(true);
      await flushPromises();
      expect(lab.api.startCluster).toHaveBeenCalledWith(expect.objectContaining({
        implementation: { kind: 'executable', bin: '/home/student/raft/my-raft', args: [] } }));
      // Cancelled: the path stays as it was.
      chooseExecutable.mockResolvedValueOnce({ chosen: false } as never);
      await wrapper.get('[data-testid="implementation-choose"]').trigger('click');
      await flushPromises();
      expect((wrapper.get('[data-testid="implementation-bin"]').element as HTMLInputElement).value).toBe('/home/student/raft/my-raft');
    } finally {
      delete (window as unknown as { raftLab?: unknown }).raftLab;
    }
  });

  it('in web mode there is no dialog: the path is typed', async () => {
    const wrapper = mount(SettingsPanel);
    await wrapper.get('[data-testid="implementation-executable"]').setValue(true);
    expect(wrapper.find('[data-testid="implementation-choose"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="implementation-bin"]').exists()).toBe(true);
  });
});
