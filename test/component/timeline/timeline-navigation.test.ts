// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import TimelineView from '../../../renderer/src/components/timeline/TimelineView.vue';
import { defaultSpanNs } from '../../../renderer/src/components/timeline/useTimelineViewport';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { jumpKind } from '../../../renderer/src/model/significance';
import { DEFAULT_SETTINGS } from '../../../src/protocol/lab-api';
import { EventStream, snapshotOf } from '../model/event-builders';
import { fakeLabApi } from '../model/fake-lab-api';
import { commit, election, heartbeatRound } from '../model/raft-story';

/** Two elections a second apart with a commit and a crash between them, heartbeats all along. */
function story(): EventStream {
  const stream = new EventStream().startCluster(5, 1);
  election(stream, 1, 2);
  for (let round = 0; round < 5; round += 1) heartbeatRound(stream.wait(50), 1, 2, 5, round);
  commit(stream, 1, 2, 1);
  stream.wait(300);
  stream.fault('crash', [1], 'S1 crashed (SIGKILL)');
  stream.status(1, 'crashed');
  stream.wait(300);
  election(stream, 3, 3);
  for (let round = 5; round < 10; round += 1) heartbeatRound(stream.wait(50), 3, 3, 5, round);
  return stream;
}

/** Cluster settings as a cluster-phase event carries them (mutable tuples, as the schema infers them). */
function phaseSettings(nodeCount: number, timeScale: number) {
  return { ...DEFAULT_SETTINGS, nodeCount, timeScale, electionTimeoutMs: [150, 300] as [number, number],
    networkDelayMs: [0, 0] as [number, number], bugs: [] };
}

async function mountTimeline(stream: EventStream) {
  const store = useLabStore();
  const lab = fakeLabApi(snapshotOf(), stream.events);
  await store.attach(lab.api);
  const wrapper = mount(TimelineView, { attachTo: document.body });
  await flushPromises();
  return { wrapper, store, lab };
}

const seqsOf = (stream: EventStream, kind: 'election' | 'commit' | 'fault'): number[] =>
  stream.events.filter((event) => jumpKind(event) === kind).map((event) => event.seq);

async function click(wrapper: VueWrapper, testId: string): Promise<void> {
  await wrapper.get(`[data-testid="${testId}"]`).trigger('click');
  await flushPromises();
}

async function choose(wrapper: VueWrapper, testId: string, value: string): Promise<void> {
  const element = wrapper.get(`[data-testid="${testId}"]`);
  (element.element as HTMLInputElement | HTMLSelectElement).value = value;
  await element.trigger(element.element.tagName === 'SELECT' ? 'change' : 'input');
  await flushPromises();
}

const cursorX = (wrapper: VueWrapper): number => Number(/M([\d.]+)/.exec(wrapper.get('[data-cursor="1"]').attributes('d') ?? '')?.[1]);

describe('TimelineView: finding the moments', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('jumps to the previous and next election, commit or fault', async () => {
    const stream = story();
    const { wrapper, store } = await mountTimeline(stream);
    const elections = seqsOf(stream, 'election');
    expect(wrapper.get('[data-testid="timeline-next"]').attributes('disabled')).toBeDefined();
    await click(wrapper, 'timeline-prev');
    expect(store.cursor).toEqual({ mode: 'at', seq: elections[elections.length - 1] });
    await click(wrapper, 'timeline-prev');
    expect(store.cursorSeq).toBe(elections[elections.length - 2]);
    await click(wrapper, 'timeline-next');
    expect(store.cursorSeq).toBe(elections[elections.length - 1]);
    await choose(wrapper, 'timeline-jump-kind', 'fault');
    await click(wrapper, 'timeline-prev');
    expect(store.cursorSeq).toBe(seqsOf(stream, 'fault')[0]);
    await choose(wrapper, 'timeline-jump-kind', 'commit');
    await click(wrapper, 'timeline-prev');
    expect(store.cursorSeq).toBe(seqsOf(stream, 'commit')[0]);
    expect(wrapper.get('[data-testid="timeline-prev"]').attributes('disabled')).toBeDefined();
    await choose(wrapper, 'timeline-jump-kind', 'election');
    await click(wrapper, 'timeline-next');
    expect(store.cursorSeq).toBe(elections[elections.length - 1]);
    wrapper.unmount();
  });

  it('zooms around the cursor, not the right edge; live, the newest moment stays at the right', async () => {
    const stream = story();
    // Longer than the 4 s shown: the crash lies in the middle of the view, not at the right edge.
    for (let round = 10; round < 30; round += 1) heartbeatRound(stream.wait(150), 3, 3, 5, round);
    const { wrapper, store } = await mountTimeline(stream);
    const crash = seqsOf(stream, 'fault')[0]!;
    store.setCursor({ mode: 'at', seq: crash });
    await flushPromises();
    const before = cursorX(wrapper);
    await click(wrapper, 'timeline-zoom-in');
    await click(wrapper, 'timeline-zoom-in');
    expect(wrapper.get('.span-label').text()).toBe('1,000 ms shown');
    expect(Math.abs(cursorX(wrapper) - before)).toBeLessThan(2);
    expect(wrapper.get('[data-testid="timeline"]').attributes('data-following')).toBe('false');
    await click(wrapper, 'timeline-live');
    await click(wrapper, 'timeline-zoom-out');
    expect(wrapper.get('[data-testid="timeline"]').attributes('data-following')).toBe('true');
    wrapper.unmount();
  });

  it('opens a new cluster on a span that holds its first election, in slow motion too', async () => {
    const slow = phaseSettings(5, 10);
    const stream = new EventStream();
    stream.add({ type: 'cluster-phase', phase: 'starting', settings: slow });
    for (let id = 1; id <= 5; id += 1) stream.status(id, 'running');
    stream.wait(2500);
    election(stream, 2, 1);
    for (let round = 0; round < 20; round += 1) heartbeatRound(stream.wait(500), 2, 1, 5, round);
    const { wrapper, store, lab } = await mountTimeline(stream);
    expect(defaultSpanNs(slow)).toBe(24e9);
    expect(wrapper.get('.span-label').text()).toBe('24,000 ms shown');
    expect(wrapper.find('[data-marker="leader"]').exists()).toBe(true);
    await click(wrapper, 'timeline-zoom-in');
    expect(wrapper.get('.span-label').text()).toBe('12,000 ms shown');
    // A new cluster forgets the zoom: its own first election fits again.
    const next = new EventStream(store.lastSeq + 1, store.history.endNs + 1e6);
    next.add({ type: 'cluster-phase', phase: 'starting', settings: phaseSettings(3, 1) });
    lab.emit(next.events);
    store.flushPending();
    await flushPromises();
    expect(wrapper.get('.span-label').text()).toBe('4,000 ms shown');
    wrapper.unmount();
  });

  it('scrubs by time as well as by event', async () => {
    const stream = story();
    const { wrapper, store } = await mountTimeline(stream);
    await choose(wrapper, 'timeline-scrubber', String(seqsOf(stream, 'fault')[0]));
    expect(store.cursorSeq).toBe(seqsOf(stream, 'fault')[0]);
    await click(wrapper, 'timeline-step-forward');
    expect(store.cursorSeq).toBe(seqsOf(stream, 'fault')[0]! + 1);
    await choose(wrapper, 'timeline-scrub-mode', 'time');
    const slider = wrapper.get('[data-testid="timeline-scrubber"]');
    expect(Number(slider.attributes('max'))).toBeGreaterThan(1000);
    // 200 ms into the window: the newest event at or before that moment.
    await choose(wrapper, 'timeline-scrubber', '200');
    const at200 = store.history.seqAtTime(store.history.startNs + 200e6);
    expect(store.cursorSeq).toBe(at200);
    expect(wrapper.get('[data-testid="timeline-cursor-label"]').text()).toContain(`event ${at200}`);
    expect(wrapper.get('[data-testid="timeline-cursor-label"]').text()).toMatch(/\d+\.\d{3} s/);
    // Steps of time: a quiet stretch takes several steps, a step never goes back.
    await choose(wrapper, 'timeline-time-step', '100');
    let previous = store.cursorSeq;
    for (let i = 0; i < 10; i += 1) {
      await click(wrapper, 'timeline-step-forward');
      expect(store.cursorSeq).toBeGreaterThanOrEqual(previous);
      previous = store.cursorSeq;
    }
    expect(store.cursorSeq).toBe(store.history.seqAtTime(store.history.startNs + 1200e6));
    wrapper.unmount();
  });

  it('drops the lanes of servers a new, smaller cluster does not have', async () => {
    const stream = new EventStream().startCluster(5, 1);
    stream.wait(100);
    stream.phase('stopped');
    stream.startCluster(3, 2);
    const { wrapper } = await mountTimeline(stream);
    const html = wrapper.get('[data-testid="timeline-diagram"]').html();
    for (const lane of ['S1', 'S2', 'S3']) expect(html).toContain(`>${lane}</text>`);
    for (const gone of ['S4', 'S5']) expect(html).not.toContain(`>${gone}</text>`);
    wrapper.unmount();
  });
});
