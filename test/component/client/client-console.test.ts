// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises } from '@vue/test-utils';
import { clientResultText } from '../../../renderer/src/components/client/client-result';
import { fakeLab, nodeView, okResult, snapshot } from '../shell/lab-fixtures';
import { DEFAULT_SETTINGS } from '../../../src/protocol/lab-api';
import { mountConsole } from './mount-console';

describe('ClientConsole', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('puts a value and shows "ok" with latency and the server that answered', async () => {
    const lab = fakeLab();
    lab.api.clientRequest.mockResolvedValueOnce(okResult({ value: 'blue', servedBy: 2, latencyMs: 3.25, index: 7 }));
    const wrapper = await mountConsole(lab);
    await wrapper.get('[data-testid="client-key"]').setValue('colour');
    await wrapper.get('[data-testid="client-value"]').setValue('blue');
    await wrapper.get('[data-testid="client-put"]').trigger('click');
    await flushPromises();
    expect(lab.api.clientRequest).toHaveBeenCalledWith({ op: 'put', key: 'colour', value: 'blue', timeoutMs: 3000 });
    expect(wrapper.get('[data-testid="client-result"]').text()).toBe('ok');
    expect(wrapper.get('[data-testid="client-detail"]').text()).toBe('ok · 3.3 ms · served by S2 · log index 7');
  });

  it('on a student\'s own Raft (lin-kv): the default key is an integer and Delete is off, saying why', async () => {
    const lab = fakeLab(snapshot([nodeView(1), nodeView(2), nodeView(3)], { settings: { ...DEFAULT_SETTINGS, nodeCount: 3, implementation: { kind: 'example' } } }));
    lab.api.clientRequest.mockResolvedValueOnce(okResult({ value: '5' }));
    const wrapper = await mountConsole(lab);
    expect((wrapper.get('[data-testid="client-key"]').element as HTMLInputElement).value).toBe('1');
    const del = wrapper.get('[data-testid="client-delete"]');
    expect(del.attributes('disabled')).toBeDefined();
    expect(del.attributes('title')).toMatch(/lin-kv .* no delete/);
    await wrapper.get('[data-testid="client-get"]').trigger('click');
    await flushPromises();
    expect(lab.api.clientRequest).toHaveBeenLastCalledWith(expect.objectContaining({ op: 'get', key: '1' }));
  });

  it('gets a value (or "(absent)"), sending through a chosen server', async () => {
    const lab = fakeLab();
    lab.api.clientRequest.mockResolvedValueOnce(okResult({ value: 'v1' })).mockResolvedValueOnce(okResult({ value: null }));
    const wrapper = await mountConsole(lab);
    await wrapper.get('[data-testid="client-node"]').setValue('3');
    await wrapper.get('[data-testid="client-get"]').trigger('click');
    await flushPromises();
    expect(lab.api.clientRequest).toHaveBeenLastCalledWith(expect.objectContaining({ op: 'get', key: 'x', node: 3 }));
    expect(wrapper.get('[data-testid="client-result"]').text()).toBe('v1');
    await wrapper.get('[data-testid="client-get"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="client-result"]').text()).toBe('(absent)');
  });

  it('shows the error when the cluster did not answer in time, and the call error when the lab refused', async () => {
    const lab = fakeLab();
    lab.api.clientRequest
      .mockResolvedValueOnce({ status: 'unknown', value: null, servedBy: null, latencyMs: 3000, error: 'timed out after 3000 ms', index: null })
      .mockRejectedValueOnce(new Error('invalid parameters for clientRequest'));
    const wrapper = await mountConsole(lab);
    await wrapper.get('[data-testid="client-put"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="client-result"]').text()).toBe('timed out after 3000 ms');
    await wrapper.get('[data-testid="client-put"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="client-result"]').text()).toBe('invalid parameters for clientRequest');
  });

  it('cannot send while a request is outstanding (one answer per question)', async () => {
    const lab = fakeLab();
    let answer: () => void = () => undefined;
    lab.api.clientRequest.mockImplementationOnce(() => new Promise((resolve) => { answer = () => resolve(okResult()); }));
    const wrapper = await mountConsole(lab);
    await wrapper.get('[data-testid="client-put"]').trigger('click');
    expect(wrapper.get('[data-testid="client-result"]').text()).toBe('…');
    expect(wrapper.get('[data-testid="client-get"]').attributes('disabled')).toBeDefined();
    answer();
    await flushPromises();
    expect(wrapper.get('[data-testid="client-get"]').attributes('disabled')).toBeUndefined();
  });
});

describe('client result text', () => {
  const request = { op: 'cas' as const, key: 'k', from: 'a', to: 'b' };
  it('a cas that found another value says which, as an ordinary answer', () => {
    expect(clientResultText({ id: 1, request, callError: null,
      result: { status: 'fail', value: 'z', servedBy: 1, latencyMs: 1, error: 'cas failed: k is "z", not "a"', index: null } }))
      .toBe('not applied: the value was "z", not "a"');
  });
});
