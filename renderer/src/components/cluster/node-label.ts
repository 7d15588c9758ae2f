// The words under a server, cut to the room they have (label-room.ts): its role and vote (always; on two lines when
// one is too wide, a little smaller before a word is cut, and beside or above the server where a server close below
// leaves no line under it), its last significant event in a few words (up to two lines), and its pid (for the
// curious, the first to go). Each line with its baseline from the circle's bottom, in diagram units. Pure, so tests
// can pin it.
import { NODE_RADIUS, wrapText } from './cluster-geometry';
import { ABOVE_GAP, SIDE_GAP, type Box, type LabelHeights, type LabelRoom } from './label-room';

/** Font sizes of the label's lines, in diagram units. */
export interface LabelFonts {
  /** The role and vote line (bold). */
  readonly state: number;
  /** The event line, and the term inside the circle. */
  readonly reason: number;
}

/** The words' sizes on a desk's screen, before the diagram enlarges them for a small panel or a projector. */
export const DEFAULT_LABEL_FONTS: LabelFonts = { state: 12, reason: 12 };

export interface LabelParts {
  /** "follower", "leader", "old leader", "crashed"... */
  readonly role: string;
  /** "voted S3", "no vote", "cluster in term 4". */
  readonly second: string;
  readonly pid: number | null;
  /** The last significant event in a few words ('' for none). */
  readonly event: string;
}

export interface LabelLine {
  readonly kind: 'state' | 'pid' | 'reason';
  readonly text: string;
  /** Where the line is anchored, from the server's centre (0: centred under or over it). */
  readonly x: number;
  /** SVG's text-anchor: words beside a server start or end at `x`. */
  readonly anchor: 'middle' | 'start' | 'end';
  /** Baseline, below the circle's bottom (negative: above the server). */
  readonly y: number;
  readonly fontSize: number;
}

const PID_FONT = 10;
const PID_LINE = 11;
/** From the circle to the first line's top. */
const TOP_GAP = 5;
/**
 * A character's average advance as a share of the font size, a little over DejaVu Sans's (the lab's fallback font, and
 * among the wider ones): words estimated too wide lose a line, words estimated too narrow would overlap.
 */
const CHAR_EM = 0.6;
const BOLD_CHAR_EM = 0.68;
const LINE_SPACING = 1.12;
const DESCENT_EM = 0.25;
const MAX_EVENT_CHARS = 30;
const EVENT_LINES = 2;
/** Fewer characters than this say nothing: the event line goes (the caption strip and the inspector still say it). */
const MIN_EVENT_CHARS = 9;

/**
 * A full label's height (the role and the vote on two lines, the pid, two event lines): the room labelRooms measures
 * against, so that a label squeezed onto more lines still has them.
 */
export function naturalLabelHeight(fonts: LabelFonts): number {
  return TOP_GAP + fonts.state * (1 + LINE_SPACING) + PID_LINE + EVENT_LINES * fonts.reason * LINE_SPACING + DESCENT_EM * fonts.reason;
}

/** The heights labelRooms measures the room for, at these sizes. */
export function labelHeights(fonts: LabelFonts): LabelHeights {
  return { natural: naturalLabelHeight(fonts), minBelow: TOP_GAP + MIN_FONT_SHARE * fonts.state * (1 + DESCENT_EM),
    state: fonts.state * (1 + LINE_SPACING + DESCENT_EM) };
}

function lineWidth(line: LabelLine): number {
  return line.text.length * line.fontSize * (line.kind === 'state' ? BOLD_CHAR_EM : CHAR_EM);
}

/** The width `lines` are estimated to take (the estimate fitLabel keeps within its room). */
export function estimatedLabelWidth(lines: readonly LabelLine[]): number {
  return Math.max(0, ...lines.map(lineWidth));
}

/** The box `lines` are estimated to take, from the server's centre: what a click selects, and what tests check. */
export function labelBounds(lines: readonly LabelLine[]): Box {
  const lefts = lines.map((line) => line.x - (line.anchor === 'middle' ? lineWidth(line) / 2 : line.anchor === 'end' ? lineWidth(line) : 0));
  const rights = lines.map((line, index) => (lefts[index] ?? 0) + lineWidth(line));
  // A line's y is from the circle's bottom: NODE_RADIUS below the centre.
  return { left: Math.min(...lefts), right: Math.max(...rights), top: NODE_RADIUS + Math.min(...lines.map((line) => line.y - line.fontSize)),
    bottom: NODE_RADIUS + Math.max(...lines.map((line) => line.y + DESCENT_EM * line.fontSize)) };
}

/**
 * Where the role line cannot keep this share of its size under the server (a server close below), the words go above
 * the server instead.
 */
const MIN_FONT_SHARE = 0.8;
/** The role and the vote are set smaller, down to this share of their size, before a word of them is cut. */
const MIN_STATE_FONT_SHARE = 0.75;
/** One line a little smaller rather than two: down to this share of the size. */
const ONE_LINE_FONT_SHARE = 0.9;

/** The lines that fit in `room`; the role line always stays (it is what the colour and outline say in words). */
export function fitLabel(parts: LabelParts, room: LabelRoom, fonts: LabelFonts): LabelLine[] {
  if (room.height >= TOP_GAP + fonts.state * (1 + DESCENT_EM)) return fitBelow(parts, room, fonts);
  // A line squeezed a little under the server, or the role and vote beside it, or above it, or, where none has room,
  // the role at the smallest size under it.
  const squeezed = (room.height - TOP_GAP) / (1 + DESCENT_EM);
  const smallest = MIN_FONT_SHARE * fonts.state;
  if (squeezed < smallest && room.sideWidth > 0) return fitSide(parts, room, fonts.state);
  if (squeezed < smallest && room.aboveHeight >= fonts.state * (1 + DESCENT_EM)) return fitAbove(parts, room, fonts.state);
  const font = Math.max(squeezed, smallest);
  const set = stateTexts(parts, room.width, font, false);
  return [centred('state', set.texts[0] ?? parts.role, TOP_GAP + set.font, set.font)];
}

function centred(kind: LabelLine['kind'], text: string, y: number, fontSize: number): LabelLine {
  return { kind, text, x: 0, anchor: 'middle', y, fontSize };
}

/**
 * The role and the vote set to fit `width`: on one line (a little smaller if need be), else on two lines if
 * `twoLines` allows, else the role alone; smaller down to MIN_STATE_FONT_SHARE of `font`, cut with an ellipsis only
 * past that.
 */
function stateTexts(parts: LabelParts, width: number, font: number, twoLines: boolean): { texts: string[]; font: number } {
  const both = `${parts.role} · ${parts.second}`;
  const fitFont = (texts: readonly string[]): number => width / (Math.max(...texts.map((text) => text.length)) * BOLD_CHAR_EM);
  if (fitFont([both]) >= ONE_LINE_FONT_SHARE * font) return { texts: [both], font: Math.min(font, fitFont([both])) };
  const texts = twoLines ? [parts.role, parts.second] : [parts.role];
  const size = Math.max(MIN_STATE_FONT_SHARE * font, Math.min(font, fitFont(texts)));
  const chars = Math.max(4, Math.floor(width / (size * BOLD_CHAR_EM)));
  return { texts: texts.map((text) => wrapText(text, chars, 1)[0] ?? text), font: size };
}

/** Above the server: the role and the vote, on one line or two as the room allows; the lowest line clear of the timer. */
function fitAbove(parts: LabelParts, room: LabelRoom, font: number): LabelLine[] {
  const set = stateTexts(parts, room.aboveWidth, font, room.aboveHeight >= font * (1 + LINE_SPACING + DESCENT_EM));
  const lowest = -2 * NODE_RADIUS - ABOVE_GAP - DESCENT_EM * set.font;
  return set.texts.map((text, index) => centred('state', text, lowest - (set.texts.length - 1 - index) * set.font * LINE_SPACING, set.font));
}

/** Beside the server, outward, level with it: the role and the vote, on two lines or one. */
function fitSide(parts: LabelParts, room: LabelRoom, font: number): LabelLine[] {
  const set = stateTexts(parts, room.sideWidth, font, true);
  const blockHeight = set.font * (1 + (set.texts.length - 1) * LINE_SPACING + DESCENT_EM);
  // The block's middle at the server's centre, NODE_RADIUS above the circle's bottom.
  const firstBaseline = -NODE_RADIUS - blockHeight / 2 + set.font;
  const x = (room.side === 'left' ? -1 : 1) * (NODE_RADIUS + SIDE_GAP);
  return set.texts.map((text, index) => ({ kind: 'state', text, x, anchor: room.side === 'left' ? 'end' : 'start',
    y: firstBaseline + index * set.font * LINE_SPACING, fontSize: set.font }));
}

/** Under the server: the role line(s), the event lines that fit, then the pid if it still does. */
function fitBelow(parts: LabelParts, room: LabelRoom, fonts: LabelFonts): LabelLine[] {
  // Too wide for one line: the role and the vote on two, or the role alone where a server below leaves one line.
  const twoLines = TOP_GAP + fonts.state * (1 + LINE_SPACING) + DESCENT_EM * fonts.state <= room.height;
  const set = stateTexts(parts, room.width, fonts.state, twoLines);
  const lines: LabelLine[] = [];
  let y = TOP_GAP + set.font;
  set.texts.forEach((text, index) => {
    if (index > 0) y += set.font * LINE_SPACING;
    lines.push(centred('state', text, y, set.font));
  });
  const eventChars = Math.min(MAX_EVENT_CHARS, Math.floor(room.width / (fonts.reason * CHAR_EM)));
  const eventLine = fonts.reason * LINE_SPACING;
  const descent = DESCENT_EM * fonts.reason;
  // The event lines before the pid: they are the teaching; the pid is for the curious. Wrapped again to the lines that
  // fit, so that a cut line ends in an ellipsis rather than in mid-sentence.
  let events = eventChars >= MIN_EVENT_CHARS && parts.event !== '' ? wrapText(parts.event, eventChars, EVENT_LINES).length : 0;
  while (events > 0 && y + events * eventLine + descent > room.height) events -= 1;
  const eventTexts = events > 0 ? wrapText(parts.event, eventChars, events) : [];
  const pid = parts.pid !== null && y + PID_LINE + events * eventLine + descent <= room.height;
  if (pid) {
    y += PID_LINE;
    lines.push(centred('pid', `pid ${parts.pid ?? ''}`, y, PID_FONT));
  }
  for (const text of eventTexts) {
    y += eventLine;
    lines.push(centred('reason', text, y, fonts.reason));
  }
  return lines;
}
