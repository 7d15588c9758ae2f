// Renders only the rows in view of a fixed-row-height list that grows at the bottom.
//
// The list is a `flex-direction: column-reverse` scroll container: its scroll origin is the bottom (scrollTop 0 at the
// end, negative above), so while the reader is at the bottom the browser keeps new rows in view by itself, with no
// scroll writes and no forced layouts at 2,000 events/s. A reader who scrolled up is kept on the same rows by
// shifting the scroll by the rows added below.
import { computed, onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue';

const OVERSCAN_ROWS = 8;
const FALLBACK_HEIGHT_PX = 440;

export function useVirtualRows(viewport: Ref<HTMLElement | null>, rowCount: Ref<number>, appendedTotal: Ref<number>,
  rowHeightPx: number) {
  const offsetFromBottomPx = ref(0);
  const heightPx = ref(FALLBACK_HEIGHT_PX);

  const totalHeightPx = computed(() => rowCount.value * rowHeightPx);
  const atBottom = computed(() => offsetFromBottomPx.value < rowHeightPx);
  const range = computed(() => {
    const bottomPx = Math.max(0, totalHeightPx.value - offsetFromBottomPx.value);
    const topPx = bottomPx - heightPx.value;
    return {
      start: Math.max(0, Math.floor(topPx / rowHeightPx) - OVERSCAN_ROWS),
      end: Math.min(rowCount.value, Math.ceil(bottomPx / rowHeightPx) + OVERSCAN_ROWS),
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
    const rowTopPx = row * rowHeightPx;
    const viewBottomPx = totalHeightPx.value - offsetFromBottomPx.value;
    if (rowTopPx >= viewBottomPx - heightPx.value && rowTopPx + rowHeightPx <= viewBottomPx) return;
    setOffsetFromBottom(totalHeightPx.value - rowTopPx - heightPx.value / 2);
  }

  function scrollToBottom(): void {
    setOffsetFromBottom(0);
  }

  // Rows added below a reader who scrolled up would push what they read upwards: follow it.
  watch(appendedTotal, (now, before) => {
    if (!atBottom.value && now > before) setOffsetFromBottom(offsetFromBottomPx.value + (now - before) * rowHeightPx);
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

  return { range, totalHeightPx, atBottom, onScroll, scrollToRow, scrollToBottom };
}
