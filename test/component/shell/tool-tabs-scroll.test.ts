// @vitest-environment happy-dom
// The tool tabs share one scrolling box: each tab opens where it was left, a tab never seen at its top (before, a tab
// opened scrolled as far as the last one was: the Exercises list at its end after the Client tab's workload verdict).
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { defineComponent, h } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import ToolTabs from '../../../renderer/src/components/shell/ToolTabs.vue';
import { useUiStore } from '../../../renderer/src/stores/ui-store';

const Panel = defineComponent({ setup: () => () => h('div', { style: 'height: 5000px' }, 'panel') });
const stubs = Object.fromEntries(['EventLogView', 'FaultsPanel', 'ClientPanel', 'SettingsPanel', 'ExercisesPanel', 'ExperimentsPanel']
  .map((name) => [name, Panel]));

describe('ToolTabs', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('keeps each tab\'s scroll position; a tab not opened before starts at its top', async () => {
    const ui = useUiStore();
    ui.setActiveTab('client');
    const wrapper = mount(ToolTabs, { global: { stubs } });
    await flushPromises();
    const box = wrapper.get('.tab-panel').element as HTMLElement;
    box.scrollTop = 700;
    ui.setActiveTab('exercises');
    await flushPromises();
    expect(box.scrollTop).toBe(0);
    box.scrollTop = 40;
    ui.setActiveTab('client');
    await flushPromises();
    expect(box.scrollTop).toBe(700);
    ui.setActiveTab('exercises');
    await flushPromises();
    expect(box.scrollTop).toBe(40);
    wrapper.unmount();
  });
});
