// Which of a busy lab's log rows out of sight are brought up to date now. Most windows show three or four of nine
// servers' rows; redrawing the others ten times a second was half of the logs view's new boxes, and the logs view's
// updates were most of a busy lab's frames over budget. A row out of sight is instead brought up to date every few
// seconds (and at once when it comes into sight, which makes it no longer hidden). It has then fallen a whole row of
// entries behind, so each catch-up redraws every box of its row: at most one such row per new view, the one longest
// behind, so that catching up never piles into one frame. Once the lab falls quiet (no new view for QUIET_MS), every
// row is brought up to date at once.

/** A row out of sight is brought up to date about this often in a busy lab. */
export const HIDDEN_ROW_REFRESH_MS = 3000;

/** No new view for this long: the lab has fallen quiet, and every row catches up at once. */
export const QUIET_MS = 500;

/**
 * The hidden rows to bring up to date now. While new views keep coming (the last within QUIET_MS): the one longest
 * behind, if it has been behind for HIDDEN_ROW_REFRESH_MS or more. Once the lab has fallen quiet: all of them.
 * `refreshedAtMs`: when each row was last brought up to date (a row never drawn is due at once).
 */
export function hiddenRowsDue(hidden: ReadonlySet<number>, refreshedAtMs: ReadonlyMap<number, number>, nowMs: number,
  lastNewViewAtMs: number): ReadonlySet<number> {
  if (nowMs - lastNewViewAtMs >= QUIET_MS) return hidden;
  let longest: { readonly id: number; readonly atMs: number } | null = null;
  for (const id of hidden) {
    const atMs = refreshedAtMs.get(id) ?? -Infinity;
    if (nowMs - atMs < HIDDEN_ROW_REFRESH_MS) continue;
    if (longest === null || atMs < longest.atMs || (atMs === longest.atMs && id < longest.id)) longest = { id, atMs };
  }
  return new Set(longest === null ? [] : [longest.id]);
}
