// @vitest-environment happy-dom
// The header's slow-motion input sends a change to the lab once: Enter in a number input is a keydown and a change
// event both, and each used to send it (two "time runs 20x slower" notes, two lab-clock segments, for one change).
import { afterEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import TimeScaleInput from '../../../renderer/src/components/shell/TimeScaleInput.vue';
import { useCommandsStore } from '../../../renderer/src/stores/commands-store';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { fakeLab, nodeView, snapshot } from './lab-fixtures';

describe('the slow-motion input', () => {
  afterEach(() => { document.body.innerHTML = ''; });

  it('Enter and the change event that comes with it send one change', async () => {
    setActivePinia(createPinia());
    const lab = fakeLab(snapshot([nodeView(1), nodeView(2), nodeView(3)]));
    useCommandsStore().attach(lab.api);
    await useLabStore().attach(lab.api);
    await flushPromises();
    const wrapper = mount(TimeScaleInput, { attachTo: document.body });
    const input = wrapper.get('[data-testid="time-scale"]');
    await input.setValue('20'); // input + change
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(lab.api.setTimeScale).toHaveBeenCalledTimes(1);
    expect(lab.api.setTimeScale).toHaveBeenCalledWith(20);
    // A different value later is sent as it should be.
    await input.setValue('5');
    await flushPromises();
    expect(lab.api.setTimeScale).toHaveBeenCalledTimes(2);
    expect(lab.api.setTimeScale).toHaveBeenLastCalledWith(5);
    wrapper.unmount();
  });

  it('a change made again while another is on its way is sent again; an Enter after it is not', async () => {
    setActivePinia(createPinia());
    const lab = fakeLab(snapshot([nodeView(1), nodeView(2), nodeView(3)]));
    const answers: (() => void)[] = [];
    lab.api.setTimeScale.mockImplementation(() => new Promise<void>((resolve) => { answers.push(resolve); }));
    useCommandsStore().attach(lab.api);
    await useLabStore().attach(lab.api);
    await flushPromises();
    const wrapper = mount(TimeScaleInput, { attachTo: document.body });
    const input = wrapper.get('[data-testid="time-scale"]');
    await input.setValue('20');
    await input.setValue('5');
    await input.setValue('20'); // 20, 5 and 20 again: three changes, all on their way
    expect(lab.api.setTimeScale.mock.calls.map(([scale]) => scale)).toEqual([20, 5, 20]);
    answers.shift()?.(); // the first 20 is answered
    await flushPromises();
    await input.trigger('keydown', { key: 'Enter' }); // the third change's Enter: still on its way, not sent again
    expect(lab.api.setTimeScale).toHaveBeenCalledTimes(3);
    for (const answer of answers) answer();
    await flushPromises();
    wrapper.unmount();
  });
});
