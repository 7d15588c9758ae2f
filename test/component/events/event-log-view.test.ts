// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import EventLogView from '../../../renderer/src/components/events/EventLogView.vue';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { EventStream, appendEntries, randomStream, snapshotOf } from '../model/event-builders';
import { fakeLabApi } from '../model/fake-lab-api';

function story(): EventStream {
  const stream = new EventStream().startCluster(3, 1);
  stream.raft(2, 'vote-granted', 1, 'granted vote to S1 in term 1: its log (t0, 0) is at least as up-to-date as ours',
    'Figure 2, RequestVote RPC, receiver implementation 2');
  // AppendEntries that carry an entry: empty ones are heartbeats, which the log hides unless asked.
  stream.send('m1', appendEntries(1, 2, 1, [{ index: 1, term: 1 }]));
  stream.drop('m2', appendEntries(1, 3, 1, [{ index: 1, term: 1 }]), 1, 'link blocked (partition)');
  stream.state(3, { role: 'candidate', term: 2 });
  return stream;
}

async function mountLog(stream: EventStream) {
  const store = useLabStore();
  const lab = fakeLabApi(snapshotOf(), stream.events);
  await store.attach(lab.api);
  const wrapper = mount(EventLogView, { attachTo: document.body });
  await flushPromises();
  return { wrapper, store, lab };
}

const seqs = (wrapper: VueWrapper) => wrapper.findAll('[data-testid="event-row"]').map((row) => Number(row.attributes('data-seq')));

async function choose(wrapper: VueWrapper, testId: string, value: string): Promise<void> {
  const element = wrapper.get(`[data-testid="${testId}"]`);
  (element.element as HTMLInputElement | HTMLSelectElement).value = value;
  await element.trigger(element.element.tagName === 'SELECT' ? 'change' : 'input');
  await flushPromises();
}

describe('EventLogView', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('shows every event with its time, node, term and reason (with the Figure 2 rule)', async () => {
    const stream = story();
    const { wrapper } = await mountLog(stream);
    expect(seqs(wrapper)).toEqual(stream.events.map((e) => e.seq));
    const vote = wrapper.findAll('[data-testid="event-row"]').find((row) => row.text().includes('vote-granted'));
    expect(vote?.text()).toContain('S2');
    expect(vote?.text()).toContain('t1');
    expect(vote?.text()).toContain('granted vote to S1 in term 1');
    expect(vote?.text()).toContain('Figure 2, RequestVote RPC, receiver implementation 2');
    const drop = wrapper.findAll('[data-testid="event-row"]').find((row) => row.attributes('data-type') === 'message' && row.text().includes('dropped'));
    expect(drop?.text()).toContain('AppendEntries S1→S3 t1');
    expect(drop?.text()).toContain('link blocked (partition)');
    expect(wrapper.get('[data-testid="event-count"]').text()).toBe(`${stream.events.length} events`);
    wrapper.unmount();
  });

  it('filters by type, node and term, and searches the words', async () => {
    const stream = story();
    const { wrapper } = await mountLog(stream);
    await choose(wrapper, 'event-filter-type', 'raft');
    expect(wrapper.findAll('[data-testid="event-row"]').every((row) => row.attributes('data-type') === 'raft')).toBe(true);
    expect(seqs(wrapper)).toHaveLength(stream.events.filter((e) => e.type === 'raft').length);
    await choose(wrapper, 'event-filter-node', '2');
    expect(wrapper.findAll('[data-testid="event-row"]').map((row) => row.text())).toEqual([expect.stringContaining('vote-granted')]);
    await choose(wrapper, 'event-filter-type', '');
    await choose(wrapper, 'event-filter-node', '');
    await choose(wrapper, 'event-filter-term', '2');
    expect(seqs(wrapper)).toEqual([stream.events[stream.events.length - 1]!.seq]);
    await choose(wrapper, 'event-filter-term', '');
    await choose(wrapper, 'event-search', 'UP-TO-DATE');
    expect(seqs(wrapper)).toHaveLength(1);
    expect(wrapper.get('[data-testid="event-count"]').text()).toBe(`1 of ${stream.events.length} events`);
    await choose(wrapper, 'event-search', 'receiver implementation');
    expect(seqs(wrapper)).toHaveLength(1);
    await wrapper.get('[data-testid="event-filter-clear"]').trigger('click');
    await flushPromises();
    expect(seqs(wrapper)).toHaveLength(stream.events.length);
    wrapper.unmount();
  });

  it('clicking a row moves the cursor to that event (and selects its message)', async () => {
    const stream = story();
    const { wrapper, store } = await mountLog(stream);
    const send = stream.events.find((e) => e.type === 'message' && e.direction === 'send')!;
    await wrapper.get(`[data-testid="event-row"][data-seq="${send.seq}"]`).trigger('click');
    expect(store.cursor).toEqual({ mode: 'at', seq: send.seq });
    expect(store.selectedMessageId).toBe('m1');
    expect(store.view.seq).toBe(send.seq);
    await flushPromises();
    expect(wrapper.get(`[data-testid="event-row"][data-seq="${send.seq}"]`).classes()).toContain('current');
    wrapper.unmount();
  });

  it('renders only the rows in view of a long log, and new events as they arrive (filtered too)', async () => {
    const stream = randomStream(17, 20_000);
    const { wrapper, store, lab } = await mountLog(new EventStream());
    await choose(wrapper, 'event-filter-type', 'fault');
    lab.emit(stream.events);
    store.flushPending();
    await flushPromises();
    const faults = stream.events.filter((e) => e.type === 'fault').length;
    expect(wrapper.get('[data-testid="event-count"]').text()).toBe(`${faults.toLocaleString('en')} of ${stream.events.length.toLocaleString('en')} events`);
    await choose(wrapper, 'event-filter-type', '');
    const rendered = wrapper.findAll('[data-testid="event-row"]').length;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(60);
    wrapper.unmount();
  });

  describe('off screen', () => {
    // An IntersectionObserver that reports the log out of view until the test says otherwise.
    let report: ((visible: boolean) => void) | null = null;
    beforeEach(() => {
      vi.useFakeTimers();
      vi.stubGlobal('IntersectionObserver', class {
        constructor(private readonly callback: (entries: { isIntersecting: boolean }[]) => void) {
          report = (visible) => this.callback([{ isIntersecting: visible }]);
        }
        observe(): void { report?.(false); }
        disconnect(): void { report = null; }
      });
    });
    afterEach(() => {
      vi.unstubAllGlobals();
      vi.useRealTimers();
    });

    it('takes in new events twice a second instead of every frame, and at once when it comes into view', async () => {
      const { wrapper, store, lab } = await mountLog(story());
      const before = seqs(wrapper).length;
      const more = new EventStream(store.lastSeq + 1, store.history.endNs + 1e6);
      more.fault('crash', [1], 'crashed S1 (SIGKILL)');
      lab.emit(more.events);
      store.flushPending();
      await flushPromises();
      expect(seqs(wrapper)).toHaveLength(before);
      await vi.advanceTimersByTimeAsync(600);
      expect(seqs(wrapper)).toHaveLength(before + 1);
      const last = new EventStream(store.lastSeq + 1, store.history.endNs + 1e6);
      last.fault('restart', [1], 'restarted S1');
      lab.emit(last.events);
      store.flushPending();
      report?.(true);
      await flushPromises();
      expect(seqs(wrapper)).toHaveLength(before + 2);
      wrapper.unmount();
    });
  });
});
