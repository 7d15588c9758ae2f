// @vitest-environment happy-dom
// The logs view's KV panel: a node whose restored state was too large to send says so instead of passing off the
// changes since as its whole store.
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import KvState from '../../../renderer/src/components/logs/KvState.vue';

describe('KvState', () => {
  it('shows the store, and no note, normally', () => {
    const wrapper = mount(KvState, { props: { nodeId: 2, kv: { a: '1' } } });
    expect(wrapper.text()).toContain('a=1');
    expect(wrapper.find('[data-testid="kv-too-large-2"]').exists()).toBe(false);
  });

  it('says the restored store is too large to show, and shows the changes applied since', () => {
    const wrapper = mount(KvState, { props: { nodeId: 2, kv: { c: '3' }, tooLargeAt: 100 } });
    const note = wrapper.get('[data-testid="kv-too-large-2"]');
    expect(note.text()).toContain('too large to show here');
    expect(note.text()).toContain('100');
    expect(wrapper.text()).toContain('c=3');
    expect(wrapper.text()).not.toContain('empty store');
  });
});
