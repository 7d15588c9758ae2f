// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import NodeGlyph from '../../../renderer/src/components/cluster/NodeGlyph.vue';
import { nodeState } from '../shell/lab-fixtures';

describe('NodeGlyph: the line under a server', () => {
  it('says its latest event in a few words, not the reason cut off; the full reason stays in its title', () => {
    const reason = 'granted vote to S3 in term 4: its log (last term 3, last index 12) is at least as up-to-date as ours (3, 12)';
    const wrapper = mount(NodeGlyph, { props: { node: nodeState(2, { votedFor: 3, term: 4, lastEvent: { kind: 'vote-granted', node: 2,
      term: 4, rule: 'Figure 2 · RequestVote RPC · receiver 2', reason, data: { candidate: 3 } } }), position: { x: 100, y: 100 }, selected: false } });
    const lines = wrapper.findAll('.reason').map((line) => line.text());
    expect(lines).toEqual(['voted for S3']);
    expect(wrapper.get('title').text()).toContain(reason);
    expect(wrapper.text()).toContain('voted S3');
    expect(wrapper.text()).toContain('term 4');
  });
});
