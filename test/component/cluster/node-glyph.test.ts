// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import NodeGlyph from '../../../renderer/src/components/cluster/NodeGlyph.vue';
import { nodeState } from '../shell/lab-fixtures';
import type { NodeViewState } from '../../../renderer/src/model/lab-view';

function glyph(patch: Partial<NodeViewState>) {
  const wrapper = mount(NodeGlyph, { props: { node: nodeState(2, patch), position: { x: 100, y: 100 }, selected: false } });
  return { wrapper, card: wrapper.get('[data-testid="node-2"]') };
}

describe('NodeGlyph', () => {
  it('exposes role, status and term as public attributes', () => {
    const { card } = glyph({ role: 'leader', term: 7 });
    expect(card.attributes()).toMatchObject({ 'data-role': 'leader', 'data-status': 'running', 'data-term': '7' });
  });

  it('counts a pre-candidate as a follower (it has not started an election)', () => {
    const { card } = glyph({ role: 'precandidate' });
    expect(card.attributes('data-role')).toBe('follower');
    expect(card.text()).toContain('pre-candidate');
  });

  it('a crashed server is crossed out and says "crashed"; a crashed leader leads no more', () => {
    const { card } = glyph({ status: 'crashed', pid: null, role: 'leader' });
    expect(card.attributes('data-status')).toBe('crashed');
    expect(card.attributes('data-role')).toBe('follower');
    expect(card.find('.crossed').exists()).toBe(true);
    expect(card.text()).toContain('crashed');
  });

  it('a paused server carries a pause glyph and says "paused"', () => {
    const { card } = glyph({ status: 'paused' });
    expect(card.attributes('data-status')).toBe('paused');
    expect(card.find('.pause-glyph').exists()).toBe(true);
    expect(card.text()).toContain('paused');
  });

  it('a process still starting counts as running', () => {
    expect(glyph({ status: 'starting' }).card.attributes('data-status')).toBe('running');
  });

  it('shows its vote, its pid and the reason for its latest change', () => {
    const { card } = glyph({ votedFor: 3, lastEvent: { kind: 'vote-granted', node: 2, term: 4, rule: 'Figure 2',
      reason: 'granted vote to 3 in term 4: its log is at least as up-to-date as ours', data: {} } });
    expect(card.text()).toContain('voted S3');
    expect(card.text()).toMatch(/pid \d+/);
    expect(card.text()).toContain('granted vote to 3 in term 4');
  });

  it('selects itself on click and on Enter', async () => {
    const { wrapper, card } = glyph({});
    await card.trigger('click');
    await card.trigger('keydown', { key: 'Enter' });
    expect(wrapper.emitted('select')).toEqual([[2], [2]]);
  });

  it('answers a click anywhere on its circle and its words, between their lines too', () => {
    const { card } = glyph({ votedFor: 3, lastEvent: { kind: 'vote-granted', node: 2, term: 4, rule: 'Figure 2',
      reason: 'granted vote to 3 in term 4: its log is at least as up-to-date as ours', data: {} } });
    const hit = card.get('rect.hit');
    const [x, y, width, height] = ['x', 'y', 'width', 'height'].map((name) => Number(hit.attributes(name)));
    const lowest = Math.max(...card.findAll('text').map((text) => Number(text.attributes('y'))));
    // The circle (radius 40 around 100,100) and every line of words under it lie inside the one rectangle.
    expect([x, y]).toEqual([100 - (width ?? 0) / 2, 60]);
    expect((y ?? 0) + (height ?? 0)).toBeGreaterThanOrEqual(lowest);
    expect(width).toBeGreaterThanOrEqual(80);
  });
});
