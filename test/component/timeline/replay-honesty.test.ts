// @vitest-environment happy-dom
// A replay tells the truth about itself: loading one over a running cluster asks first, it opens at its first event,
// and the header and the server list show the recorded moment, not the live lab behind it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import SessionControls from '../../../renderer/src/components/timeline/SessionControls.vue';
import ConfirmDialog from '../../../renderer/src/components/shell/ConfirmDialog.vue';
import { withConfirmDialog } from '../shell/with-confirm-dialog';
import AppHeader from '../../../renderer/src/components/shell/AppHeader.vue';
import NodeControls from '../../../renderer/src/components/faults/NodeControls.vue';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { EventStream, snapshotOf } from '../model/event-builders';
import { fakeLabApi } from '../model/fake-lab-api';

async function pickFile(input: HTMLInputElement, text: string): Promise<void> {
  const file = new File([text], 'session.ndjson', { type: 'application/x-ndjson' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  input.dispatchEvent(new Event('change'));
  await flushPromises();
}

/** A recording of a 3-server cluster in which S2 crashed (at `crashSeq`) and was restarted later. */
async function recordingWithCrash(): Promise<{ text: string; crashSeq: number }> {
  setActivePinia(createPinia());
  const stream = new EventStream().startCluster(3, 1);
  const crash = stream.status(2, 'crashed', 'SIGKILL');
  stream.wait(500).status(2, 'running', 'restarted');
  const store = useLabStore();
  await store.attach(fakeLabApi(snapshotOf(), stream.events).api);
  const text = store.saveSession();
  store.detach();
  return { text, crashSeq: crash.seq };
}

/** The live lab: 3 servers, all running. */
async function liveRunningLab(): Promise<EventStream> {
  setActivePinia(createPinia());
  const stream = new EventStream().startCluster(3, 1);
  await useLabStore().attach(fakeLabApi(snapshotOf(), stream.events).api);
  return stream;
}

const SessionHost = withConfirmDialog(SessionControls, ConfirmDialog);

describe('a replay is honest about itself', () => {
  let recording = '';
  let crashSeq = 0;
  beforeEach(async () => { ({ text: recording, crashSeq } = await recordingWithCrash()); });
  afterEach(() => { document.body.innerHTML = ''; });

  it('loading a session over a running cluster asks first; cancelling keeps the live view', async () => {
    await liveRunningLab();
    const store = useLabStore();
    const wrapper = mount(SessionHost, { attachTo: document.body });
    const input = wrapper.get('[data-testid="load-session"]').element as HTMLInputElement;
    await pickFile(input, recording);
    expect(wrapper.find('[data-testid="confirm-dialog"]').exists()).toBe(true);
    expect(store.isReplay).toBe(false);
    await wrapper.get('[data-testid="confirm-cancel"]').trigger('click');
    await flushPromises();
    expect(store.isReplay).toBe(false);

    await pickFile(input, recording);
    await wrapper.get('[data-testid="confirm-accept"]').trigger('click');
    await flushPromises();
    expect(store.isReplay).toBe(true);
    wrapper.unmount();
  });

  it('opens at the first recorded event, not before it', async () => {
    await liveRunningLab();
    const store = useLabStore();
    store.loadSession(recording);
    const first = store.history.events[0]?.seq;
    expect(first).toBeDefined();
    expect(store.cursorSeq).toBe(first);
    expect(store.cursorSeq).toBeGreaterThanOrEqual(0);
  });

  it('the header and the server list show the replayed moment', async () => {
    await liveRunningLab();
    const store = useLabStore();
    const header = mount(AppHeader);
    const controls = mount(NodeControls);
    expect(header.get('[data-testid="cluster-phase"]').text()).toBe('running');
    store.loadSession(recording);
    store.setCursor({ mode: 'at', seq: crashSeq });
    await flushPromises();
    expect(header.get('[data-testid="cluster-phase"]').text()).toMatch(/replay/);
    expect(controls.get('[data-testid="server-controls"]').text()).toMatch(/S2\s*crashed/);
    expect(controls.get('[data-testid="crash-1"]').attributes('disabled')).toBeDefined();
    header.unmount();
    controls.unmount();
  });
});
