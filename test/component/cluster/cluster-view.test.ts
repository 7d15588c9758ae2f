// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import ClusterView from '../../../renderer/src/components/cluster/ClusterView.vue';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { useUiStore } from '../../../renderer/src/stores/ui-store';
import { useDemoStore } from '../../../renderer/src/stores/demo-store';
import type { Demo } from '../../../src/protocol/exercise/schema';
import type { NodeStateView } from '../../../src/protocol/events';
import { fakeLab, nodeView, snapshot } from '../shell/lab-fixtures';

const leaderState: NodeStateView = { role: 'leader', term: 3, votedFor: 1, leaderId: 1, commitIndex: 0, lastApplied: 0,
  lastLogIndex: 0, lastLogTerm: 0, electionDeadlineNs: null, progress: { 2: { nextIndex: 1, matchIndex: 0 }, 3: { nextIndex: 1, matchIndex: 0 } } };

describe('ClusterView', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('draws the lab store\'s view: a node-state event makes S1 leader, and a click shows its full state', async () => {
    const lab = fakeLab(snapshot([nodeView(1), nodeView(2), nodeView(3)], { nextSeq: 10 }));
    const store = useLabStore();
    await store.attach(lab.api);
    const wrapper = mount(ClusterView);
    lab.emit([{ seq: 10, atNs: 2e9, type: 'node-state', node: 1, state: leaderState },
      { seq: 11, atNs: 2.1e9, type: 'raft', node: 1, event: { kind: 'became-leader', node: 1, term: 3, rule: 'Figure 2, Candidates 2',
        reason: 'won the election in term 3 with votes from S1, S2', data: {} } }]);
    store.flushPending();
    await flushPromises();
    const s1 = wrapper.get('[data-testid="node-1"]');
    expect(s1.attributes()).toMatchObject({ 'data-role': 'leader', 'data-term': '3' });
    expect(s1.text()).toContain('won the election in term 3');
    await s1.trigger('click');
    expect(useUiStore().selectedNodeId).toBe(1);
    const inspector = wrapper.get('[data-testid="server-inspector"]');
    expect(inspector.text()).toContain('nextIndex');
    expect(wrapper.find('[data-testid="progress-1-3"]').exists()).toBe(true);
  });

  it('draws the servers larger, for a projector, in presentation mode and while a demo is presented', async () => {
    const lab = fakeLab(snapshot([nodeView(1), nodeView(2), nodeView(3)]));
    await useLabStore().attach(lab.api);
    const wrapper = mount(ClusterView);
    const diagramHeight = () => Number(wrapper.get('[data-testid="cluster-diagram"] svg').attributes('viewBox')?.split(' ')[3]);
    expect(diagramHeight()).toBe(560);
    const demo: Demo = { kind: 'demo', id: 'first-election', title: 'A first election', minutes: 5, cluster: { nodes: 3 },
      steps: [{ id: 'three-followers', narration: 'Three servers, no leader yet.' }] };
    useDemoStore().$patch({ current: demo });
    await flushPromises();
    // Fewer diagram units in the same box: each server and its words drawn 1.35x larger.
    expect(diagramHeight()).toBeCloseTo(560 / 1.35, 3);
    useDemoStore().$patch({ current: null });
    await flushPromises();
    expect(diagramHeight()).toBe(560);
    useUiStore().presentation = true;
    await flushPromises();
    expect(diagramHeight()).toBeCloseTo(560 / 1.35, 3);
  });

  it('says the cluster is starting while its processes come up', async () => {
    const lab = fakeLab(snapshot([], { phase: 'starting' }));
    await useLabStore().attach(lab.api);
    const wrapper = mount(ClusterView);
    expect(wrapper.get('[data-testid="cluster-state"]').text()).toMatch(/Starting \d+ node processes/);
  });
});
