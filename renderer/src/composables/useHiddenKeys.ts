// Which elements of a list are out of sight: scrolled out of their panel or past the window's edge (the observer clips
// by every scrolling ancestor). A panel whose rows each redraw with every event lets the rows nobody can see fall
// behind while the lab is busy, and brings a row up to date as it comes into sight. A key counts as in sight until the
// browser says otherwise, and always where there is no IntersectionObserver (unit tests).
import { onBeforeUnmount, shallowRef, type ShallowRef } from 'vue';

type ElementRef = (element: unknown) => void;

export interface HiddenKeys {
  /** Keys whose element is entirely out of sight. */
  readonly hidden: Readonly<ShallowRef<ReadonlySet<number>>>;
  /** The function ref for `key`'s element (`:ref="bind(key)"`); the same function every render, so Vue does not rebind it. */
  bind(key: number): ElementRef;
}

export function useHiddenKeys(): HiddenKeys {
  const hidden = shallowRef<ReadonlySet<number>>(new Set());
  const elementOf = new Map<number, Element>();
  const keyOf = new WeakMap<Element, number>();
  const binders = new Map<number, ElementRef>();

  function setHidden(key: number, isHidden: boolean): void {
    if (hidden.value.has(key) === isHidden) return;
    const next = new Set(hidden.value);
    if (isHidden) next.add(key);
    else next.delete(key);
    hidden.value = next;
  }

  const observer = typeof IntersectionObserver === 'function'
    ? new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const key = keyOf.get(entry.target);
        // An element already replaced for its key may still report once.
        if (key !== undefined && elementOf.get(key) === entry.target) setHidden(key, !entry.isIntersecting);
      }
    })
    : null;

  function bind(key: number): ElementRef {
    let binder = binders.get(key);
    if (binder) return binder;
    binder = (value: unknown) => {
      const element = value instanceof Element ? value : null;
      const old = elementOf.get(key);
      if (old === element) return;
      if (old) {
        observer?.unobserve(old);
        elementOf.delete(key);
        setHidden(key, false);
      }
      if (element) {
        elementOf.set(key, element);
        keyOf.set(element, key);
        observer?.observe(element);
      } else {
        binders.delete(key);
      }
    };
    binders.set(key, binder);
    return binder;
  }

  onBeforeUnmount(() => observer?.disconnect());
  return { hidden, bind };
}
