// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import PartitionEditor from '../../../renderer/src/components/faults/PartitionEditor.vue';
import type { PartitionPlan } from '../../../renderer/src/components/faults/partition-presets';

function mountEditor(leaderId: number | null = 1) {
  return mount(PartitionEditor, { props: { nodeIds: [1, 2, 3, 4, 5], leaderId, disabled: false } });
}

describe('PartitionEditor', () => {
  it('moves a server by click (pick, then group) and applies the groups', async () => {
    const wrapper = mountEditor();
    await wrapper.get('[data-testid="partition-node-2"]').trigger('click');
    await wrapper.get('[data-testid="partition-group-1"]').trigger('click');
    await wrapper.get('[data-testid="partition-node-3"]').trigger('click');
    await wrapper.get('[data-testid="partition-group-1"]').trigger('click');
    expect(wrapper.get('[data-testid="partition-group-1"]').text()).toContain('S2');
    await wrapper.get('[data-testid="apply-partition"]').trigger('click');
    const plans = wrapper.emitted('apply') as [PartitionPlan][];
    expect(plans[0]?.[0]).toMatchObject({ kind: 'groups', groups: [[1, 4, 5], [2, 3]] });
  });

  it('moves a server by drag and drop', async () => {
    const wrapper = mountEditor();
    const data = new Map<string, string>();
    const dataTransfer = { setData: (type: string, value: string) => data.set(type, value), getData: (type: string) => data.get(type) ?? '' };
    await wrapper.get('[data-testid="partition-node-5"]').trigger('dragstart', { dataTransfer });
    await wrapper.get('[data-testid="partition-group-1"]').trigger('drop', { dataTransfer });
    expect(wrapper.get('[data-testid="partition-group-1"]').text()).toContain('S5');
    expect(wrapper.get('[data-testid="partition-group-0"]').text()).not.toContain('S5');
  });

  it('applies a preset and shows its groups in the editor', async () => {
    const wrapper = mountEditor(3);
    await wrapper.get('[data-testid="preset-isolate-leader"]').trigger('click');
    const plans = wrapper.emitted('apply') as [PartitionPlan][];
    expect(plans[0]?.[0]).toMatchObject({ kind: 'groups', groups: [[3], [4, 5, 1, 2]] });
    expect(wrapper.get('[data-testid="partition-group-0"]').text()).toMatch(/S3/);
    expect(wrapper.get('[data-testid="partition-group-0"]').text()).not.toMatch(/S1/);
  });
});
