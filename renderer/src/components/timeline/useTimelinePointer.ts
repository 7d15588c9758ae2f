// The timeline under the pointer: drag to pan, click to move the lab-wide cursor (and select the message clicked),
// hover for words, ctrl + wheel to zoom around the pointer, shift + wheel (or a sideways wheel) to pan.
import { ref, type Ref, type ShallowRef } from 'vue';
import type { LabHistory } from '../../model/lab-history';
import type { ViewCursor } from '../../model/lab-view';
import type { TimelineLayout } from './timeline-layout';
import { arrowAt, describeAt } from './timeline-hit';
import type { useTimelineViewport } from './useTimelineViewport';

const DRAG_THRESHOLD_PX = 3;
/** Left of this, a click is on the lane labels: it picks no moment. */
const LANE_LABELS_PX = 40;
/** The lane labels and the right margin: what of the width is not time. */
const NON_TIME_WIDTH_PX = 66;

export interface TimelinePointerHost {
  readonly svg: Ref<SVGSVGElement | null>;
  readonly layout: ShallowRef<TimelineLayout | null>;
  readonly widthPx: Ref<number>;
  readonly startNs: Readonly<Ref<number>>;
  readonly endNs: Readonly<Ref<number>>;
  readonly history: Readonly<Ref<LabHistory>>;
  readonly edgeSeq: Readonly<Ref<number>>;
  readonly viewport: ReturnType<typeof useTimelineViewport>;
  selectMessage(id: string | null): void;
  setCursor(cursor: ViewCursor): void;
}

export function useTimelinePointer(host: TimelinePointerHost) {
  const hover = ref<{ x: number; y: number; text: string } | null>(null);
  let drag: { lastX: number; moved: boolean } | null = null;

  function localPoint(event: MouseEvent): { x: number; y: number } {
    const rect = host.svg.value?.getBoundingClientRect();
    return { x: event.clientX - (rect?.left ?? 0), y: event.clientY - (rect?.top ?? 0) };
  }

  function nsPerPx(): number {
    return (host.endNs.value - host.startNs.value) / Math.max(1, host.widthPx.value - NON_TIME_WIDTH_PX);
  }

  function onPointerDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    drag = { lastX: event.clientX, moved: false };
    host.svg.value?.setPointerCapture?.(event.pointerId);
  }

  function onPointerMove(event: PointerEvent): void {
    if (drag) {
      const dx = event.clientX - drag.lastX;
      if (!drag.moved && Math.abs(dx) < DRAG_THRESHOLD_PX) return;
      drag.moved = true;
      drag.lastX = event.clientX;
      host.viewport.pan(-dx * nsPerPx());
      hover.value = null;
      return;
    }
    const drawn = host.layout.value;
    const point = localPoint(event);
    const text = drawn ? describeAt(drawn, point.x, point.y) : null;
    hover.value = text === null ? null : { x: point.x, y: point.y, text };
  }

  function onPointerUp(event: PointerEvent): void {
    const wasClick = drag !== null && !drag.moved;
    drag = null;
    if (wasClick) pick(event);
  }

  function pick(event: MouseEvent): void {
    const drawn = host.layout.value;
    if (!drawn) return;
    const point = localPoint(event);
    if (point.x < LANE_LABELS_PX) return;
    const arrow = arrowAt(drawn, point.x, point.y);
    host.selectMessage(arrow?.id ?? null);
    const seq = Math.min(host.history.value.seqAtTime(drawn.scale.timeAt(point.x)), host.edgeSeq.value);
    host.setCursor({ mode: 'at', seq });
  }

  function onWheel(event: WheelEvent): void {
    const drawn = host.layout.value;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      const anchor = drawn ? drawn.scale.timeAt(localPoint(event).x) : null;
      host.viewport.zoom(event.deltaY > 0 ? 1.25 : 0.8, anchor);
    } else if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
      event.preventDefault();
      host.viewport.pan((event.shiftKey ? event.deltaY : event.deltaX) * nsPerPx());
    }
  }

  function onPointerLeave(): void {
    hover.value = null;
  }

  return { hover, onPointerDown, onPointerMove, onPointerUp, onPointerLeave, onWheel };
}
