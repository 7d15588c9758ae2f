// The words under a server, cut to the room they have (label-room.ts): its role and vote (always; on two lines when
// one is too wide, a little smaller before a word is cut, and above the server where a server close below leaves no
// line under it), its last significant event in a few words (up to two lines), and its pid (for the curious, the
// first to go). Each line with its baseline from the circle's bottom, in diagram units. Pure, so tests can pin it.
import { NODE_RADIUS, wrapText } from './cluster-geometry';
import { ABOVE_GAP, type LabelRoom } from './label-room';

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

/** The width `lines` are estimated to take (the estimate fitLabel keeps within its room). */
export function estimatedLabelWidth(lines: readonly LabelLine[]): number {
  return Math.max(0, ...lines.map((line) => line.text.length * line.fontSize * (line.kind === 'state' ? BOLD_CHAR_EM : CHAR_EM)));
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
  // A line squeezed a little under the server, or the role (and vote) above it, or, where neither has room, the role
  // at the smallest size under it.
  const squeezed = (room.height - TOP_GAP) / (1 + DESCENT_EM);
  const smallest = MIN_FONT_SHARE * fonts.state;
  if (squeezed < smallest && room.aboveHeight >= fonts.state * (1 + DESCENT_EM)) return fitAbove(parts, room, fonts.state);
  const font = Math.max(squeezed, smallest);
  const set = stateTexts(parts, room.width, font, false);
  return [{ kind: 'state', text: set.texts[0] ?? parts.role, y: TOP_GAP + set.font, fontSize: set.font }];
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
  return set.texts.map((text, index) => ({ kind: 'state', text, y: lowest - (set.texts.length - 1 - index) * set.font * LINE_SPACING,
    fontSize: set.font }));
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
    lines.push({ kind: 'state', text, y, fontSize: set.font });
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
    lines.push({ kind: 'pid', text: `pid ${parts.pid ?? ''}`, y, fontSize: PID_FONT });
  }
  for (const text of eventTexts) {
    y += eventLine;
    lines.push({ kind: 'reason', text, y, fontSize: fonts.reason });
  }
  return lines;
}
