// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import EventLogView from '../../../renderer/src/components/events/EventLogView.vue';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { EventStream, snapshotOf } from '../model/event-builders';
import { fakeLabApi } from '../model/fake-lab-api';
import { RULES, commit, election, heartbeatRound } from '../model/raft-story';

/** A 5-server election, ten heartbeat rounds, a commit, a crash and a client put. */
function story(): EventStream {
  const stream = new EventStream().startCluster(5, 1);
  election(stream, 2, 2);
  for (let round = 0; round < 10; round += 1) heartbeatRound(stream, 2, 2, 5, round);
  commit(stream, 2, 2, 1);
  stream.fault('crash', [4], 'S4 crashed (SIGKILL)');
  stream.add({ type: 'client-op', client: 1, op: 'put', key: 'x', status: 'ok', value: '1', servedBy: 2, latencyMs: 3.25, callNs: stream.atNs });
  return stream;
}

async function mountLog(stream: EventStream) {
  const store = useLabStore();
  await store.attach(fakeLabApi(snapshotOf(), stream.events).api);
  const wrapper = mount(EventLogView, { attachTo: document.body });
  await flushPromises();
  return { wrapper, store };
}

const rows = (wrapper: VueWrapper) => wrapper.findAll('[data-testid="event-row"]');
const seqs = (wrapper: VueWrapper) => rows(wrapper).map((row) => Number(row.attributes('data-seq')));

async function click(wrapper: VueWrapper, testId: string): Promise<void> {
  await wrapper.get(`[data-testid="${testId}"]`).trigger('click');
  await flushPromises();
}

describe('EventLogView: the why, readable', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('hides heartbeats by default, shows them on request, and counts every event either way', async () => {
    const stream = story();
    const { wrapper } = await mountLog(stream);
    const texts = rows(wrapper).map((row) => row.text());
    expect(texts.some((text) => text.includes('heartbeat accepted'))).toBe(false);
    expect(rows(wrapper).some((row) => row.attributes('data-type') === 'message')).toBe(false);
    expect(texts.some((text) => text.includes('granted vote to S2'))).toBe(true);
    expect(wrapper.get('[data-testid="event-count"]').text()).toBe(`${stream.events.length} events`);
    const toggle = wrapper.get('[data-testid="event-show-heartbeats"]');
    (toggle.element as HTMLInputElement).checked = true;
    await toggle.trigger('change');
    await flushPromises();
    expect(rows(wrapper).some((row) => row.text().includes('heartbeat accepted'))).toBe(true);
    expect(wrapper.get('[data-testid="event-count"]').text()).toBe(`${stream.events.length} events`);
    wrapper.unmount();
  });

  it('presets by idea: elections, commits, faults, client; All goes back', async () => {
    const stream = story();
    const { wrapper } = await mountLog(stream);
    await click(wrapper, 'event-preset-elections');
    expect(wrapper.get('[data-testid="event-preset-elections"]').attributes('aria-pressed')).toBe('true');
    const election = rows(wrapper).map((row) => row.text());
    expect(election.length).toBeGreaterThan(5);
    expect(election.every((text) => /vote|term|election|leader|candidate/i.test(text))).toBe(true);
    expect(wrapper.get('[data-testid="event-count"]').text()).toBe(`${election.length} of ${stream.events.length} events`);
    await click(wrapper, 'event-preset-commits');
    expect(rows(wrapper).map((row) => row.text())).toHaveLength(5);
    expect(rows(wrapper).every((row) => row.text().includes('committed'))).toBe(true);
    await click(wrapper, 'event-preset-faults');
    expect(rows(wrapper).map((row) => row.text()).join('\n')).toContain('S4 crashed (SIGKILL)');
    await click(wrapper, 'event-preset-client');
    expect(seqs(wrapper)).toEqual([stream.events[stream.events.length - 1]!.seq]);
    for (const idea of ['replication', 'snapshots']) expect(wrapper.find(`[data-testid="event-preset-${idea}"]`).exists()).toBe(true);
    await click(wrapper, 'event-preset-all');
    expect(wrapper.get('[data-testid="event-count"]').text()).toBe(`${stream.events.length} events`);
    // The advanced filters still work beside the presets.
    const type = wrapper.get('[data-testid="event-filter-type"]');
    (type.element as HTMLSelectElement).value = 'fault';
    await type.trigger('change');
    await flushPromises();
    expect(rows(wrapper).map((row) => row.attributes('data-type'))).toEqual(['fault']);
    wrapper.unmount();
  });

  it('a row opens on click or Enter to its full words, its rule and its fields, numbers rounded', async () => {
    const stream = story();
    const { wrapper, store } = await mountLog(stream);
    const timer = stream.events.find((event) => event.type === 'raft' && event.event.kind === 'term-changed' && event.node === 2)!;
    const search = wrapper.get('[data-testid="event-search"]');
    (search.element as HTMLInputElement).value = 'election timeout';
    await search.trigger('input');
    await flushPromises();
    const row = () => wrapper.get(`[data-testid="event-row"][data-seq="${timer.seq}"]`);
    expect(row().text()).toContain('election timeout elapsed at 2453 ms');
    expect(row().text()).not.toContain('2452.607');
    expect(row().attributes('aria-expanded')).toBe('false');
    await row().trigger('click');
    await flushPromises();
    expect(store.cursor).toEqual({ mode: 'at', seq: timer.seq });
    expect(row().attributes('aria-expanded')).toBe('true');
    expect(row().text()).toContain(RULES.candidateStart);
    expect(row().get('[data-testid="event-row-fields"]').text()).toContain('term-changed');
    await row().trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(row().attributes('aria-expanded')).toBe('false');
    await row().trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(row().attributes('aria-expanded')).toBe('true');
    await click(wrapper, 'event-filter-clear');
    const client = stream.events[stream.events.length - 1]!;
    await wrapper.get(`[data-testid="event-row"][data-seq="${client.seq}"]`).trigger('click');
    await flushPromises();
    const clientRow = wrapper.get(`[data-testid="event-row"][data-seq="${client.seq}"]`);
    expect(clientRow.attributes('aria-expanded')).toBe('true');
    expect(clientRow.text()).toContain('(3.3 ms)');
    expect(clientRow.text()).toContain('latencyMs');
    expect(wrapper.findAll('[aria-expanded="true"]')).toHaveLength(1);
    wrapper.unmount();
  });

  describe('with layout', () => {
    // happy-dom lays nothing out: an open row measures 112 px (two lines more than a closed one), the others 58.
    beforeEach(() => {
      vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockImplementation(function (this: HTMLElement) {
        return this.classList.contains('open') ? 112 : 58;
      });
    });
    afterEach(() => vi.restoreAllMocks());

    it('an open row pushes the rows after it down by its height, and stays open as the range moves', async () => {
      const stream = story();
      for (let i = 0; i < 60; i += 1) stream.fault('link', [1, 2], `link S1→S2: loss ${i}%`);
      const { wrapper } = await mountLog(stream);
      const spacer = () => Number(/(\d+)px/.exec(wrapper.get('.spacer').attributes('style') ?? '')?.[1]);
      const closed = spacer();
      const newest = rows(wrapper)[rows(wrapper).length - 1]!;
      await newest.trigger('click');
      await flushPromises();
      expect(spacer()).toBe(closed + 112 - 58);
      const open = wrapper.findAll('[aria-expanded="true"]');
      expect(open).toHaveLength(1);
      expect(open[0]!.attributes('data-seq')).toBe(newest.attributes('data-seq'));
      wrapper.unmount();
    });
  });
});
