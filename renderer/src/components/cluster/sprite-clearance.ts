// A message drawn at a server's rim (just sent, or waiting at its receiver while the cluster is frozen or stepped) sat
// on the words under that server whenever its link comes in from below: a RequestVote parked at S1 covered "follower ·
// no vote", the very words the step is about. Such a glyph is moved back along its link, towards the middle, until it
// clears those words, and the server's circle (its name). A message crossing the middle of its link is left where it
// is: it moves on.
import type { InjectionKey } from 'vue';
import type { NodeId } from '../../../../src/protocol/raft';
import { NODE_RADIUS, pointBetween, type Point } from './cluster-geometry';
import type { Box } from './label-room';

/** Provided by the cluster diagram, filled by each NodeGlyph: where its words are, from its centre (diagram units). */
export const LABEL_BOXES_KEY: InjectionKey<Map<NodeId, Box>> = Symbol('label-boxes');

/** A message glyph's extent around its point: its shape (MessageGlyph's size 11) and the ✓ or count to its right. */
const GLYPH: Box = { left: -13, right: 27, top: -15, bottom: 13 };
/** The glyph's own shape (MessageGlyph's size 11): it may touch a server's ring, not cover it. */
const GLYPH_RADIUS = 11;
/** How far back along the link a glyph is moved per try (a share of the link); it stops at the link's middle. */
const STEP = 0.02;

export interface SpriteEnds {
  readonly from: Point;
  readonly to: Point;
  /** Where the sender's and the receiver's words are, from their centres; undefined: not known (yet). */
  readonly fromWords: Box | undefined;
  readonly toWords: Box | undefined;
}

/** The point to draw a glyph at `progress` (0 at the sender's rim, 1 at the receiver's) with its lane offset. */
export function clearSpritePoint(ends: SpriteEnds, progress: number, lane: Point): Point {
  const nearReceiver = progress >= 0.5;
  const words = nearReceiver ? ends.toWords : ends.fromWords;
  const owner = nearReceiver ? ends.to : ends.from;
  let at = progress;
  let point = offset(pointBetween(ends.from, ends.to, at), lane);
  const box = words && { left: owner.x + words.left, right: owner.x + words.right, top: owner.y + words.top, bottom: owner.y + words.bottom };
  while (inTheWay(point, owner, box) && at !== 0.5) {
    at = nearReceiver ? Math.max(0.5, at - STEP) : Math.min(0.5, at + STEP);
    point = offset(pointBetween(ends.from, ends.to, at), lane);
  }
  return point;
}

/** On the server's circle (a glyph on its rim, with its lane offset, covered its name and term) or on its words. */
function inTheWay(at: Point, server: Point, words: Box | undefined): boolean {
  return Math.hypot(at.x - server.x, at.y - server.y) < NODE_RADIUS + GLYPH_RADIUS || (words !== undefined && overlaps(words, at));
}

function offset(point: Point, by: Point): Point {
  return { x: point.x + by.x, y: point.y + by.y };
}

function overlaps(box: Box, at: Point): boolean {
  return at.x + GLYPH.right > box.left && at.x + GLYPH.left < box.right && at.y + GLYPH.bottom > box.top && at.y + GLYPH.top < box.bottom;
}
