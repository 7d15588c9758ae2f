// The events the log shows, kept incrementally: a new frame scans only the events it added, a trim drops from the
// front; only a change of filter (or of the history shown) scans the whole window again.
import { markRaw, onScopeDispose, ref, shallowRef, triggerRef, watch, type Ref } from 'vue';
import type { LabEvent } from '../../../../src/protocol/events';
import { eventMatcher, type EventFilter } from './event-filter';

/** While the log is off screen, new events are scanned this often, not every frame (in one go when it comes back). */
const OFF_SCREEN_REFRESH_MS = 500;

/** `active` false (the log is off screen): new events are taken in at most every OFF_SCREEN_REFRESH_MS. */
export function useFilteredEvents(events: Ref<readonly LabEvent[]>, revision: Ref<number>, edgeSeq: Ref<number>,
  filter: Ref<EventFilter>, active: Ref<boolean> = ref(true)) {
  const matches = shallowRef<LabEvent[]>(markRaw([]));
  /** How many matches were ever appended at the end (not by a rescan): lets a scrolled-up reader keep their rows. */
  const appendedTotal = ref(0);
  let scannedSeq = -Infinity;
  let source: readonly LabEvent[] | null = null;
  let matcher = eventMatcher(filter.value);

  function rescan(): void {
    source = events.value;
    matcher = eventMatcher(filter.value);
    scannedSeq = -Infinity;
    matches.value = markRaw([]);
    extend();
  }

  function extend(): void {
    const list = events.value;
    if (list !== source) {
      rescan();
      return;
    }
    const found = matches.value;
    const oldest = list[0]?.seq ?? Infinity;
    let trimmed = 0;
    while (trimmed < found.length && (found[trimmed] as LabEvent).seq < oldest) trimmed += 1;
    if (trimmed > 0) found.splice(0, trimmed);
    let position = lowerBoundSeq(list, scannedSeq + 1);
    const edge = edgeSeq.value;
    const before = found.length;
    for (; position < list.length; position += 1) {
      const event = list[position] as LabEvent;
      if (event.seq > edge) break;
      if (matcher(event)) found.push(event);
      scannedSeq = event.seq;
    }
    if (found.length > before) appendedTotal.value += found.length - before;
    if (trimmed > 0 || found.length > before) triggerRef(matches);
  }

  watch(filter, rescan, { deep: true });
  let deferred: ReturnType<typeof setTimeout> | null = null;
  const extendLater = (): void => {
    deferred = null;
    extend();
  };
  watch([revision, edgeSeq, events], () => {
    if (active.value) extend();
    else deferred ??= setTimeout(extendLater, OFF_SCREEN_REFRESH_MS);
  });
  watch(active, (now) => { if (now) extend(); });
  onScopeDispose(() => { if (deferred !== null) clearTimeout(deferred); });
  rescan();
  return { matches, appendedTotal, rescan };
}

function lowerBoundSeq(list: readonly LabEvent[], seq: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((list[mid] as LabEvent).seq < seq) low = mid + 1;
    else high = mid;
  }
  return low;
}
