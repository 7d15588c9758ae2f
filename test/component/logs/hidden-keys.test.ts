// @vitest-environment happy-dom
// useHiddenKeys: an element per key is observed while it is rendered; the browser's reports make its key hidden or
// not; a key whose element goes away is forgotten (and no longer counts as hidden). The observer is played by hand.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick, ref } from 'vue';
import { mount } from '@vue/test-utils';
import { useHiddenKeys, type HiddenKeys } from '../../../renderer/src/composables/useHiddenKeys';

class FakeIntersectionObserver {
  static latest: FakeIntersectionObserver | null = null;
  readonly targets = new Set<Element>();
  disconnected = false;
  constructor(private readonly callback: IntersectionObserverCallback) {
    FakeIntersectionObserver.latest = this;
  }
  observe(element: Element): void { this.targets.add(element); }
  unobserve(element: Element): void { this.targets.delete(element); }
  disconnect(): void { this.disconnected = true; this.targets.clear(); }
  report(element: Element, inSight: boolean): void {
    this.callback([{ target: element, isIntersecting: inSight } as IntersectionObserverEntry], this as unknown as IntersectionObserver);
  }
}

function mountList(initial: number[]) {
  const keys = ref(initial);
  let api: HiddenKeys | null = null;
  const List = defineComponent({
    setup() {
      api = useHiddenKeys();
      const hiddenKeys = api;
      return () => h('ul', keys.value.map((key) => h('li', { key, ref: hiddenKeys.bind(key), 'data-key': key })));
    },
  });
  const wrapper = mount(List, { attachTo: document.body });
  const item = (key: number): Element => wrapper.get(`[data-key="${key}"]`).element;
  return { wrapper, keys, item, hidden: () => [...api!.hidden.value].sort() };
}

describe('useHiddenKeys', () => {
  beforeEach(() => vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver));
  afterEach(() => vi.unstubAllGlobals());

  it('observes each key\'s element, follows the reports, and forgets a key whose element goes away', async () => {
    const list = mountList([1, 2, 3]);
    const observer = FakeIntersectionObserver.latest!;
    expect([...observer.targets]).toEqual([list.item(1), list.item(2), list.item(3)]);
    expect(list.hidden()).toEqual([]); // in sight until the browser says otherwise
    observer.report(list.item(2), false);
    observer.report(list.item(3), false);
    expect(list.hidden()).toEqual([2, 3]);
    observer.report(list.item(3), true);
    expect(list.hidden()).toEqual([2]);

    const gone = list.item(2);
    list.keys.value = [1, 3, 4];
    await nextTick();
    expect(observer.targets.has(gone)).toBe(false);
    expect(observer.targets.has(list.item(4))).toBe(true);
    expect(list.hidden()).toEqual([]);
    observer.report(gone, false); // a late report for an element already gone changes nothing
    expect(list.hidden()).toEqual([]);

    list.wrapper.unmount();
    expect(observer.disconnected).toBe(true);
  });

  it('counts every key in sight where there is no IntersectionObserver', () => {
    vi.stubGlobal('IntersectionObserver', undefined);
    const list = mountList([1, 2]);
    expect(list.hidden()).toEqual([]);
    list.wrapper.unmount();
  });
});
