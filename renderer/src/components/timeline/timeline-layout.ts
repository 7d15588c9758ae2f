// The visible window of the timeline as shapes: one lane per node with role/term bands, an arrow per message, fault
// and election markers, client operations, axis and cursor. Arrows of one style are merged into a single path, so the
// drawing is a few dozen SVG elements whatever the traffic; `hits` keeps each arrow's geometry for hover and click.
import type { NodeId, Role } from '../../../../src/protocol/raft';
import { messageSummary } from '../../model/event-summary';
import { INSTALL_SNAPSHOT_HELP } from '../../model/message-help';
import type { TimelineIndex } from '../../model/timeline-index';
import type { LaneSegment, MarkerKind, TimelineArrow } from '../../model/timeline-types';
import { AXIS_PX, CLIENT_LANE_PX, LABEL_FONT_PX, LANE_PX, axisTicks, timeScale, type TimeScale } from './timeline-scale';
import { textBox, TextBoxes } from './text-boxes';

export interface LayoutInput {
  readonly timeline: TimelineIndex;
  readonly startNs: number;
  readonly endNs: number;
  readonly widthPx: number;
  /** Draw what had happened by this seq (the paused or scrubbed edge): later ends are still in flight. */
  readonly limitSeq: number;
  /** Time of limitSeq: where open bands and messages in flight stop. */
  readonly edgeNs: number;
  readonly cursorNs: number | null;
  readonly originNs: number;
  readonly highlightedOpKeys: ReadonlySet<string>;
  readonly selectedMessageId: string | null;
  readonly maxArrows: number;
  /** A message in flight longer than this is drawn as a stub that never arrived, not a line to the edge. */
  readonly staleFlightNs: number;
}

/** Paths are grouped by a style key (see timeline-svg.ts for what each key looks like). */
export interface LayoutPath { readonly styleKey: string; readonly d: string }
export interface LayoutText { readonly x: number; readonly y: number; readonly text: string; readonly styleKey: string; readonly anchor?: 'start' | 'middle' | 'end' }
export interface LayoutMarker { readonly x: number; readonly y1: number; readonly y2: number; readonly kind: MarkerKind; readonly glyph: string; readonly label: string; readonly seq: number }
export interface ArrowHit {
  readonly id: string; readonly x1: number; readonly y1: number; readonly x2: number; readonly y2: number;
  readonly arrow: TimelineArrow;
  /** Whether the arrow had ended by the drawn moment (else it was drawn in flight). */
  readonly ended: boolean;
}
export interface BandHit { readonly x1: number; readonly x2: number; readonly y1: number; readonly y2: number; readonly title: string }

export interface TimelineLayout {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly scale: TimeScale;
  readonly lanes: readonly { readonly node: NodeId; readonly y: number }[];
  readonly ticks: readonly { readonly x: number; readonly label: string }[];
  readonly paths: readonly LayoutPath[];
  readonly texts: readonly LayoutText[];
  readonly markers: readonly LayoutMarker[];
  readonly arrowHits: readonly ArrowHit[];
  readonly bandHits: readonly BandHit[];
  readonly cursorX: number | null;
  readonly arrowsShown: number;
  readonly arrowsTotal: number;
  /** Many arrows: drawn without heads and dash patterns (dashes cost a lot to rasterize by the thousand). */
  readonly dense: boolean;
}

const BAND_HEIGHT_PX: Readonly<Record<Role, number>> = { follower: 6, precandidate: 10, candidate: 14, leader: 20 };
const ROLE_WORD: Readonly<Record<Role, string>> = { follower: 'follower', precandidate: 'pre-candidate', candidate: 'candidate', leader: 'leader' };
export const MARKER_GLYPHS: Readonly<Record<MarkerKind, string>> = {
  crash: '✖', restart: '↻', pause: '‖', resume: '▶', wipe: '⌫', partition: '⊘', link: '⇢', heal: '✚', 'time-scale': '◷', leader: '★', snapshot: '◆', violation: '⚠',
  'add-server': '⊕', 'remove-server': '⊖', 'promote-server': '⇧', 'transfer-leadership': '⇄',
};
const LABEL_MIN_WIDTH_PX = 70;
/**
 * A message type this UI does not know (a student's own nodes') is named beside its arrow, "? append_entries", at
 * most once per this many pixels for each sender and type: readable, without a label on every heartbeat.
 */
const OTHER_LABEL_GAP_PX = 240;
const MAX_CLIENT_OPS = 400;
const CLIENT_ROWS = 3;

class PathSet {
  private readonly parts = new Map<string, string[]>();
  add(styleKey: string, d: string): void {
    const list = this.parts.get(styleKey);
    if (list) list.push(d);
    else this.parts.set(styleKey, [d]);
  }
  paths(): LayoutPath[] {
    return [...this.parts].map(([styleKey, parts]) => ({ styleKey, d: parts.join('') }));
  }
}

// Whole pixels: shorter markup and faster to build and parse than fractions, and invisible at screen scale.
const px = (value: number): number => Math.round(value);
/**
 * Past this many arrows in view the heads and dash patterns are left out: time runs left to right, so direction is
 * still clear, and message types still differ by colour, width and opacity.
 */
const MAX_ARROWS_WITH_HEADS = 400;

export function layoutTimeline(input: LayoutInput): TimelineLayout {
  const scale = timeScale(input.startNs, input.endNs, input.widthPx);
  const nodeIds = input.timeline.laneNodesIn(input.startNs, input.endNs);
  const laneY = new Map<NodeId, number>(nodeIds.map((node, i) => [node, AXIS_PX + i * LANE_PX + LANE_PX / 2]));
  const lanesBottom = AXIS_PX + nodeIds.length * LANE_PX;
  const paths = new PathSet();
  const texts: LayoutText[] = [];
  /** Where the lanes' names, the bands' words and the own types' names are (a name that would overlap one is left out). */
  const wordBoxes = new TextBoxes();
  const bandHits: BandHit[] = [];
  const clientOps = input.timeline.clientOpsIn(input.startNs, input.endNs, MAX_CLIENT_OPS).filter((op) => op.seq <= input.limitSeq);
  const heightPx = lanesBottom + (clientOps.length > 0 ? CLIENT_LANE_PX : 0) + 6;

  for (const node of nodeIds) {
    const y = laneY.get(node) as number;
    paths.add('lane', `M${px(scale.x(input.startNs))} ${y}H${input.widthPx}`);
    texts.push({ x: 8, y: y + 4, text: `S${node}`, styleKey: 'lane-label' });
    wordBoxes.add(textBox(8, y + 4, `S${node}`, LABEL_FONT_PX.lane));
    for (const segment of input.timeline.segmentsIn(node, input.startNs, input.endNs)) {
      const words = layoutBand(segment, y, input, scale, paths, texts, bandHits);
      if (words) wordBoxes.add(textBox(words.x, words.y, words.text, LABEL_FONT_PX.band));
    }
  }

  const query = input.timeline.arrowsIn(input.startNs, input.endNs, input.maxArrows);
  const arrowHits: ArrowHit[] = [];
  const withHeads = query.arrows.length <= MAX_ARROWS_WITH_HEADS;
  const lastOtherLabelX = new Map<string, number>();
  for (const arrow of query.arrows) {
    if (arrow.sendSeq > input.limitSeq) continue;
    const hit = layoutArrow(arrow, laneY, input, scale, paths, withHeads);
    if (!hit) continue;
    arrowHits.push(hit);
    if (arrowStyle(arrow) === 'other') labelOtherArrow(hit, lastOtherLabelX, texts, wordBoxes);
  }

  const markers: LayoutMarker[] = [];
  for (const marker of input.timeline.markersIn(input.startNs, input.endNs)) {
    if (marker.seq > input.limitSeq) continue;
    const ys = marker.nodes.map((node) => laneY.get(node)).filter((y): y is number => y !== undefined);
    const spansAll = marker.kind === 'partition' || marker.kind === 'heal' || marker.kind === 'time-scale' || ys.length === 0;
    markers.push({ x: scale.x(marker.atNs), y1: spansAll ? AXIS_PX : Math.min(...ys) - LANE_PX / 2 + 3,
      y2: spansAll ? lanesBottom : Math.max(...ys) + LANE_PX / 2 - 3, kind: marker.kind, glyph: MARKER_GLYPHS[marker.kind],
      label: marker.label, seq: marker.seq });
  }

  for (const op of clientOps) {
    const row = op.client % CLIENT_ROWS;
    const y = lanesBottom + 6 + row * ((CLIENT_LANE_PX - 8) / CLIENT_ROWS);
    const x1 = scale.x(op.callNs);
    const x2 = Math.max(x1 + 2, scale.x(op.retNs));
    const highlighted = input.highlightedOpKeys.has(op.opKey);
    paths.add(highlighted ? 'op-highlight' : `op-${op.status}`, `M${px(x1)} ${px(y)}H${px(x2)}`);
    bandHits.push({ x1, x2, y1: y - 4, y2: y + 4, title: op.label });
    if (highlighted) texts.push({ x: x1, y: y - 3, text: op.label, styleKey: 'op-label' });
  }
  if (clientOps.length > 0) texts.push({ x: 8, y: lanesBottom + CLIENT_LANE_PX / 2 + 4, text: 'clients', styleKey: 'lane-label' });

  const cursorX = input.cursorNs === null || input.cursorNs < input.startNs || input.cursorNs > input.endNs ? null : scale.x(input.cursorNs);
  return {
    widthPx: input.widthPx, heightPx, scale, lanes: nodeIds.map((node) => ({ node, y: laneY.get(node) as number })),
    ticks: axisTicks(scale, input.originNs), paths: paths.paths(), texts, markers, arrowHits, bandHits, cursorX,
    arrowsShown: arrowHits.length, arrowsTotal: query.total, dense: !withHeads,
  };
}

/** Draws one band of a lane; returns its words when they are drawn on it. */
function layoutBand(segment: LaneSegment, y: number, input: LayoutInput, scale: TimeScale, paths: PathSet,
  texts: LayoutText[], hits: BandHit[]): LayoutText | null {
  if (segment.startSeq > input.limitSeq) return null;
  const open = segment.endSeq === null || segment.endSeq > input.limitSeq;
  const endNs = open ? input.edgeNs : (segment.endNs as number);
  const x1 = scale.x(Math.max(segment.startNs, input.startNs));
  const x2 = scale.x(Math.min(endNs, input.endNs));
  if (x2 <= x1) return null;
  const alive = segment.status === 'running' || segment.status === 'paused';
  const heightPx = alive ? BAND_HEIGHT_PX[segment.role] : 4;
  const rect = `M${px(x1)} ${px(y - heightPx / 2)}H${px(x2)}V${px(y + heightPx / 2)}H${px(x1)}Z`;
  if (alive) paths.add(`band-${segment.role}-${segment.term % 8}`, rect);
  // Role and status by pattern, not only colour: candidates hatched, pre-candidates dotted, paused striped.
  if (segment.role === 'candidate' && alive) paths.add('hatch', rect);
  if (segment.role === 'precandidate' && alive) paths.add('dots', rect);
  if (segment.status === 'paused') paths.add('paused', rect);
  if (!alive) paths.add(`status-${segment.status}`, rect);
  const words = alive ? `${ROLE_WORD[segment.role]} t${segment.term}${segment.status === 'paused' ? ' (paused)' : ''}` : segment.status;
  hits.push({ x1, x2, y1: y - LANE_PX / 2, y2: y + LANE_PX / 2, title: `S${segment.node}: ${words}` });
  if (x2 - x1 < LABEL_MIN_WIDTH_PX) return null;
  const text: LayoutText = { x: x1 + 3, y: y - LANE_PX / 2 + 9, text: words, styleKey: 'band-label' };
  texts.push(text);
  return text;
}

function layoutArrow(arrow: TimelineArrow, laneY: ReadonlyMap<NodeId, number>, input: LayoutInput, scale: TimeScale,
  paths: PathSet, withHead: boolean): ArrowHit | null {
  const y1 = laneY.get(arrow.fromNode);
  const toY = laneY.get(arrow.message.to);
  if (y1 === undefined || toY === undefined) return null;
  const x1 = scale.x(arrow.sentAtNs);
  const ended = arrow.endSeq !== null && arrow.endSeq <= input.limitSeq;
  const fate = ended ? arrow.fate : 'in-flight';
  let x2: number;
  let y2: number;
  const stale = fate === 'in-flight' && input.edgeNs - arrow.sentAtNs > input.staleFlightNs;
  if (stale) {
    x2 = x1 + 14;
    y2 = y1 + (toY - y1) * 0.3;
    paths.add('lost', `M${px(x2 + 3)} ${px(y2)}a3 3 0 1 0 -6 0a3 3 0 1 0 6 0`);
  } else if (fate === 'in-flight') {
    x2 = Math.max(x1 + 3, scale.x(input.edgeNs));
    y2 = y1 + (toY - y1) * 0.5;
  } else if (arrow.droppedAtSender) {
    x2 = x1 + 14;
    y2 = y1 + (toY - y1) * 0.3;
  } else {
    x2 = scale.x(arrow.endAtNs as number);
    y2 = laneY.get(arrow.endNode) ?? toY;
  }
  const style = arrowStyle(arrow);
  const line = `M${px(x1)} ${px(y1)}L${px(x2)} ${px(y2)}`;
  paths.add(fate === 'in-flight' ? `${style}-flight` : style, line);
  if (arrow.id === input.selectedMessageId) paths.add('selected', line);
  if (fate === 'delivered' && withHead) paths.add(`${style}-head`, arrowHead(x1, y1, x2, y2));
  if (fate === 'dropped') paths.add('drop-x', `M${px(x2 - 4)} ${px(y2 - 4)}l8 8m0 -8l-8 8`);
  return { id: arrow.id, x1, y1, x2, y2, arrow, ended };
}

function labelOtherArrow(hit: ArrowHit, lastLabelX: Map<string, number>, texts: LayoutText[], wordBoxes: TextBoxes): void {
  const key = `${hit.arrow.fromNode}/${hit.arrow.message.type}`;
  const last = lastLabelX.get(key);
  if (last !== undefined && Math.abs(hit.x1 - last) < OTHER_LABEL_GAP_PX) return;
  // Beside the arrow's start, on the side it leaves towards, so the name reads off the sender's lane. Where other
  // words are already there (another type's name, the band's role and term), a later arrow of this type is named.
  const down = hit.y2 >= hit.y1;
  const text: LayoutText = { x: hit.x1 + 3, y: hit.y1 + (down ? 10 : -4), text: `? ${hit.arrow.message.type.slice(0, 24)}`, styleKey: 'other-label' };
  const box = textBox(text.x, text.y, text.text, LABEL_FONT_PX.other);
  if (!wordBoxes.free(box)) return;
  lastLabelX.set(key, hit.x1);
  wordBoxes.add(box);
  texts.push(text);
}

/** The arrow in words, for its tooltip (built on hover, not for every arrow drawn). */
export function arrowTitle(hit: ArrowHit): string {
  const arrow = hit.arrow;
  const fate = hit.ended ? arrow.fate : 'in-flight';
  const stale = fate === 'in-flight' && arrow.endAtNs === null;
  const outcome = fate === 'in-flight' ? (stale ? 'in flight, or never arrived (no receive or drop was reported)' : 'in flight') : fate === 'dropped' ? `dropped: ${arrow.dropReason ?? 'no reason given'}`
    : `delivered after ${(((arrow.endAtNs as number) - arrow.sentAtNs) / 1e6).toFixed(2)} ms`;
  const help = arrow.message.type === 'InstallSnapshot' ? ` — ${INSTALL_SNAPSHOT_HELP}` : '';
  return `${messageSummary(arrow.message)} — ${outcome}${help}`;
}

function arrowStyle(arrow: TimelineArrow): string {
  switch (arrow.message.type) {
    case 'AppendEntries':
      return (arrow.message.entries?.length ?? 0) > 0 ? 'ae' : 'hb';
    case 'AppendEntriesReply':
      return 'aer';
    case 'RequestVote':
      return 'rv';
    case 'RequestVoteReply':
      return 'rvr';
    case 'InstallSnapshot':
      return 'is';
    case 'InstallSnapshotReply':
      return 'isr';
  }
  return 'other'; // a message type this UI does not know: drawn plainly rather than not at all
}

function arrowHead(x1: number, y1: number, x2: number, y2: number): string {
  const angle = Math.atan2(y2 - y1, x2 - x1);
  const size = 6;
  const left = angle + Math.PI - 0.4;
  const right = angle + Math.PI + 0.4;
  return `M${px(x2)} ${px(y2)}L${px(x2 + size * Math.cos(left))} ${px(y2 + size * Math.sin(left))}` +
    `L${px(x2 + size * Math.cos(right))} ${px(y2 + size * Math.sin(right))}Z`;
}
