// @vitest-environment happy-dom
// An isolated old leader still believes it leads; the lab says so instead of drawing it exactly like the real leader.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { mount } from '@vue/test-utils';
import ClusterDiagram from '../../../renderer/src/components/cluster/ClusterDiagram.vue';
import NodeInspector from '../../../renderer/src/components/cluster/NodeInspector.vue';
import { newestLeaderTerm } from '../../../renderer/src/components/cluster/node-presentation';
import { labView, nodeState } from '../shell/lab-fixtures';

const oldLeader = nodeState(1, { role: 'leader', term: 3, votedFor: 1, leaderId: 1 });
const nodes = [oldLeader, nodeState(2, { role: 'leader', term: 5, votedFor: 2, leaderId: 2 }), nodeState(3, { term: 5, votedFor: 2, leaderId: 2 })];

describe('a leader of an old term', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('is marked on its node in the diagram; the real leader is not', () => {
    const view = labView(nodes, { leaderId: 2 });
    const wrapper = mount(ClusterDiagram, { props: { view, nowNs: view.atNs, selectedNodeId: null, selectedMessageId: null } });
    const s1 = wrapper.get('[data-testid="node-1"]');
    expect(s1.attributes('data-role')).toBe('leader'); // it is one, in its own eyes
    expect(s1.classes()).toContain('stale-leader');
    expect(s1.text()).toContain('cluster in term 5');
    expect(s1.attributes('aria-label')).toContain('believes it leads term 3; the cluster is in term 5');
    const s2 = wrapper.get('[data-testid="node-2"]');
    expect(s2.classes()).not.toContain('stale-leader');
    expect(s2.text()).not.toContain('cluster in term');
  });

  it('is explained in the inspector', () => {
    const wrapper = mount(NodeInspector, { props: { node: oldLeader, clusterTerm: 5 } });
    expect(wrapper.text()).toContain('believes it leads term 3; the cluster is in term 5');
  });

  it('is not claimed when a cut-off follower only raised its own term: no newer election was won', () => {
    const leader = nodeState(1, { role: 'leader', term: 3, votedFor: 1, leaderId: 1 });
    const cutOff = nodeState(3, { role: 'candidate', term: 7, votedFor: 3, leaderId: null });
    const view = labView([leader, nodeState(2, { term: 3, votedFor: 1, leaderId: 1 }), cutOff], { leaderId: 1 });
    const wrapper = mount(ClusterDiagram, { props: { view, nowNs: view.atNs, selectedNodeId: null, selectedMessageId: null } });
    const s1 = wrapper.get('[data-testid="node-1"]');
    expect(s1.classes()).not.toContain('stale-leader');
    expect(s1.attributes('aria-label')).not.toContain('believes it leads');
    // The inspector gets the same cluster term from the view (ClusterView): no "Old leader" warning at the real leader.
    const inspector = mount(NodeInspector, { props: { node: leader, clusterTerm: newestLeaderTerm(view.nodes) } });
    expect(inspector.find('[data-testid="inspector-stale-leader"]').exists()).toBe(false);
  });
});
