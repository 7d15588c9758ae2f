// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import SessionControls from '../../../renderer/src/components/timeline/SessionControls.vue';
import { useConfirmStore } from '../../../renderer/src/stores/confirm-store';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { EventStream, snapshotOf } from '../model/event-builders';
import { fakeLabApi } from '../model/fake-lab-api';

async function pickFile(input: HTMLInputElement, text: string): Promise<void> {
  const file = new File([text], 'session.ndjson', { type: 'application/x-ndjson' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  input.dispatchEvent(new Event('change'));
  await flushPromises();
}

describe('SessionControls', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('loads a saved session, replays it and leaves the replay', async () => {
    const stream = new EventStream().startCluster(3, 2);
    const store = useLabStore();
    await store.attach(fakeLabApi(snapshotOf(), stream.events).api);
    const text = store.saveSession();
    const wrapper = mount(SessionControls);
    expect(wrapper.find('[data-testid="replay-play"]').exists()).toBe(false);
    await pickFile(wrapper.get('[data-testid="load-session"]').element as HTMLInputElement, text);
    useConfirmStore().answer(true); // the live cluster runs: loading over it asks first
    await flushPromises();
    expect(store.isReplay).toBe(true);
    expect(wrapper.get('[data-testid="replay-badge"]').text()).toContain(`${stream.events.length} events`);
    await wrapper.get('[data-testid="replay-play"]').trigger('click');
    expect(store.replayPlaying).toBe(true);
    expect(wrapper.get('[data-testid="replay-play"]').text()).toContain('Pause');
    store.advanceReplay(1000);
    expect(store.view.leaderId).toBe(2);
    expect(store.replayPlaying).toBe(false);
    await wrapper.get('[data-testid="leave-replay"]').trigger('click');
    expect(store.isReplay).toBe(false);
  });

  it('says which line of a bad file is wrong, and stays live', async () => {
    const store = useLabStore();
    const wrapper = mount(SessionControls);
    await pickFile(wrapper.get('[data-testid="load-session"]').element as HTMLInputElement,
      '{"format":"raft-lab-session","version":1}\n');
    expect(wrapper.get('[data-testid="session-error"]').text()).toMatch(/session\.ndjson: session file, line 1: invalid header/);
    expect(store.isReplay).toBe(false);
  });
});
