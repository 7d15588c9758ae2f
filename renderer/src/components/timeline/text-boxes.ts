// The room words already take in the timeline, so that a student's own message types, named beside their arrows
// ("? append_entries"), are not printed over each other, over a band's "leader t4" or over a lane's name. Estimated
// from the characters' count (the canvas is not asked to measure: layout stays pure and cheap).

/** A text's box in px: baseline `y`, `sizePx` high above it (descenders ignored: small labels, lowercase). */
export interface TextBox {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** A character's average advance as a share of the font size, a little over the UI font's for bold text. */
const CHAR_EM = 0.62;
/** Space kept between two labels. */
const GAP_PX = 4;

export function textBox(x: number, y: number, text: string, sizePx: number): TextBox {
  return { left: x, right: x + text.length * sizePx * CHAR_EM, top: y - sizePx, bottom: y + 2 };
}

export class TextBoxes {
  private readonly boxes: TextBox[] = [];

  add(box: TextBox): void {
    this.boxes.push(box);
  }

  /** No word already placed is within GAP_PX of `box`. */
  free(box: TextBox): boolean {
    return this.boxes.every((other) => other.right + GAP_PX <= box.left || box.right + GAP_PX <= other.left
      || other.bottom <= box.top || box.bottom <= other.top);
  }
}
