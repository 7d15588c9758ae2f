// A message drawn at a server's rim is moved back along its link until it clears the words under that server and its
// circle, and no further than the link's middle; one elsewhere on its link stays where it is.
import { describe, expect, it } from 'vitest';
import { NODE_RADIUS, pointBetween, type Point } from '../../../renderer/src/components/cluster/cluster-geometry';
import type { Box } from '../../../renderer/src/components/cluster/label-room';
import { clearSpritePoint } from '../../../renderer/src/components/cluster/sprite-clearance';

const NO_LANE: Point = { x: 0, y: 0 };
/** Words under a server as NodeGlyph lays them out: centred, from just below the circle, 60 units down. */
const WORDS_BELOW: Box = { left: -80, right: 80, top: NODE_RADIUS, bottom: NODE_RADIUS + 60 };
/** The glyph's extent (sprite-clearance.ts's GLYPH), to check the answers with. */
const GLYPH = { left: -13, right: 27, top: -15, bottom: 13 };

function clearOf(words: Box, owner: Point, at: Point): boolean {
  return at.x + GLYPH.right <= owner.x + words.left || at.x + GLYPH.left >= owner.x + words.right
    || at.y + GLYPH.bottom <= owner.y + words.top || at.y + GLYPH.top >= owner.y + words.bottom;
}

describe('messages at a server\'s rim clear its words', () => {
  // S3 below and to the left of S1, as in a three-server triangle: its messages reach S1 from below, through S1's words.
  const s1: Point = { x: 300, y: 100 };
  const s3: Point = { x: 120, y: 420 };

  it('a message waiting at its receiver is moved back along its link until the receiver\'s words are clear', () => {
    const ends = { from: s3, to: s1, fromWords: WORDS_BELOW, toWords: WORDS_BELOW };
    const parked = pointBetween(s3, s1, 0.97);
    expect(clearOf(WORDS_BELOW, s1, parked)).toBe(false); // where it was drawn
    const drawn = clearSpritePoint(ends, 0.97, NO_LANE);
    expect(clearOf(WORDS_BELOW, s1, drawn)).toBe(true);
    // Still on its link, on the receiver's half of it.
    const t = (drawn.y - s3.y) / (s1.y - s3.y);
    expect(drawn.x).toBeCloseTo(s3.x + (s1.x - s3.x) * t, 6);
    expect(Math.hypot(drawn.x - s1.x, drawn.y - s1.y)).toBeLessThan(Math.hypot(drawn.x - s3.x, drawn.y - s3.y));
  });

  it('a message just sent is moved forward off its sender\'s words in the same way', () => {
    const ends = { from: s1, to: s3, fromWords: WORDS_BELOW, toWords: undefined };
    expect(clearOf(WORDS_BELOW, s1, pointBetween(s1, s3, 0))).toBe(false);
    expect(clearOf(WORDS_BELOW, s1, clearSpritePoint(ends, 0, NO_LANE))).toBe(true);
  });

  it('one on its way is drawn where its progress says', () => {
    const ends = { from: s3, to: s1, fromWords: WORDS_BELOW, toWords: WORDS_BELOW };
    expect(clearSpritePoint(ends, 0.6, NO_LANE)).toEqual(pointBetween(s3, s1, 0.6));
  });

  it('one at a rim with no words in its way is moved only off the server\'s circle (its name and term)', () => {
    const above: Point = { x: 300, y: -300 };
    for (const words of [WORDS_BELOW, undefined]) { // words below are not on a link from above; unknown words neither
      const drawn = clearSpritePoint({ from: above, to: s1, fromWords: undefined, toWords: words }, 0.97, NO_LANE);
      expect(drawn.x).toBeCloseTo(300, 6);
      const distance = Math.hypot(drawn.x - s1.x, drawn.y - s1.y);
      expect(distance).toBeGreaterThanOrEqual(NODE_RADIUS + 11);
      expect(distance).toBeLessThan(NODE_RADIUS + 11 + 0.02 * 400); // one step of the way back at most
    }
  });

  it('never past the middle of its link, however wide the words', () => {
    const huge: Box = { left: -2000, right: 2000, top: -2000, bottom: 2000 };
    expect(clearSpritePoint({ from: s3, to: s1, fromWords: huge, toWords: huge }, 0.97, NO_LANE)).toEqual(pointBetween(s3, s1, 0.5));
  });
});
