// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { mount } from '@vue/test-utils';
import ClusterDiagram from '../../../renderer/src/components/cluster/ClusterDiagram.vue';
import { labView, nodeState } from '../shell/lab-fixtures';
import type { LabView } from '../../../renderer/src/model/lab-view';
import type { MessageView } from '../../../src/protocol/events';
import { messageSprites, motionTiming } from '../../../renderer/src/components/cluster/message-motion';
import { diagramFrame, laneOffset, nodePosition, pointBetween } from '../../../renderer/src/components/cluster/cluster-geometry';

const voteRequest: MessageView = { type: 'RequestVote', from: 1, to: 2, term: 2, fields: { lastLogIndex: 0, lastLogTerm: 0, preVote: false } };
const voteDenied: MessageView = { type: 'RequestVoteReply', from: 3, to: 1, term: 2, fields: { voteGranted: false, preVote: false } };

function diagram(view: LabView, nowNs = view.atNs) {
  return mount(ClusterDiagram, { props: { view, nowNs, selectedNodeId: null, selectedMessageId: null } });
}

describe('ClusterDiagram', () => {
  const nodes = [nodeState(1, { role: 'candidate', term: 2 }), nodeState(2), nodeState(3)];

  it('draws each server exactly once', () => {
    const wrapper = diagram(labView(nodes));
    for (const id of [1, 2, 3]) expect(wrapper.findAll(`[data-testid="node-${id}"]`)).toHaveLength(1);
  });

  it('draws a message in flight as a filled V, and a denied reply as a hollow V with a cross', () => {
    const view = labView(nodes, {
      inFlight: [{ id: 'm1', message: voteRequest, sentAtNs: 5e9 - 1e6 }],
      recentOutcomes: [{ id: 'm2', message: voteDenied, sentAtNs: 5e9 - 1e6, endedAtNs: 5e9 - 0.5e6, fate: 'delivered', dropReason: null }],
    });
    const wrapper = diagram(view);
    const request = wrapper.get('[data-testid="message-m1"]');
    expect(request.classes()).toEqual(expect.arrayContaining(['request', 'vote']));
    expect(request.text()).toContain('V');
    const reply = wrapper.get('[data-testid="message-m2"]');
    expect(reply.classes()).toContain('reply');
    expect(reply.find('.denied').exists()).toBe(true);
  });

  it('draws a message waiting at a server\'s rim clear of the words under that server', async () => {
    // S3 (lower left) to S1 (top): the link reaches S1 from below, through S1's words.
    const fromBelow: MessageView = { type: 'RequestVote', from: 3, to: 1, term: 2, fields: { lastLogIndex: 0, lastLogTerm: 0, preVote: false } };
    const wrapper = diagram(labView(nodes, { inFlight: [{ id: 'm1', message: fromBelow, sentAtNs: 1e9 }] }));
    await nextTick(); // the servers' words are laid out when they are drawn, after the messages' first layout
    const [x, y] = (wrapper.get('[data-testid="message-m1"]').element.parentElement?.getAttribute('transform') ?? '')
      .match(/-?[\d.]+/g)?.map(Number) ?? [];
    const frame = diagramFrame(16 / 9);
    const s1 = nodePosition(0, 3, frame);
    const s3 = nodePosition(2, 3, frame);
    const lane = laneOffset(s3, s1, 8);
    const parked = pointBetween(s3, s1, 0.9); // where a message waiting for its fate is drawn, words or not
    expect(y).toBeGreaterThan(parked.y + lane.y + 1); // moved back down its link, away from S1
    expect(x).toBeLessThan(parked.x + lane.x - 1);
  });

  it('marks a dropped message with an X and forgets a delivered one once it has arrived', () => {
    const view = labView(nodes, {
      recentOutcomes: [
        { id: 'lost', message: voteRequest, sentAtNs: 4.9e9, endedAtNs: 4.9e9, fate: 'dropped', dropReason: 'partition' },
        { id: 'old', message: voteRequest, sentAtNs: 1e9, endedAtNs: 1.001e9, fate: 'delivered', dropReason: null },
      ],
    });
    const wrapper = diagram(view);
    expect(wrapper.get('[data-testid="message-lost"]').find('.drop-x').exists()).toBe(true);
    expect(wrapper.find('[data-testid="message-old"]').exists()).toBe(false);
  });

  it('draws a partition as cut links', () => {
    const wrapper = diagram(labView(nodes, { blockedLinks: [[1, 2], [2, 1], [3, 1]] }));
    expect(wrapper.get('[data-testid="link-1-2"]').attributes('data-cut')).toBe('cut');
    expect(wrapper.get('[data-testid="link-1-3"]').attributes('data-cut')).toBe('one-way');
    expect(wrapper.get('[data-testid="link-2-3"]').attributes('data-cut')).toBe('open');
  });

  it('draws the election timer of a running server only, and moves it with the clock', async () => {
    const timed = [nodeState(1, { electionDeadlineNs: 5.2e9 }), nodeState(2, { status: 'crashed', electionDeadlineNs: 5.2e9 }),
      nodeState(3, { role: 'leader' })];
    const wrapper = diagram(labView(timed));
    expect(wrapper.findAll('.timer')).toHaveLength(1);
    const before = wrapper.get('[data-testid="timer-1"]').attributes('d');
    expect(before).toMatch(/^M /);
    await wrapper.setProps({ nowNs: 5.1e9 });
    expect(wrapper.get('[data-testid="timer-1"]').attributes('d')).not.toBe(before);
  });

  it('draws a new message in the element of one that has arrived, instead of building another', async () => {
    const sentAtNs = 5e9 - 1e6;
    const wrapper = diagram(labView(nodes, { inFlight: [{ id: 'm1', message: voteRequest, sentAtNs }] }));
    const element = wrapper.get('[data-testid="message-m1"]').element;
    await wrapper.setProps({ view: labView(nodes, { inFlight: [{ id: 'm3', message: voteRequest, sentAtNs }] }) });
    expect(wrapper.find('[data-testid="message-m1"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="message-m3"]').element).toBe(element);
  });

  it('keeps the newest message first in the page as slots are reused', async () => {
    const at = (id: string, ageMs: number) => ({ id, message: voteRequest, sentAtNs: 5e9 - ageMs * 1e6 });
    const order = (wrapper: ReturnType<typeof diagram>): (string | undefined)[] =>
      wrapper.findAll('[data-testid^="message-"]').map((found) => found.attributes('data-testid'));
    const wrapper = diagram(labView(nodes, { inFlight: [at('m1', 3), at('m2', 2)] }));
    expect(order(wrapper)).toEqual(['message-m2', 'message-m1']);
    await wrapper.setProps({ view: labView(nodes, { inFlight: [at('m2', 2), at('m3', 1)] }) });
    expect(order(wrapper)).toEqual(['message-m3', 'message-m2']);
  });

  it('draws exactly the messages of each moment, newest first, however often slots change hands', async () => {
    const appendFrom = (from: number, to: number): MessageView =>
      ({ type: 'AppendEntries', from, to, term: 2, fields: { prevLogIndex: 0, prevLogTerm: 0, leaderCommit: 0, entryCount: 0 } });
    const viewAt = (frame: number): LabView => {
      // A changing crowd: 0 to 9 messages in flight, a delivered or dropped outcome now and then, every id new for a while.
      const count = (frame * 7) % 10;
      const inFlight = Array.from({ length: count }, (_, i) => ({ id: `f${frame - i}`, message: i % 3 === 0 ? voteRequest : appendFrom(1, 2 + (i % 2)),
        sentAtNs: 5e9 - (count - i) * 1e6 }));
      const recentOutcomes = frame % 4 === 0 ? [{ id: `o${frame}`, message: voteDenied, sentAtNs: 5e9 - 2e6, endedAtNs: 5e9 - 1e6,
        fate: frame % 8 === 0 ? 'dropped' as const : 'delivered' as const, dropReason: null }] : [];
      return labView(nodes, { inFlight, recentOutcomes });
    };
    const wrapper = diagram(viewAt(0));
    for (let frame = 1; frame < 40; frame += 1) {
      const view = viewAt(frame);
      await wrapper.setProps({ view });
      const expected = messageSprites(view, view.atNs, motionTiming(view.settings));
      const drawn = wrapper.findAll('[data-testid^="message-"]');
      expect(drawn.map((glyph) => glyph.attributes('data-testid'))).toEqual(expected.map((sprite) => `message-${sprite.id}`));
      expect(drawn.map((glyph) => [glyph.attributes('data-type'), glyph.attributes('data-dropped'), glyph.attributes('display')]))
        .toEqual(expected.map((sprite) => [sprite.look.message.type, String(sprite.dropped), undefined]));
      expect(wrapper.findAll('.message-glyph').length).toBeLessThanOrEqual(10); // the most drawn at once
    }
  });

  it('emits the clicked message', async () => {
    const wrapper = diagram(labView(nodes, { inFlight: [{ id: 'm1', message: voteRequest, sentAtNs: 5e9 }] }));
    await wrapper.get('[data-testid="message-m1"]').trigger('click');
    expect(wrapper.emitted('selectMessage')).toEqual([['m1']]);
  });

  describe('its layers\' size', () => {
    afterEach(() => { vi.unstubAllGlobals(); });

    it('is the measured box in whole px, never a percentage of the panel, once measured', async () => {
      // A percentage-sized SVG is laid out again, every shape in it, whenever its panel's grid is (a caption changing).
      let report: ((entries: { contentRect: { width: number; height: number } }[]) => void) | null = null;
      vi.stubGlobal('ResizeObserver', class {
        constructor(callback: typeof report) { report = callback; }
        observe(): void {}
        disconnect(): void {}
      });
      const wrapper = diagram(labView(nodes));
      const layers = (): string[][] => wrapper.findAll('svg.layer').map((svg) => [svg.attributes('width') ?? '', svg.attributes('height') ?? '']);
      expect(layers()).toEqual([['100%', '100%'], ['100%', '100%'], ['100%', '100%']]);
      report!([{ contentRect: { width: 812.6, height: 455.4 } }]);
      await wrapper.vm.$nextTick();
      expect(layers()).toEqual([['812', '455'], ['812', '455'], ['812', '455']]);
      report!([{ contentRect: { width: 640, height: 360 } }]);
      await wrapper.vm.$nextTick();
      expect(layers()).toEqual([['640', '360'], ['640', '360'], ['640', '360']]);
    });
  });
});
