// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { defineComponent, h } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import ErrorBanner from '../../../renderer/src/components/shell/ErrorBanner.vue';
import HelpOverlay from '../../../renderer/src/components/shell/HelpOverlay.vue';
import NodeControls from '../../../renderer/src/components/faults/NodeControls.vue';
import { SHORTCUTS } from '../../../renderer/src/composables/shortcuts';
import { useKeyboardShortcuts } from '../../../renderer/src/composables/useKeyboardShortcuts';
import { useCommandsStore } from '../../../renderer/src/stores/commands-store';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { useUiStore } from '../../../renderer/src/stores/ui-store';
import { fakeLab, nodeView, snapshot, type FakeLab } from './lab-fixtures';

const ShortcutHost = defineComponent({ setup() { useKeyboardShortcuts(); return () => h('div'); } });

async function attached(lab: FakeLab): Promise<void> {
  useCommandsStore().attach(lab.api);
  await useLabStore().attach(lab.api);
}

function press(key: string, target: EventTarget = window): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
}

describe('keyboard shortcuts', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('selects a server with its number and crashes, pauses and heals from the keyboard', async () => {
    const lab = fakeLab(snapshot([nodeView(1), nodeView(2), nodeView(3, { status: 'paused' })]));
    await attached(lab);
    const host = mount(ShortcutHost, { attachTo: document.body });
    press('2');
    expect(useUiStore().selectedNodeId).toBe(2);
    press('c');
    press('3');
    press('p');
    press('h');
    await flushPromises();
    expect(lab.api.crashNode).toHaveBeenCalledWith(2);
    expect(lab.api.resumeNode).toHaveBeenCalledWith(3);
    expect(lab.api.healAll).toHaveBeenCalled();
    host.unmount();
  });

  it('space pauses the cluster (v only the view), t switches theme, ? opens help, Esc closes it', async () => {
    const lab = fakeLab();
    await attached(lab);
    const host = mount(ShortcutHost, { attachTo: document.body });
    press(' ');
    await flushPromises();
    expect(lab.api.freezeCluster).toHaveBeenCalledTimes(1);
    expect(useLabStore().viewPaused).toBe(false);
    press('v');
    expect(useLabStore().viewPaused).toBe(true);
    press('v');
    const theme = useUiStore().theme;
    press('t');
    expect(useUiStore().theme).not.toBe(theme);
    press('?');
    expect(useUiStore().helpOpen).toBe(true);
    press('Escape');
    expect(useUiStore().helpOpen).toBe(false);
    host.unmount();
  });

  it('on a paused cluster, space runs it, s steps it, o times out the selected server', async () => {
    const lab = fakeLab();
    await attached(lab);
    lab.emit([{ seq: 1, atNs: 2e9, type: 'lab-clock', segment: { anchorNs: 2e9, labMs: 500, timeScale: 10, frozen: true }, networkDelayMs: [8, 15] }]);
    useLabStore().flushPending();
    const host = mount(ShortcutHost, { attachTo: document.body });
    press('s');
    await flushPromises();
    expect(lab.api.stepCluster).toHaveBeenCalledTimes(1);
    press('2');
    press('o');
    await flushPromises();
    expect(lab.api.timeoutNode).toHaveBeenCalledWith(2);
    press(' ');
    await flushPromises();
    expect(lab.api.resumeCluster).toHaveBeenCalledTimes(1);
    expect(lab.api.freezeCluster).not.toHaveBeenCalled();
    host.unmount();
  });

  it('leaves keys typed into a text field alone', async () => {
    const lab = fakeLab();
    await attached(lab);
    const host = mount(ShortcutHost, { attachTo: document.body });
    const input = document.createElement('input');
    document.body.append(input);
    press('h', input);
    await flushPromises();
    expect(lab.api.healAll).not.toHaveBeenCalled();
    input.remove();
    host.unmount();
  });

  it('the help overlay lists every shortcut', async () => {
    useUiStore().setHelpOpen(true);
    const wrapper = mount(HelpOverlay);
    for (const shortcut of SHORTCUTS) expect(wrapper.text()).toContain(shortcut.action);
  });
});

describe('NodeControls', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('offers exactly the actions that make sense for each server\'s live status', async () => {
    await attached(fakeLab(snapshot([nodeView(1), nodeView(2, { status: 'crashed', pid: null }), nodeView(3, { status: 'paused' })])));
    const wrapper = mount(NodeControls);
    const enabled = (id: string) => wrapper.get(`[data-testid="${id}"]`).attributes('disabled') === undefined;
    expect([enabled('crash-1'), enabled('restart-1'), enabled('pause-1'), enabled('resume-1'), enabled('isolate-1')]).toEqual([true, false, true, false, true]);
    expect([enabled('crash-2'), enabled('restart-2'), enabled('pause-2')]).toEqual([false, true, false]);
    expect([enabled('pause-3'), enabled('resume-3')]).toEqual([false, true]);
    expect(enabled('heal-all')).toBe(true);
  });

  it('sends the command for the clicked button', async () => {
    const lab = fakeLab();
    await attached(lab);
    const wrapper = mount(NodeControls);
    await wrapper.get('[data-testid="isolate-3"]').trigger('click');
    await wrapper.get('[data-testid="crash-2"]').trigger('click');
    await flushPromises();
    expect(lab.api.setPartition).toHaveBeenCalledWith([[3]]);
    expect(lab.api.crashNode).toHaveBeenCalledWith(2);
  });
});

describe('ErrorBanner', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('shows every error until dismissed, and a lost connection', async () => {
    const commands = useCommandsStore();
    commands.reportError('Crashing S2 failed: not implemented');
    useLabStore().linkState = 'closed';
    const wrapper = mount(ErrorBanner);
    expect(wrapper.text()).toContain('Crashing S2 failed: not implemented');
    expect(wrapper.find('[data-testid="link-lost"]').exists()).toBe(true);
    await wrapper.get('button[aria-label="Dismiss this error"]').trigger('click');
    expect(wrapper.text()).not.toContain('Crashing S2');
  });
});
