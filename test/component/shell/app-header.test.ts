// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import AppHeader from '../../../renderer/src/components/shell/AppHeader.vue';
import { useCommandsStore } from '../../../renderer/src/stores/commands-store';
import { fakeLab, nodeView, snapshot } from './lab-fixtures';

describe('the header\'s cluster size', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('a size typed before the lab\'s settings arrive is kept, and is the size started', async () => {
    let settingsArrive: () => void = () => undefined;
    const lab = fakeLab(snapshot([nodeView(1), nodeView(2), nodeView(3)]));
    const threeNodes = snapshot([nodeView(1), nodeView(2), nodeView(3)]);
    lab.api.getSnapshot.mockImplementationOnce(() => new Promise((resolve) => { settingsArrive = () => resolve(threeNodes); }));
    const wrapper = mount(AppHeader);
    useCommandsStore().attach(lab.api);
    await wrapper.get('[data-testid="cluster-size"]').setValue(5);
    settingsArrive(); // the lab answers late: it runs 3 servers
    await flushPromises();
    expect((wrapper.get('[data-testid="cluster-size"]').element as HTMLInputElement).value).toBe('5');
    await wrapper.get('[data-testid="start-cluster"]').trigger('click');
    await flushPromises();
    expect(lab.api.startCluster).toHaveBeenCalledWith(expect.objectContaining({ nodeCount: 5 }));
    wrapper.unmount();
  });

  it('follows the lab\'s settings while nothing was typed', async () => {
    const lab = fakeLab(snapshot([1, 2, 3, 4, 5, 6, 7].map((id) => nodeView(id))));
    const wrapper = mount(AppHeader);
    useCommandsStore().attach(lab.api);
    await flushPromises();
    expect((wrapper.get('[data-testid="cluster-size"]').element as HTMLInputElement).value).toBe('7');
    wrapper.unmount();
  });
});
