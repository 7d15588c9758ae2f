// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import TimelineView from '../../../renderer/src/components/timeline/TimelineView.vue';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { clientOpKey } from '../../../renderer/src/model/timeline-types';
import { EventStream, appendEntries, requestVote, snapshotOf } from '../model/event-builders';
import { fakeLabApi } from '../model/fake-lab-api';

function story(): { stream: EventStream; beforeCrashSeq: number } {
  const stream = new EventStream().startCluster(3, 1);
  stream.wait(1000);
  stream.send('hb1', appendEntries(1, 2, 1));
  stream.wait(2);
  stream.receive('hb1', appendEntries(1, 2, 1));
  stream.send('ae1', appendEntries(1, 3, 1, [{ index: 1, term: 1 }]));
  stream.drop('ae1', appendEntries(1, 3, 1, [{ index: 1, term: 1 }]), 3, 'link blocked (partition, receiving side)');
  const beforeCrashSeq = stream.events[stream.events.length - 1]!.seq;
  stream.wait(5);
  stream.fault('crash', [1], 'crashed S1 (SIGKILL)');
  stream.status(1, 'crashed');
  stream.state(2, { role: 'candidate', term: 2, votedFor: 2 });
  stream.send('rv1', requestVote(2, 3, 2));
  stream.wait(1);
  stream.state(2, { role: 'leader', term: 2, votedFor: 2, leaderId: 2 });
  stream.raft(2, 'became-leader', 2);
  stream.add({ type: 'client-op', client: 4, op: 'put', key: 'x', status: 'ok', value: '1', servedBy: 2, latencyMs: 1, callNs: stream.atNs - 1e6 });
  return { stream, beforeCrashSeq };
}

async function mountTimeline() {
  const { stream, beforeCrashSeq } = story();
  const store = useLabStore();
  const lab = fakeLabApi(snapshotOf(), stream.events);
  await store.attach(lab.api);
  const wrapper = mount(TimelineView, { attachTo: document.body });
  await flushPromises();
  return { wrapper, store, stream, beforeCrashSeq, lab };
}

describe('TimelineView', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    // The theme's colours, as styles.css defines them, made recognisable.
    document.documentElement.style.setProperty('--error-fg', 'rgb(200, 0, 1)');
    document.documentElement.style.setProperty('--term-2', 'rgb(0, 2, 200)');
  });

  it('draws a lane per node, message arrows, drops, and election and crash markers', async () => {
    const { wrapper } = await mountTimeline();
    const svg = wrapper.get('[data-testid="timeline-diagram"]');
    const html = svg.html();
    for (const lane of ['S1', 'S2', 'S3']) expect(html).toContain(`>${lane}</text>`);
    expect(svg.findAll('[data-marker="leader"]')).toHaveLength(2);
    expect(svg.find('[data-marker="crash"]').text()).toContain('crashed S1 (SIGKILL)');
    // Roles in words on the bands, not only colour.
    expect(html).toMatch(/leader t1/);
    // Drawn with the theme's colours as presentation attributes (the CSP allows no style="…").
    const paths = svg.findAll('path').map((p) => p.attributes());
    expect(paths.some((a) => a['fill'] === 'url(#tl-hatch)')).toBe(true); // the candidate band
    expect(paths.some((a) => a['stroke'] === 'rgb(200, 0, 1)' && a['stroke-width'] === '1.8')).toBe(true); // the drop X
    expect(paths.some((a) => a['fill'] === 'rgb(0, 2, 200)')).toBe(true); // term 2's band
    expect(svg.findAll('[style]')).toHaveLength(0);
    wrapper.unmount();
  });

  it('scrubbing back shows the old leader to every view; Live returns', async () => {
    const { wrapper, store, beforeCrashSeq } = await mountTimeline();
    expect(store.view.leaderId).toBe(2);
    const scrubber = wrapper.get('[data-testid="timeline-scrubber"]');
    (scrubber.element as HTMLInputElement).value = String(beforeCrashSeq);
    await scrubber.trigger('input');
    expect(store.cursor).toEqual({ mode: 'at', seq: beforeCrashSeq });
    expect(store.view.leaderId).toBe(1);
    expect(wrapper.get('[data-testid="timeline-cursor-label"]').text()).toContain(`event ${beforeCrashSeq}`);
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[data-cursor="1"]').exists()).toBe(true);
    await wrapper.get('[data-testid="timeline-live"]').trigger('click');
    expect(store.cursor).toEqual({ mode: 'live' });
    expect(store.view.leaderId).toBe(2);
    wrapper.unmount();
  });

  it('clicking the diagram sets the cursor to the moment under the pointer', async () => {
    const { wrapper, store } = await mountTimeline();
    const svg = wrapper.get('[data-testid="timeline-diagram"]');
    await svg.trigger('pointerdown', { button: 0, clientX: 70, clientY: 40, pointerId: 1 });
    await svg.trigger('pointerup', { button: 0, clientX: 70, clientY: 40, pointerId: 1 });
    expect(store.cursor.mode).toBe('at');
    const early = store.cursorSeq;
    await svg.trigger('pointerdown', { button: 0, clientX: 880, clientY: 40, pointerId: 1 });
    await svg.trigger('pointerup', { button: 0, clientX: 880, clientY: 40, pointerId: 1 });
    expect(store.cursorSeq).toBeGreaterThan(early);
    wrapper.unmount();
  });

  it('dragging pans instead of moving the cursor, and zoom buttons change the span', async () => {
    const { wrapper, store } = await mountTimeline();
    const label = () => wrapper.get('.span-label').text();
    const before = label();
    for (let i = 0; i < 3; i += 1) await wrapper.get('[data-testid="timeline-zoom-in"]').trigger('click');
    expect(label()).not.toBe(before);
    expect(label()).toBe('500 ms shown');
    const svg = wrapper.get('[data-testid="timeline-diagram"]');
    await svg.trigger('pointerdown', { button: 0, clientX: 400, clientY: 40, pointerId: 1 });
    await svg.trigger('pointermove', { clientX: 500, clientY: 40, pointerId: 1 });
    await svg.trigger('pointerup', { button: 0, clientX: 500, clientY: 40, pointerId: 1 });
    expect(store.cursor).toEqual({ mode: 'live' });
    expect(wrapper.get('[data-testid="timeline"]').attributes('data-following')).toBe('false');
    wrapper.unmount();
  });

  it('highlights the operations of a linearizability violation', async () => {
    const { wrapper, store, stream } = await mountTimeline();
    const op = stream.events.find((e) => e.type === 'client-op');
    if (op?.type !== 'client-op') throw new Error('no client op');
    store.setHighlightedOpKeys([clientOpKey(op.client, op.callNs)]);
    await flushPromises();
    expect(wrapper.get('[data-testid="timeline-diagram"]').html()).toContain('client 4: put x = 1 → ok');
    wrapper.unmount();
  });

  it('while the view is paused, later events are not drawn', async () => {
    const { wrapper, store, stream, lab } = await mountTimeline();
    store.toggleViewPaused();
    const more = new EventStream(stream.events.length, stream.atNs);
    more.fault('partition', [3], 'S3 cut off');
    // Pausing keeps recording: the fault is in the history, not on the frozen diagram.
    lab.emit(more.events);
    store.flushPending();
    expect(store.lastSeq).toBe(more.events[0]!.seq);
    await flushPromises();
    expect(wrapper.find('[data-marker="partition"]').exists()).toBe(false);
    await wrapper.get('[data-testid="timeline-pause"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-marker="partition"]').exists()).toBe(true);
    wrapper.unmount();
  });
});
