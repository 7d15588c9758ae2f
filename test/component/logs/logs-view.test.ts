// @vitest-environment happy-dom
// LogsView in a busy lab: a server's row scrolled out of sight falls behind for a few seconds (hidden-rows.ts), and
// catches up at once when it comes into sight; a quiet lab keeps every row current. The browser's IntersectionObserver
// is played by hand.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import LogsView from '../../../renderer/src/components/logs/LogsView.vue';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { EventStream, snapshotOf } from '../model/event-builders';
import { fakeLabApi, type FakeLab } from '../model/fake-lab-api';
import { HIDDEN_ROW_REFRESH_MS, QUIET_MS, hiddenRowsDue } from '../../../renderer/src/components/logs/hidden-rows';

class FakeIntersectionObserver {
  static latest: FakeIntersectionObserver | null = null;
  readonly targets = new Set<Element>();
  constructor(private readonly callback: IntersectionObserverCallback) {
    FakeIntersectionObserver.latest = this;
  }
  observe(element: Element): void { this.targets.add(element); }
  unobserve(element: Element): void { this.targets.delete(element); }
  disconnect(): void { this.targets.clear(); }
  /** The browser reports that `element` scrolled into or out of sight. */
  report(element: Element, inSight: boolean): void {
    expect(this.targets.has(element)).toBe(true);
    this.callback([{ target: element, isIntersecting: inSight } as IntersectionObserverEntry], this as unknown as IntersectionObserver);
  }
}

interface Lab { readonly wrapper: VueWrapper; readonly store: ReturnType<typeof useLabStore>; readonly lab: FakeLab; readonly stream: EventStream }

async function mountLogs(): Promise<Lab> {
  const stream = new EventStream().startCluster(3, 1);
  const lab = fakeLabApi(snapshotOf({ nextSeq: stream.events.length }), stream.events);
  const store = useLabStore();
  await store.attach(lab.api);
  const wrapper = mount(LogsView, { attachTo: document.body });
  await flushPromises();
  return { wrapper, store, lab, stream };
}

/** Every server learns commitIndex `index`, and the views are told. */
async function commitEverywhere({ store, lab, stream }: Lab, index: number): Promise<void> {
  const from = stream.events.length;
  for (const node of [1, 2, 3]) stream.state(node, { commitIndex: index });
  lab.emit(stream.events.slice(from));
  store.flushPending();
  await flushPromises();
}

const shownCommit = (wrapper: VueWrapper, node: number): number => Number(wrapper.get(`[data-testid="log-row-${node}"]`).attributes('data-commit-index'));
const rowOf = (wrapper: VueWrapper, node: number): Element => wrapper.get(`[data-testid="log-row-${node}"]`).element.closest('.node-logs')!;

describe('LogsView rows out of sight', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('in a busy lab, fall behind, catch up one row per view every few seconds, and at once as they come into sight', async () => {
    const lab = await mountLogs();
    vi.spyOn(lab.store, 'isBusy').mockReturnValue(true);
    const observer = FakeIntersectionObserver.latest!;
    expect(observer.targets.size).toBe(3);
    observer.report(rowOf(lab.wrapper, 2), false);
    observer.report(rowOf(lab.wrapper, 3), false);
    await flushPromises();
    const initial = shownCommit(lab.wrapper, 2);
    const shown: { atMs: number; rows: number[] }[] = [];
    // Ten views a second for 3.5 s, as a busy lab's panels get them.
    for (let index = 1; index <= 35; index += 1) {
      await vi.advanceTimersByTimeAsync(100);
      await commitEverywhere(lab, initial + index);
      shown.push({ atMs: index * 100, rows: [1, 2, 3].map((node) => shownCommit(lab.wrapper, node)) });
    }
    expect(shown.every(({ rows }, i) => rows[0] === initial + i + 1)).toBe(true); // in sight: current
    const behind = shown.filter(({ atMs }) => atMs < HIDDEN_ROW_REFRESH_MS);
    expect(behind.every(({ rows }) => rows[1] === initial && rows[2] === initial)).toBe(true);
    // Each catches up in its own view, never both in one.
    const caughtUp = (node: number) => shown.findIndex(({ rows }) => rows[node - 1] !== initial);
    expect(caughtUp(2)).toBeGreaterThanOrEqual(behind.length);
    expect(caughtUp(3)).toBeGreaterThan(caughtUp(2));
    expect(caughtUp(3)).toBeLessThanOrEqual(behind.length + 2);

    observer.report(rowOf(lab.wrapper, 3), true);
    await flushPromises();
    expect(shownCommit(lab.wrapper, 3)).toBe(initial + 35);
    lab.wrapper.unmount();
  });

  it('in a busy lab that falls quiet, catch up within a few seconds though no new view comes', async () => {
    const lab = await mountLogs();
    vi.spyOn(lab.store, 'isBusy').mockReturnValue(true);
    const observer = FakeIntersectionObserver.latest!;
    for (const node of [2, 3]) observer.report(rowOf(lab.wrapper, node), false);
    await flushPromises();
    const initial = shownCommit(lab.wrapper, 2);
    await commitEverywhere(lab, initial + 1);
    expect([1, 2, 3].map((node) => shownCommit(lab.wrapper, node))).toEqual([initial + 1, initial, initial]);
    await vi.advanceTimersByTimeAsync(HIDDEN_ROW_REFRESH_MS);
    expect([1, 2, 3].map((node) => shownCommit(lab.wrapper, node))).toEqual([initial + 1, initial + 1, initial + 1]);
    lab.wrapper.unmount();
  });

  it('in a quiet lab, stay current', async () => {
    const lab = await mountLogs();
    vi.spyOn(lab.store, 'isBusy').mockReturnValue(false);
    FakeIntersectionObserver.latest!.report(rowOf(lab.wrapper, 2), false);
    await flushPromises();
    await commitEverywhere(lab, 1);
    await commitEverywhere(lab, 2);
    expect([1, 2, 3].map((node) => shownCommit(lab.wrapper, node))).toEqual([2, 2, 2]);
    lab.wrapper.unmount();
  });
});

describe('hiddenRowsDue', () => {
  const refreshed = new Map([[4, 0], [5, 0], [6, 2000]]);
  it('while views keep coming: the row longest behind, once it is HIDDEN_ROW_REFRESH_MS behind', () => {
    expect([...hiddenRowsDue(new Set([4, 5, 6]), refreshed, HIDDEN_ROW_REFRESH_MS - 1, HIDDEN_ROW_REFRESH_MS - 50)]).toEqual([]);
    expect([...hiddenRowsDue(new Set([4, 5, 6]), refreshed, HIDDEN_ROW_REFRESH_MS, HIDDEN_ROW_REFRESH_MS - 50)]).toEqual([4]);
    expect([...hiddenRowsDue(new Set([5, 6]), new Map([[5, 100], [6, 50]]), 4000, 3990)]).toEqual([6]);
    expect([...hiddenRowsDue(new Set([7]), refreshed, 10, 0)]).toEqual([7]); // never drawn
  });
  it('once the lab has fallen quiet: every row out of sight', () => {
    expect([...hiddenRowsDue(new Set([4, 5, 6]), refreshed, 2100, 2100 - QUIET_MS)].sort()).toEqual([4, 5, 6]);
  });
});
