// @vitest-environment happy-dom
// The client box tells what happened to this cluster's requests: a new cluster starts with an empty box, a request
// sent to a follower shows where it went and who answered, and a cas whose expected value did not match is an
// ordinary answer, not a failure.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises } from '@vue/test-utils';
import { useCommandsStore } from '../../../renderer/src/stores/commands-store';
import { fakeLab, okResult } from '../shell/lab-fixtures';
import { mountConsole } from './mount-console';

describe('the client box is honest', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('a new cluster clears the old cluster\'s answer; request numbers keep counting', async () => {
    const lab = fakeLab();
    const wrapper = await mountConsole(lab);
    await wrapper.get('[data-testid="client-put"]').trigger('click');
    await flushPromises();
    const result = wrapper.get('[data-testid="client-result"]');
    expect(result.text()).toBe('ok');
    expect(result.attributes('data-request')).toBe('1');

    await useCommandsStore().startCluster({ nodeCount: 3 });
    await flushPromises();
    expect(result.text()).toBe('');
    expect(wrapper.get('[data-testid="client-detail"]').text()).not.toMatch(/served by/);
    expect(result.attributes('data-request')).toBe('1');
    expect(result.attributes('data-state')).toBe('done');

    await wrapper.get('[data-testid="client-put"]').trigger('click');
    await flushPromises();
    expect(result.attributes('data-request')).toBe('2');
    expect(result.text()).toBe('ok');
  });

  it('a put sent to a follower says where it was sent and which leader answered', async () => {
    const lab = fakeLab();
    lab.api.clientRequest.mockResolvedValueOnce(okResult({ servedBy: 2, index: 4 }));
    const wrapper = await mountConsole(lab);
    await wrapper.get('[data-testid="client-node"]').setValue('1');
    await wrapper.get('[data-testid="client-put"]').trigger('click');
    await flushPromises();
    const detail = wrapper.get('[data-testid="client-detail"]').text();
    expect(detail).toContain('sent to S1, answered by leader S2');
    expect(detail).not.toContain('served by S2');
  });

  it('a cas whose expected value did not match is a normal, neutral answer', async () => {
    const lab = fakeLab();
    lab.api.clientRequest.mockResolvedValueOnce({ status: 'fail', value: 'X', servedBy: 1, latencyMs: 2, index: 5,
      error: 'cas failed: the value is "X", not "Y"' });
    const wrapper = await mountConsole(lab);
    await wrapper.get('[data-testid="client-expected"]').setValue('Y');
    await wrapper.get('[data-testid="client-cas"]').trigger('click');
    await flushPromises();
    const result = wrapper.get('[data-testid="client-result"]');
    expect(result.text()).toBe('not applied: the value was "X", not "Y"');
    expect(result.classes()).not.toContain('fail');
    expect(result.classes()).not.toContain('bad');
    expect(wrapper.get('[data-testid="client-detail"]').text()).not.toMatch(/^fail/);
  });
});
