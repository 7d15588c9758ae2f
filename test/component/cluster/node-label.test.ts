// The words under each server: cut to the room between servers, so that neighbours' labels never print over each
// other or over a server, whatever the ring's size, the number of servers or the type.
import { describe, expect, it } from 'vitest';
import { diagramFrame, nodePosition, NODE_RADIUS, presentationZoom, type Point } from '../../../renderer/src/components/cluster/cluster-geometry';
import { labelRooms, MIN_LABEL_WIDTH, type LabelRoom } from '../../../renderer/src/components/cluster/label-room';
import { estimatedLabelWidth, fitLabel, labelBounds, labelHeights, naturalLabelHeight, type LabelFonts, type LabelLine } from '../../../renderer/src/components/cluster/node-label';

const NORMAL: LabelFonts = { state: 12, reason: 12 };
const PROJECTED: LabelFonts = { state: 15, reason: 14 };
const parts = { role: 'follower', second: 'voted S3', pid: 4242, event: 'granted its vote to S3 in term 4 after a timeout' };
const NOT_BESIDE = { sideWidth: 0, side: 'right' } as const;
const wide: LabelRoom = { width: 1000, height: naturalLabelHeight(NORMAL), aboveWidth: 0, aboveHeight: 0, ...NOT_BESIDE };
const kinds = (lines: readonly LabelLine[]) => lines.map((line) => line.kind);

describe('fitLabel', () => {
  it('with room: role and vote on one line, the pid, and the event on two lines', () => {
    const lines = fitLabel(parts, wide, NORMAL);
    expect(kinds(lines)).toEqual(['state', 'pid', 'reason', 'reason']);
    expect(lines[0]?.text).toBe('follower · voted S3');
    expect(lines.map((line) => line.y)).toEqual([...lines.map((line) => line.y)].sort((a, b) => a - b));
  });

  it('narrower: the role and the vote on two lines, each event line shorter, nothing wider than the room', () => {
    const room = { width: 90, height: 200, aboveWidth: 0, aboveHeight: 0, ...NOT_BESIDE };
    const lines = fitLabel(parts, room, NORMAL);
    expect(lines.filter((line) => line.kind === 'state').map((line) => line.text)).toEqual(['follower', 'voted S3']);
    expect(estimatedLabelWidth(lines)).toBeLessThanOrEqual(room.width);
  });

  it('lower: the pid goes first, then event lines; a cut event ends in an ellipsis; the role always stays', () => {
    const full = fitLabel(parts, wide, NORMAL);
    const fullBottom = (full.at(-1)?.y ?? 0) + 0.25 * NORMAL.reason;
    const noPid = fitLabel(parts, { ...wide, height: fullBottom - 5 }, NORMAL);
    expect(kinds(noPid)).toEqual(['state', 'reason', 'reason']);
    const oneEvent = fitLabel(parts, { ...wide, height: (full[2]?.y ?? 0) - 2 }, NORMAL);
    expect(kinds(oneEvent)).toEqual(['state', 'reason']);
    expect(oneEvent[1]?.text.endsWith('…')).toBe(true);
    expect(kinds(fitLabel(parts, { ...wide, height: 0 }, NORMAL))).toEqual(['state']);
  });

  it('with no line\'s room under the server, the role and the vote go above it, clear of its election timer', () => {
    const lines = fitLabel(parts, { width: 1000, height: 4, aboveWidth: 1000, aboveHeight: 60, ...NOT_BESIDE }, NORMAL);
    expect(lines.map((line) => line.text)).toEqual(['follower · voted S3']);
    expect(lines[0]?.y).toBeLessThanOrEqual(-2 * NODE_RADIUS - 16 - 3);
    const narrow = fitLabel(parts, { width: 1000, height: 4, aboveWidth: 80, aboveHeight: 60, ...NOT_BESIDE }, NORMAL);
    expect(narrow.map((line) => line.text)).toEqual(['follower', 'voted S3']);
    // A little short of a line under it: the line stays there, a little smaller.
    const squeezed = fitLabel(parts, { width: 1000, height: 18, aboveWidth: 1000, aboveHeight: 60, ...NOT_BESIDE }, NORMAL);
    expect(squeezed[0]?.y).toBeGreaterThan(0);
    expect(squeezed[0]?.fontSize).toBeLessThan(12);
  });

  it('with room beside the server, the role and the vote go there, outward and level with it, before above it', () => {
    const left = fitLabel(parts, { width: 1000, height: 4, aboveWidth: 1000, aboveHeight: 60, sideWidth: 90, side: 'left' }, NORMAL);
    expect(left.map((line) => line.text)).toEqual(['follower', 'voted S3']);
    const box = labelBounds(left);
    expect(box.right).toBeLessThanOrEqual(-NODE_RADIUS - 16);
    expect(box.right - box.left).toBeLessThanOrEqual(90);
    // Level with the server: its middle at the circle's centre.
    expect(Math.abs((box.top + box.bottom) / 2)).toBeLessThan(2);
    const right = labelBounds(fitLabel(parts, { width: 1000, height: 4, aboveWidth: 0, aboveHeight: 0, sideWidth: 300, side: 'right' }, NORMAL));
    expect(right.left).toBeGreaterThanOrEqual(NODE_RADIUS + 16);
  });
});

describe('labelRooms', () => {
  it('splits the width between level neighbours and keeps a label inside the diagram', () => {
    const rooms = labelRooms([{ x: 100, y: 100 }, { x: 220, y: 100 }], { width: 400, height: 300 }, heights(60));
    expect(rooms[0]?.width).toBeLessThanOrEqual(120);
    expect(rooms[1]?.width).toBeLessThanOrEqual(120);
    const [edge] = labelRooms([{ x: 30, y: 100 }], { width: 400, height: 300 }, heights(60));
    expect(edge?.width).toBeLessThanOrEqual(60);
  });

  it('stops a label above a server just under it', () => {
    const [above] = labelRooms([{ x: 100, y: 100 }, { x: 110, y: 200 }], { width: 400, height: 400 }, heights(80));
    expect((above?.height ?? 0) + 100 + NODE_RADIUS).toBeLessThanOrEqual(200 - NODE_RADIUS);
  });

  it('puts the words of a server with a server close below it beside it, outward, where the diagram has room', () => {
    // The left one of two servers one above the other, with room on its left; the other server's words are under it.
    const [upper, lower] = labelRooms([{ x: 200, y: 150 }, { x: 215, y: 240 }], { width: 500, height: 400 }, labelHeights(NORMAL));
    expect(upper?.side).toBe('left');
    expect(upper?.sideWidth).toBeGreaterThanOrEqual(MIN_LABEL_WIDTH);
    expect(upper?.sideWidth).toBeLessThanOrEqual(200 - NODE_RADIUS - 16);
    expect(lower?.sideWidth).toBe(0);
    // No room beside it (the diagram's edge close by): above it instead.
    const [cramped] = labelRooms([{ x: 90, y: 150 }, { x: 105, y: 240 }], { width: 500, height: 400 }, labelHeights(NORMAL));
    expect(cramped?.sideWidth).toBe(0);
    expect(cramped?.aboveHeight).toBeGreaterThan(0);
  });

  // Every ring the lab draws: 1 to 9 servers, panels from narrow to wide, the usual type (enlarged up to 1.4x in a
  // small panel, 1.7x for up to five servers) and the projector's with presentation mode's zoom.
  it('leaves no label over another label or another server, for every ring drawn', () => {
    for (const [fonts, projected, maxCount] of [[NORMAL, false, 9], [{ state: 16.8, reason: 16.8 }, false, 9], [{ state: 20.4, reason: 20.4 }, false, 5],
      [PROJECTED, true, 9], [{ state: 21, reason: 19.6 }, true, 9], [{ state: 25.5, reason: 23.8 }, true, 5]] as const) {
      for (const aspect of [0.8, 1, 1.3, 1.8, 2.5, 3.5]) {
        for (let count = 1; count <= maxCount; count += 1) {
          const zoom = projected ? presentationZoom(count) : 1;
          const frame = diagramFrame(aspect, zoom);
          const points = Array.from({ length: count }, (_, slot) => nodePosition(slot, count, frame));
          const rooms = labelRooms(points, frame, labelHeights(fonts));
          expect(rooms.length).toBe(count);
          const boxes = points.map((point, i) => labelBox(point, fitLabel(
            { role: 'candidate', second: 'cluster in term 12', pid: 123456, event: 'started an election for term 12 after its timeout' },
            rooms[i] ?? wide, fonts)));
          const where = `${count} servers, aspect ${aspect}, zoom ${zoom}, fonts ${fonts.state}`;
          boxes.forEach((box, i) => {
            expect(box.left >= 0 && box.right <= frame.width && box.top >= 0 && box.bottom <= frame.height, `${where}: S${i + 1}'s label inside the diagram`).toBe(true);
            boxes.forEach((other, j) => { if (j > i) expect(overlaps(box, other), `${where}: S${i + 1} and S${j + 1}`).toBe(false); });
            points.forEach((point, j) => {
              if (j !== i) expect(overlaps(box, circleBox(point)), `${where}: S${i + 1}'s label over S${j + 1}`).toBe(false);
            });
          });
        }
      }
    }
  });
});

interface Box { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number }

function labelBox(point: Point, lines: readonly LabelLine[]): Box {
  const box = labelBounds(lines);
  return { left: point.x + box.left, right: point.x + box.right, top: point.y + box.top, bottom: point.y + box.bottom };
}

/** Heights for a room test: the natural one given, the others as at the usual type. */
function heights(natural: number) {
  return { ...labelHeights(NORMAL), natural };
}

function circleBox(point: Point): Box {
  return { left: point.x - NODE_RADIUS, right: point.x + NODE_RADIUS, top: point.y - NODE_RADIUS, bottom: point.y + NODE_RADIUS };
}

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}
