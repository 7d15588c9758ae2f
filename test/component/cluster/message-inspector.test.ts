// @vitest-environment happy-dom
// The message inspector shows a message as Figure 2 names it (no implementation counters such as readRound), and it
// closes when the cluster it belongs to stops or is replaced.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import ClusterView from '../../../renderer/src/components/cluster/ClusterView.vue';
import MessageInspector from '../../../renderer/src/components/cluster/MessageInspector.vue';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { useUiStore } from '../../../renderer/src/stores/ui-store';
import type { MessageView } from '../../../src/protocol/events';
import { EventStream, snapshotOf } from '../model/event-builders';
import { fakeLabApi } from '../model/fake-lab-api';

const heartbeat: MessageView = { type: 'AppendEntries', from: 1, to: 2, term: 3,
  fields: { prevLogIndex: 4, prevLogTerm: 3, leaderCommit: 4, readRound: 33554432, entryCount: 0 }, entries: [] };

describe('MessageInspector', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('shows Figure 2\'s fields and hides internal counters such as readRound', () => {
    const wrapper = mount(MessageInspector, { props: { entry: { id: 'm1', message: heartbeat, sentAtNs: 1e9 } } });
    const text = wrapper.text();
    expect(text).toContain('prevLogIndex');
    expect(text).toContain('leaderCommit');
    expect(text).not.toContain('readRound');
    expect(text).not.toContain('33554432');
    expect(text).not.toContain('entryCount');
  });

  it('closes, and the selection clears, when the cluster stops', async () => {
    const stream = new EventStream().startCluster(3, 1);
    stream.send('m1', heartbeat);
    const lab = fakeLabApi(snapshotOf(), stream.events);
    const store = useLabStore();
    await store.attach(lab.api);
    const wrapper = mount(ClusterView);
    store.selectMessage('m1');
    useUiStore().selectNode(2);
    await flushPromises();
    expect(wrapper.find('[data-testid="message-inspector"]').exists()).toBe(true);

    const tail = new EventStream(stream.events.length, stream.atNs + 1e6);
    tail.phase('stopping');
    for (const id of [1, 2, 3]) tail.status(id, 'stopped', 'cluster stopped');
    tail.phase('stopped');
    lab.emit(tail.events);
    store.flushPending();
    await flushPromises();
    expect(wrapper.find('[data-testid="message-inspector"]').exists()).toBe(false);
    expect(store.selectedMessageId).toBeNull();
    expect(useUiStore().selectedNodeId).toBeNull();
  });
});
