// Every collection the UI keeps grows with the event stream, so each has a bound here. The numbers are sized for
// 2,000 events/s with 9 nodes over an hour: memory stays flat once the window is full.

/** Events kept for scrubbing, the timeline and the event log (the lab keeps the same number). */
export const DEFAULT_WINDOW_EVENTS = 50_000;
/** A full model state is kept every this many events, so stateAt replays at most this many. */
export const CHECKPOINT_EVERY_EVENTS = 500;
/** Newest log entries kept per node in the view (the logs view shows the tail; older entries are on disk). */
export const MAX_VIEW_LOG_ENTRIES = 1000;
/** Messages drawn in flight; past this the oldest are forgotten (a node that never answers cannot fill memory). */
export const MAX_IN_FLIGHT = 512;
/** A message still in flight after this long (times the time scale) is treated as lost and forgotten. */
export const IN_FLIGHT_TTL_NS = 60e9;
/** Delivered or dropped messages kept for the cluster view's arrival and loss animations. */
export const MAX_RECENT_OUTCOMES = 64;
/** Recent faults, errors and client operations kept in the view. */
export const MAX_RECENT_NOTES = 32;
/** Client sessions tracked per node for deduplication (the lab runs tens of clients). */
export const MAX_KV_SESSIONS = 1024;
/** Arrows drawn on the timeline at once: past this, the newest are drawn and the rest counted. */
export const MAX_DRAWN_ARROWS = 2000;
/** Client operations remembered by id to draw a duplicated delivery from its original send. */
export const MAX_ENDED_ARROWS_BY_ID = 1024;
/** Messages remembered as ended before their send was seen (the merge reorders reports of different nodes). */
export const MAX_ENDED_BEFORE_SEND = 512;
