// How much room the words of each server have before they run into a neighbour's words or circle, or off the
// diagram. Servers close together on a small ring (9 servers, a narrow panel, presentation mode's large type) would
// otherwise print their labels over each other: the room decides where the words go and how they are cut
// (node-label.ts). Pure, in diagram units, so tests can pin it.
import { NODE_RADIUS, type Point } from './cluster-geometry';

/** Which way from the server words beside it run: outward, away from the ring's middle. */
export type Side = 'left' | 'right';

/**
 * Width (centred under the server) and height (from the circle's bottom down) the server's words may take; where a
 * server close below leaves no line under it, the width beside the server (on `side`, level with it), else the room
 * above it (from over its election timer up).
 */
export interface LabelRoom {
  readonly width: number;
  readonly height: number;
  readonly aboveWidth: number;
  readonly aboveHeight: number;
  /** 0 unless the words go beside the server: from SIDE_GAP off the circle to the nearest thing drawn. */
  readonly sideWidth: number;
  readonly side: Side;
}

/** The heights the rooms are measured for (node-label.ts's labelHeights, from the type's size). */
export interface LabelHeights {
  /** A full label under a server, first line to last: labels that would overlap at that height share the width. */
  readonly natural: number;
  /** Less room than this under a server, its words go beside or above it. */
  readonly minBelow: number;
  /** The role and the vote on two lines, beside or above a server. */
  readonly state: number;
}

/** From the circle's top to the lowest line above it: clear of the election timer's arc, the selection ring and a learner's tag. */
export const ABOVE_GAP = 19;
/** From the circle's side to words beside it: clear of the election timer's arc and the selection ring. */
export const SIDE_GAP = 18;

/** Space kept between one server's words and the next thing drawn. */
const GAP = 6;
/**
 * Narrower than this, words are better moved up out of a circle's way than squeezed beside it: a label stops above a
 * server below it instead (fewer lines, each still long enough to say something). Words beside a server need as much.
 */
export const MIN_LABEL_WIDTH = 70;

/** A rectangle in diagram units. */
export interface Box {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** Width a label centred at `x` has inside the diagram's edges. */
function edgeWidth(x: number, frameWidth: number): number {
  return 2 * Math.min(x, frameWidth - x) - GAP;
}

/**
 * Width a label keeps beside another server's circle `dx` away; null when that leaves less than MIN_LABEL_WIDTH (the
 * label then stops short of the circle instead).
 */
function widthBeside(dx: number, radius: number): number | null {
  const beside = 2 * (dx - radius - GAP);
  return beside >= MIN_LABEL_WIDTH ? beside : null;
}

function circleBox(point: Point, radius: number): Box {
  return { left: point.x - radius - GAP, right: point.x + radius + GAP, top: point.y - radius - GAP, bottom: point.y + radius + GAP };
}

/** The box a server's words beside it may take (their band, level with the server), `width` long. */
function sideBox(point: Point, side: Side, width: number, bandHeight: number, radius: number = NODE_RADIUS): Box {
  const near = radius + SIDE_GAP;
  return { left: side === 'left' ? point.x - near - width : point.x + near, right: side === 'left' ? point.x - near : point.x + near + width,
    top: point.y - bandHeight / 2, bottom: point.y + bandHeight / 2 };
}

/**
 * The width words beside `self` keep before `box` (something drawn): the whole `width` when the box is not in their
 * band or lies behind them, 0 when it already covers where they start.
 */
function widthBefore(band: Box, side: Side, width: number, box: Box): number {
  if (box.bottom <= band.top || box.top >= band.bottom) return width;
  const distance = side === 'left' ? band.right - box.right : box.left - band.left;
  if (side === 'left' ? box.left >= band.right : box.right <= band.left) return width; // behind the words' start
  return Math.max(0, Math.min(width, distance - GAP));
}

/**
 * The room of each server's label, in the order of `positions`. Under the server first; beside it, outward, where a
 * server close below leaves no line under it; above it where neither has room.
 */
export function labelRooms(positions: readonly Point[], frame: { readonly width: number; readonly height: number },
  heights: LabelHeights, radius: number = NODE_RADIUS): LabelRoom[] {
  const naturalHeight = heights.natural;
  // First what the circles and the diagram's edges leave each label, then the width level labels share: a label
  // stopped short above a server below it no longer reaches the labels beside that server.
  const clear = positions.map((self, i) => {
    const top = self.y + radius;
    let width = edgeWidth(self.x, frame.width);
    let height = Math.min(naturalHeight, frame.height - top);
    positions.forEach((other, j) => {
      if (j === i) return;
      // The other server's circle (with its selection ring) inside the label's rows: go narrower, or stop above it.
      const circleTop = other.y - radius - GAP;
      if (other.y + radius > top && circleTop < top + height) {
        const beside = widthBeside(Math.abs(other.x - self.x), radius);
        if (beside !== null) width = Math.min(width, beside);
        else if (other.y > self.y) height = Math.min(height, Math.max(0, circleTop - top));
      }
    });
    return { width: Math.max(0, width), height: Math.max(0, height) };
  });
  const below = positions.map((self, i) => {
    const own = clear[i] ?? { width: 0, height: 0 };
    let width = own.width;
    positions.forEach((other, j) => {
      const theirs = clear[j];
      if (j === i || !theirs) return;
      // Labels whose rows meet share the width between their servers.
      const top = self.y + radius;
      const otherTop = other.y + radius;
      if (top < otherTop + theirs.height && otherTop < top + own.height) width = Math.min(width, Math.abs(other.x - self.x) - GAP);
    });
    return { width: Math.max(0, width), height: own.height };
  });
  const usesBelow = below.map((room) => room.height >= heights.minBelow);
  // Words under a server, at their full room: what words beside or above another server must keep clear of.
  const belowBoxes = positions.map((point, j): Box | null => {
    const room = below[j];
    return usesBelow[j] && room ? { left: point.x - room.width / 2, right: point.x + room.width / 2, top: point.y + radius,
      bottom: point.y + radius + room.height } : null;
  });
  const centreX = frame.width / 2;
  const sides = positions.map((self): Side => (self.x < centreX ? 'left' : 'right'));
  const sideWidths = positions.map((self, i) => {
    const side = sides[i] ?? 'right';
    if (usesBelow[i] || self.y - heights.state / 2 < 0 || self.y + heights.state / 2 > frame.height) return 0;
    const reach = side === 'left' ? self.x - radius - SIDE_GAP - GAP : frame.width - self.x - radius - SIDE_GAP - GAP;
    const band = sideBox(self, side, Math.max(0, reach), heights.state, radius);
    let width = Math.max(0, reach);
    positions.forEach((other, j) => {
      if (j === i) return;
      width = widthBefore(band, side, width, circleBox(other, radius));
      const words = belowBoxes[j];
      if (words) width = widthBefore(band, side, width, words);
      // Two servers' words beside them facing each other, level: they meet halfway.
      if (!usesBelow[j] && sides[j] !== side && Math.abs(other.y - self.y) < heights.state) {
        width = Math.min(width, Math.max(0, (Math.abs(other.x - self.x) - 2 * (radius + SIDE_GAP) - GAP) / 2));
      }
    });
    return width >= MIN_LABEL_WIDTH ? width : 0;
  });
  const sideBoxes = positions.map((point, j): Box | null => {
    const width = sideWidths[j] ?? 0;
    return width > 0 ? sideBox(point, sides[j] ?? 'right', width, heights.state, radius) : null;
  });
  return positions.map((self, i) => {
    const own = below[i] ?? { width: 0, height: 0 };
    const sideWidth = sideWidths[i] ?? 0;
    const side = sides[i] ?? 'right';
    if (usesBelow[i] || sideWidth > 0) return { ...own, aboveWidth: 0, aboveHeight: 0, sideWidth, side };
    // Above the server, where neither under nor beside it has room: clear of the other circles and of the words
    // under and beside them.
    const bandBottom = self.y - radius - ABOVE_GAP;
    let width = edgeWidth(self.x, frame.width);
    let height = Math.max(0, Math.min(naturalHeight, bandBottom));
    positions.forEach((other, j) => {
      if (j === i) return;
      const dx = Math.abs(other.x - self.x);
      const circleBottom = other.y + radius + GAP;
      if (circleBottom > bandBottom - height && other.y - radius - GAP < bandBottom) {
        const beside = widthBeside(dx, radius);
        if (beside !== null) width = Math.min(width, beside);
        else height = Math.min(height, Math.max(0, bandBottom - circleBottom));
      }
      // Another server's words above it too: level servers' meet halfway.
      if (!usesBelow[j] && (sideWidths[j] ?? 0) === 0 && Math.abs(other.y - self.y) < naturalHeight) width = Math.min(width, dx - GAP);
      for (const words of [belowBoxes[j], sideBoxes[j]]) {
        if (words && words.top < bandBottom && words.bottom > bandBottom - height) {
          // Centred over the server: as wide as stays clear of those words on their side.
          const clearance = words.left > self.x ? words.left - self.x : words.right < self.x ? self.x - words.right : 0;
          width = Math.min(width, 2 * (clearance - GAP));
        }
      }
    });
    return { ...own, aboveWidth: Math.max(0, width), aboveHeight: Math.max(0, height), sideWidth: 0, side };
  });
}
