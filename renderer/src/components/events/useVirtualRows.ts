// Renders only the rows in view of a fixed-row-height list that grows at the bottom; one row may be expanded (taller
// by `expanded.extraPx`, which pushes the rows after it down).
//
// The list is a `flex-direction: column-reverse` scroll container: its scroll origin is the bottom (scrollTop 0 at the
// end, negative above), so while the reader is at the bottom the browser keeps new rows in view by itself, with no
// scroll writes and no forced layouts at 2,000 events/s. A reader who scrolled up is kept on the same rows by
// shifting the scroll by the rows added below, and by the height a row gained or lost by expanding.
import { computed, onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue';

// Generous: rows are tall (three lines), and rows kept just out of view make scrolling seamless.
const OVERSCAN_ROWS = 16;
const FALLBACK_HEIGHT_PX = 440;

export interface ExpandedRow {
  readonly index: number;
  readonly extraPx: number;
}

export function useVirtualRows(viewport: Ref<HTMLElement | null>, rowCount: Ref<number>, appendedTotal: Ref<number>,
  rowHeightPx: number, expanded: Ref<ExpandedRow | null> = ref(null)) {
  const offsetFromBottomPx = ref(0);
  const heightPx = ref(FALLBACK_HEIGHT_PX);

  const extraPx = computed(() => expanded.value?.extraPx ?? 0);
  const totalHeightPx = computed(() => rowCount.value * rowHeightPx + extraPx.value);
  const atBottom = computed(() => offsetFromBottomPx.value < rowHeightPx);

  /** Top of `row` in the list, below an expanded row by its extra height. */
  function rowTopPx(row: number): number {
    const open = expanded.value;
    return row * rowHeightPx + (open !== null && row > open.index ? open.extraPx : 0);
  }

  /** The row at `px` from the top of the list. */
  function rowAtPx(px: number): number {
    const open = expanded.value;
    if (open === null || px < (open.index + 1) * rowHeightPx) return Math.floor(px / rowHeightPx);
    if (px < (open.index + 1) * rowHeightPx + open.extraPx) return open.index;
    return Math.floor((px - open.extraPx) / rowHeightPx);
  }

  const range = computed(() => {
    const bottomPx = Math.max(0, totalHeightPx.value - offsetFromBottomPx.value);
    const topPx = bottomPx - heightPx.value;
    return {
      start: Math.max(0, rowAtPx(Math.max(0, topPx)) - OVERSCAN_ROWS),
      end: Math.min(rowCount.value, rowAtPx(bottomPx) + 1 + OVERSCAN_ROWS),
    };
  });

  function onScroll(): void {
    const element = viewport.value;
    if (element) offsetFromBottomPx.value = Math.max(0, -element.scrollTop);
  }

  function setOffsetFromBottom(offsetPx: number): void {
    const element = viewport.value;
    const clamped = Math.max(0, Math.min(offsetPx, totalHeightPx.value - heightPx.value));
    offsetFromBottomPx.value = clamped;
    if (element) element.scrollTop = -clamped;
  }

  /** Scrolls so that `row` is in view (centred), unless it already is. */
  function scrollToRow(row: number): void {
    const topPx = rowTopPx(row);
    const viewBottomPx = totalHeightPx.value - offsetFromBottomPx.value;
    if (topPx >= viewBottomPx - heightPx.value && topPx + rowHeightPx <= viewBottomPx) return;
    setOffsetFromBottom(totalHeightPx.value - topPx - heightPx.value / 2);
  }

  function scrollToBottom(): void {
    setOffsetFromBottom(0);
  }

  // Rows added below a reader who scrolled up would push what they read upwards: follow it.
  watch(appendedTotal, (now, before) => {
    if (!atBottom.value && now > before) setOffsetFromBottom(offsetFromBottomPx.value + (now - before) * rowHeightPx);
  });
  // A row that opens grows downwards (the rows above stay put), except at the bottom, where it grows upwards.
  watch(extraPx, (now, before) => {
    if (!atBottom.value) setOffsetFromBottom(offsetFromBottomPx.value - (now - before));
  });

  let observer: ResizeObserver | null = null;
  onMounted(() => {
    const element = viewport.value;
    if (!element) return;
    if (element.clientHeight > 0) heightPx.value = element.clientHeight;
    if (typeof ResizeObserver === 'function') {
      observer = new ResizeObserver(() => { if (element.clientHeight > 0) heightPx.value = element.clientHeight; });
      observer.observe(element);
    }
  });
  onBeforeUnmount(() => observer?.disconnect());

  return { range, totalHeightPx, atBottom, rowTopPx, onScroll, scrollToRow, scrollToBottom };
}
