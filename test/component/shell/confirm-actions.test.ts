// @vitest-environment happy-dom
// Wiping a running cluster asks first, in the page (never window.confirm): the header's New cluster, Enter in the size
// field. Starting when nothing runs does not ask.
import { describe, expect, it } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import AppHeader from '../../../renderer/src/components/shell/AppHeader.vue';
import { confirmPage } from './confirm-page';
import { fakeLab, nodeView, snapshot, type FakeLab } from './lab-fixtures';

const running = (): FakeLab => fakeLab(snapshot([nodeView(1), nodeView(2), nodeView(3)]));
const stopped = (): FakeLab => fakeLab(snapshot([], { phase: 'stopped' }));

describe('destructive actions ask in the page', () => {
  const page = confirmPage(AppHeader);
  const mounted = page.mount;

  it('"New cluster" on a running cluster asks; cancel keeps it, accept starts the new one', async () => {
    const lab = running();
    const wrapper = await mounted(lab);
    const button = wrapper.get('[data-testid="start-cluster"]');
    expect(button.text()).toBe('New cluster');
    await button.trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="confirm-dialog"]').text()).toMatch(/wipes|stops/i);
    expect(lab.api.startCluster).not.toHaveBeenCalled();
    await wrapper.get('[data-testid="confirm-cancel"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="confirm-dialog"]').exists()).toBe(false);
    expect(lab.api.startCluster).not.toHaveBeenCalled();

    await button.trigger('click');
    await flushPromises();
    await wrapper.get('[data-testid="confirm-accept"]').trigger('click');
    await flushPromises();
    expect(lab.api.startCluster).toHaveBeenCalledTimes(1);
    expect(page.nativeConfirm()).not.toHaveBeenCalled();
    wrapper.unmount();
  });

  it('Enter in the size field does not wipe a running cluster silently', async () => {
    const lab = running();
    const wrapper = await mounted(lab);
    const size = wrapper.get('[data-testid="cluster-size"]');
    await size.setValue(5);
    await size.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(lab.api.startCluster).not.toHaveBeenCalled();
    expect(wrapper.find('[data-testid="confirm-dialog"]').exists()).toBe(true);
    await wrapper.get('[data-testid="confirm-accept"]').trigger('click');
    await flushPromises();
    expect(lab.api.startCluster).toHaveBeenCalledWith(expect.objectContaining({ nodeCount: 5 }));
    wrapper.unmount();
  });

  it('Esc in the dialog cancels', async () => {
    const lab = running();
    const wrapper = await mounted(lab);
    await wrapper.get('[data-testid="start-cluster"]').trigger('click');
    await flushPromises();
    await wrapper.get('[data-testid="confirm-cancel"]').trigger('keydown', { key: 'Escape' });
    await flushPromises();
    expect(wrapper.find('[data-testid="confirm-dialog"]').exists()).toBe(false);
    expect(lab.api.startCluster).not.toHaveBeenCalled();
    wrapper.unmount();
  });

  it('"Start" when no cluster runs starts at once', async () => {
    const lab = stopped();
    const wrapper = await mounted(lab);
    const button = wrapper.get('[data-testid="start-cluster"]');
    expect(button.text()).toBe('Start');
    await button.trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="confirm-dialog"]').exists()).toBe(false);
    expect(lab.api.startCluster).toHaveBeenCalledTimes(1);
    wrapper.unmount();
  });
});

describe('the size field\'s limit', () => {
  const mounted = confirmPage(AppHeader).mount;

  it('12 servers says the limit instead of starting 9', async () => {
    const lab = stopped();
    const wrapper = await mounted(lab);
    await wrapper.get('[data-testid="cluster-size"]').setValue(12);
    await wrapper.get('[data-testid="start-cluster"]').trigger('click');
    await flushPromises();
    expect(wrapper.text()).toContain('at most 9 servers');
    expect(lab.api.startCluster).not.toHaveBeenCalled();
    wrapper.unmount();
  });
});
