// What part of time the timeline shows: a span ending at the live edge (following) or at a fixed moment after the
// user dragged, zoomed or scrubbed away from it. Until the user zooms, the span is the cluster's default (see
// defaultSpanNs): a new cluster starts from it again, so its first election is on screen.
import { computed, ref, watch, type Ref } from 'vue';
import type { ClusterSettings } from '../../../../src/protocol/lab-api';

export const DEFAULT_SPAN_NS = 4e9;
export const MIN_SPAN_NS = 1e6;
export const MAX_SPAN_NS = 600e9;
/**
 * Longest election timeouts the default span holds: a new cluster's first election (process start, a timeout, the
 * votes) fits with room to spare, in slow motion too, and heartbeats stay apart.
 */
const ELECTION_TIMEOUTS_SHOWN = 8;

/** The span a cluster with these settings opens with: 4 s in real time, longer in slow motion. */
export function defaultSpanNs(settings: Pick<ClusterSettings, 'electionTimeoutMs' | 'timeScale'>): number {
  const electionNs = ELECTION_TIMEOUTS_SHOWN * settings.electionTimeoutMs[1] * settings.timeScale * 1e6;
  return Math.min(MAX_SPAN_NS, Math.max(DEFAULT_SPAN_NS, electionNs));
}

/**
 * `defaultSpan`: the span while the user has not zoomed; `clusterKey` changes when a new cluster starts (the user's
 * zoom is then forgotten and the view follows the new cluster from its default span).
 */
export function useTimelineViewport(edgeNs: Ref<number>, startLimitNs: Ref<number>, defaultSpan: Ref<number> = ref(DEFAULT_SPAN_NS),
  clusterKey: Ref<unknown> = ref(null)) {
  const spanNs = ref(defaultSpan.value);
  const following = ref(true);
  const fixedEndNs = ref(0);
  let zoomedByUser = false;

  watch(defaultSpan, (next) => { if (!zoomedByUser) spanNs.value = next; });
  watch(clusterKey, () => {
    zoomedByUser = false;
    spanNs.value = defaultSpan.value;
    following.value = true;
  });

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

  /**
   * factor < 1 zooms in. The moment under `anchorNs` stays where it is on screen; an anchor out of view is brought to
   * the middle. Without an anchor (or one at the live edge while following) the right edge stays.
   */
  function zoom(factor: number, anchorNs: number | null = null): void {
    zoomedByUser = true;
    const nextSpan = Math.min(MAX_SPAN_NS, Math.max(MIN_SPAN_NS, spanNs.value * factor));
    if (anchorNs === null || following.value && anchorNs >= endNs.value - spanNs.value * 0.02) {
      spanNs.value = nextSpan;
      return;
    }
    const inView = anchorNs >= startNs.value && anchorNs <= endNs.value;
    const share = inView ? (endNs.value - anchorNs) / spanNs.value : 0.5;
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
