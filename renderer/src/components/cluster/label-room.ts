// How much room the words under each server have before they run into a neighbour's words or circle, or off the
// diagram. Servers close together on a small ring (9 servers, a narrow panel, presentation mode's large type) would
// otherwise print their labels over each other: the room decides how the words are cut (node-label.ts). Pure, in
// diagram units, so tests can pin it.
import { NODE_RADIUS, type Point } from './cluster-geometry';

/**
 * Width (centred under the server) and height (from the circle's bottom down) the server's words may take; and above
 * the server (from over its election timer up), where a server close below leaves no line under it.
 */
export interface LabelRoom {
  readonly width: number;
  readonly height: number;
  readonly aboveWidth: number;
  readonly aboveHeight: number;
}

/** From the circle's top to the lowest line above it: clear of the election timer's arc, the selection ring and a learner's tag. */
export const ABOVE_GAP = 19;

/** Space kept between one server's words and the next thing drawn. */
const GAP = 6;
/**
 * Narrower than this, words are better moved up out of a circle's way than squeezed beside it: a label stops above a
 * server below it instead (fewer lines, each still long enough to say something).
 */
export const MIN_LABEL_WIDTH = 70;

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

/**
 * The room of each server's label, in the order of `positions`. `naturalHeight` is a full label's height (its first
 * line to its last): servers whose labels would overlap at that height share the width between them.
 */
export function labelRooms(positions: readonly Point[], frame: { readonly width: number; readonly height: number },
  naturalHeight: number, radius: number = NODE_RADIUS): LabelRoom[] {
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
  return positions.map((self, i) => {
    const own = below[i] ?? { width: 0, height: 0 };
    // Above the server, for when a server close below leaves no line under it: clear of the other circles and of the
    // words under them, at their full room.
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
      // Another server's words above it, should it need them too: level servers' meet halfway.
      if (Math.abs(other.y - self.y) < naturalHeight) width = Math.min(width, dx - GAP);
      const words = below[j];
      const wordsTop = other.y + radius;
      if (words && wordsTop < bandBottom && wordsTop + words.height > bandBottom - height) {
        width = Math.min(width, 2 * (dx - words.width / 2 - GAP));
      }
    });
    return { ...own, aboveWidth: Math.max(0, width), aboveHeight: Math.max(0, height) };
  });
}
