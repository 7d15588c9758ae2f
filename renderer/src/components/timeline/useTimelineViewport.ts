// What part of time the timeline shows: a span ending at the live edge (following) or at a fixed moment after the
// user dragged, zoomed or scrubbed away from it.
import { computed, ref, type Ref } from 'vue';

export const DEFAULT_SPAN_NS = 4e9;
export const MIN_SPAN_NS = 1e6;
export const MAX_SPAN_NS = 600e9;

export function useTimelineViewport(edgeNs: Ref<number>, startLimitNs: Ref<number>) {
  const spanNs = ref(DEFAULT_SPAN_NS);
  const following = ref(true);
  const fixedEndNs = ref(0);

  // With less history than the span, the oldest event sits at the left edge instead of empty time before it.
  const endNs = computed(() => (following.value ? Math.max(edgeNs.value, startLimitNs.value + spanNs.value) : fixedEndNs.value));
  const startNs = computed(() => endNs.value - spanNs.value);

  function setEnd(nextEndNs: number): void {
    // Not past the newest event (then follow it), not before the oldest kept one.
    const earliestEnd = startLimitNs.value + spanNs.value * 0.1;
    if (nextEndNs >= edgeNs.value) {
      following.value = true;
      return;
    }
    following.value = false;
    fixedEndNs.value = Math.max(nextEndNs, Math.min(earliestEnd, edgeNs.value));
  }

  /** factor < 1 zooms in. The moment under `anchorNs` stays where it is on screen. */
  function zoom(factor: number, anchorNs: number | null = null): void {
    const nextSpan = Math.min(MAX_SPAN_NS, Math.max(MIN_SPAN_NS, spanNs.value * factor));
    if (anchorNs === null || following.value && anchorNs >= endNs.value - spanNs.value * 0.02) {
      spanNs.value = nextSpan;
      return;
    }
    const share = (endNs.value - anchorNs) / spanNs.value;
    spanNs.value = nextSpan;
    setEnd(anchorNs + share * nextSpan);
  }

  function pan(deltaNs: number): void {
    setEnd(endNs.value + deltaNs);
  }

  /** Bring `timeNs` into view (centred) if it is not. */
  function reveal(timeNs: number): void {
    if (timeNs >= startNs.value && timeNs <= endNs.value) return;
    setEnd(timeNs + spanNs.value / 2);
  }

  function follow(): void {
    following.value = true;
  }

  return { spanNs, following, startNs, endNs, zoom, pan, reveal, follow };
}
