// Where things sit in the cluster diagram: servers evenly on a circle (S1 at the top, clockwise), and points along
// the straight line between two servers for messages in flight. Pure functions, so tests can pin the layout.

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** The diagram's height in SVG units; its width follows the space it is given (see diagramFrame). */
export const DIAGRAM_HEIGHT = 560;
export const NODE_RADIUS = 40;
/** Room kept around the ring for the text under and beside each server. */
const LABEL_MARGIN_X = 115;
const LABEL_MARGIN_TOP = 62;
const LABEL_MARGIN_BOTTOM = 105;
const MIN_WIDTH = 640;
const MAX_WIDTH = 1800;

/** The drawing area and the ellipse the servers sit on: wide spaces spread the servers out instead of shrinking them. */
export interface DiagramFrame {
  readonly width: number;
  readonly height: number;
  readonly center: Point;
  readonly radiusX: number;
  readonly radiusY: number;
}

/**
 * The frame for a box of `aspect` = width / height (of the element the diagram fills). `zoom` > 1 draws servers and
 * their words larger in the same box (presentation mode) on a smaller ring: the frame has fewer units, the margins
 * for the words stay.
 */
export function diagramFrame(aspect: number, zoom = 1): DiagramFrame {
  const height = DIAGRAM_HEIGHT / Math.max(1, zoom);
  const minWidth = MIN_WIDTH / Math.max(1, zoom);
  const width = Math.min(MAX_WIDTH, Math.max(minWidth, Number.isFinite(aspect) ? height * aspect : minWidth));
  const radiusY = (height - LABEL_MARGIN_TOP - LABEL_MARGIN_BOTTOM) / 2;
  // A ring no more than twice as wide as tall: flatter, and neighbours' labels would collide.
  const radiusX = Math.min(width / 2 - LABEL_MARGIN_X, radiusY * 2);
  return { width, height, center: { x: width / 2, y: LABEL_MARGIN_TOP + radiusY }, radiusX, radiusY };
}

/**
 * How much larger presentation mode draws the servers of a `count`-server ring (diagramFrame's zoom): few servers
 * large; with many, less, or the projector's type would leave their words little room (node-label.ts).
 */
export function presentationZoom(count: number): number {
  return count <= 5 ? 1.35 : 1.15;
}

/** Position of the server at `slot` (0-based) of `count` servers, S1 at the top, clockwise. A lone server sits in the middle. */
export function nodePosition(slot: number, count: number, frame: DiagramFrame = diagramFrame(MIN_WIDTH / DIAGRAM_HEIGHT)): Point {
  if (count <= 1) return frame.center;
  const angle = -Math.PI / 2 + (2 * Math.PI * slot) / count;
  return { x: frame.center.x + frame.radiusX * Math.cos(angle), y: frame.center.y + frame.radiusY * Math.sin(angle) };
}

/** The point a fraction `progress` (0..1) of the way from the rim of `from` to the rim of `to`. */
export function pointBetween(from: Point, to: Point, progress: number): Point {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy);
  if (length <= 2 * NODE_RADIUS) return { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 };
  const rimFraction = NODE_RADIUS / length;
  const t = rimFraction + (1 - 2 * rimFraction) * Math.min(1, Math.max(0, progress));
  return { x: from.x + dx * t, y: from.y + dy * t };
}

/**
 * Messages between the same two servers travel on parallel lanes, requests on one side of the line and replies on
 * the other, so that a vote request and its reply never hide each other.
 */
export function laneOffset(from: Point, to: Point, lane: number): Point {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy) || 1;
  return { x: (-dy / length) * lane, y: (dx / length) * lane };
}

/** SVG path of an arc around a server showing `fraction` (0..1) of a full turn, starting at 12 o'clock. */
export function arcPath(center: Point, radius: number, fraction: number): string {
  const clamped = Math.min(0.9999, Math.max(0, fraction));
  if (clamped <= 0) return '';
  const end = -Math.PI / 2 + 2 * Math.PI * clamped;
  const startX = center.x;
  const startY = center.y - radius;
  const endX = center.x + radius * Math.cos(end);
  const endY = center.y + radius * Math.sin(end);
  const largeArc = clamped > 0.5 ? 1 : 0;
  return `M ${startX.toFixed(2)} ${startY.toFixed(2)} A ${radius} ${radius} 0 ${largeArc} 1 ${endX.toFixed(2)} ${endY.toFixed(2)}`;
}

/** Splits text into at most `maxLines` lines of at most `lineChars` characters, at spaces, with an ellipsis if cut. */
export function wrapText(text: string, lineChars: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    if (word.length === 0) continue;
    const piece = word.length > lineChars ? `${word.slice(0, lineChars - 1)}…` : word;
    const candidate = current ? `${current} ${piece}` : piece;
    if (candidate.length <= lineChars) {
      current = candidate;
      continue;
    }
    lines.push(current);
    current = piece;
    if (lines.length > maxLines) break; // enough to know it will be cut
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1] ?? '';
  kept[maxLines - 1] = `${last.length >= lineChars ? last.slice(0, lineChars - 1) : last}…`;
  return kept;
}
