// What is under the pointer on the timeline: an arrow (within a few pixels of its line), a marker, a band.
import { arrowTitle, type ArrowHit, type TimelineLayout } from './timeline-layout';

const ARROW_HIT_PX = 4;
const MARKER_HIT_PX = 5;

export function distanceToSegment(px: number, py: number, hit: { x1: number; y1: number; x2: number; y2: number }): number {
  const dx = hit.x2 - hit.x1;
  const dy = hit.y2 - hit.y1;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((px - hit.x1) * dx + (py - hit.y1) * dy) / lengthSquared));
  return Math.hypot(px - (hit.x1 + t * dx), py - (hit.y1 + t * dy));
}

export function arrowAt(layout: TimelineLayout, x: number, y: number): ArrowHit | null {
  let best: ArrowHit | null = null;
  let bestDistance = ARROW_HIT_PX;
  for (const hit of layout.arrowHits) {
    const distance = distanceToSegment(x, y, hit);
    if (distance <= bestDistance) {
      best = hit;
      bestDistance = distance;
    }
  }
  return best;
}

/** Words for whatever is under the pointer, or null. */
export function describeAt(layout: TimelineLayout, x: number, y: number): string | null {
  const arrow = arrowAt(layout, x, y);
  if (arrow) return arrowTitle(arrow);
  const marker = layout.markers.find((m) => Math.abs(m.x - x) <= MARKER_HIT_PX && y >= m.y1 - 4 && y <= m.y2);
  if (marker) return `${marker.glyph} ${marker.label}`;
  const band = layout.bandHits.find((b) => x >= b.x1 && x <= b.x2 && y >= b.y1 && y <= b.y2);
  return band?.title ?? null;
}
