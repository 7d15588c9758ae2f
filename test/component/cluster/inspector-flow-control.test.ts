// @vitest-environment happy-dom
// The leader inspector shows each follower's flow-control state (probe / replicate / snapshot) and the AppendEntries
// in flight to it, beside nextIndex and matchIndex; a recording from before flow control shows only those two.
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import NodeInspector from '../../../renderer/src/components/cluster/NodeInspector.vue';
import { nodeState } from '../shell/lab-fixtures';

describe('the leader inspector\'s flow control', () => {
  it('shows each follower\'s state and, in replicate, its messages in flight', () => {
    const leader = nodeState(1, {
      role: 'leader', term: 2, votedFor: 1, leaderId: 1,
      progress: {
        2: { nextIndex: 9, matchIndex: 6, state: 'replicate', inflight: 2 },
        3: { nextIndex: 4, matchIndex: 0, state: 'probe', inflight: 0 },
        4: { nextIndex: 1, matchIndex: 0, state: 'snapshot', inflight: 0 },
      },
    });
    const wrapper = mount(NodeInspector, { props: { node: leader } });
    expect(wrapper.get('[data-testid="progress-state-1-2"]').text()).toBe('Replicate');
    expect(wrapper.get('[data-testid="progress-inflight-1-2"]').text()).toBe('2');
    expect(wrapper.get('[data-testid="progress-state-1-3"]').text()).toBe('Probe');
    expect(wrapper.find('[data-testid="progress-inflight-1-3"]').exists()).toBe(false); // only replicate pipelines
    expect(wrapper.get('[data-testid="progress-state-1-4"]').text()).toBe('Snapshot');
    expect(wrapper.get('[data-testid="progress-1-2"]').text().replace(/\s+/g, ' ')).toBe('S296Replicate2 in flight');
    expect(wrapper.findAll('th').map((th) => th.text())).toEqual(['peer', 'nextIndex', 'matchIndex', 'flow']);
  });

  it('leaves the columns out for a recording made before flow control', () => {
    const leader = nodeState(1, { role: 'leader', term: 2, votedFor: 1, leaderId: 1, progress: { 2: { nextIndex: 3, matchIndex: 2 } } });
    const wrapper = mount(NodeInspector, { props: { node: leader } });
    expect(wrapper.find('[data-testid="progress-state-1-2"]').exists()).toBe(false);
    expect(wrapper.findAll('th').map((th) => th.text())).toEqual(['peer', 'nextIndex', 'matchIndex']);
  });
});
