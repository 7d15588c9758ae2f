// When a busy lab's views are told about new events. At thousands of events a second, one frame that redraws
// everything (the cluster, the timeline, the logs view with its stores, the event log) took 30-48 ms of CPU, two to
// three frames' time, every 50 ms. So, in a busy lab only, the work is spread over the frames between publishes:
//   frame 0: the store publishes; the cluster diagram, its cards and captions follow at once (what students watch);
//   frame 1: the timeline redraws (TimelineView defers its redraw by a frame while the lab is busy);
//   frame 2 or later: the secondary panels (logs view, stores, event log) take the new view, at most
//            PANEL_PUBLISH_INTERVAL_MS apart: ten times a second is still faster than anyone reads them.
// When frames are long (a loaded machine: 25 ms or more), every frame publishes and no frame 2 comes: the panels
// then take the new view in whatever frame finds them MAX_PANEL_LAG_MS behind, so they never stop.
// A lab below BUSY_EVENTS_PER_SECOND (slow motion, a normal-rate cluster) is drawn as before: everything in one frame.

/** Above this rate (events a second, smoothed) a lab is busy. A 5-node cluster at normal speed under a workload stays under it. */
export const BUSY_EVENTS_PER_SECOND = 1000;
/** A busy lab's secondary panels take a new view at most this often (10 a second). */
export const PANEL_PUBLISH_INTERVAL_MS = 100;
/** The panels are told this many frames after a publish: the frame after it is the timeline's. */
export const PANEL_DELAY_FRAMES = 2;
/** The panels are told in any frame, a publish frame too, once this long has passed since they were last told. */
export const MAX_PANEL_LAG_MS = 2 * PANEL_PUBLISH_INTERVAL_MS;
/**
 * Rate smoothing over about this long: a burst of a frame or two does not flip the state, and after a quiet spell the
 * first publish's rate counts fully (a lab that stopped is not busy).
 */
const RATE_TIME_CONSTANT_MS = 200;
/** Frame timestamps jitter around 1/60 s: "100 ms apart" accepts up to half a frame less. */
const FRAME_SLACK_MS = 8;

export interface PublishStages {
  /** True while the smoothed event rate is above BUSY_EVENTS_PER_SECOND. */
  readonly busy: boolean;
  /** Call at the start of every frame of the store's loop. */
  frame(): void;
  /** The store publishes at `nowMs`, with `events` recorded since its previous publish. */
  published(nowMs: number, events: number): void;
  /** Whether the panels, being behind, may be told in this frame. */
  panelsDue(nowMs: number): boolean;
  panelsPublished(nowMs: number): void;
}

export function createPublishStages(): PublishStages {
  let ratePerSecond = 0;
  let lastPublishMs: number | null = null;
  let framesSincePublish = 0;
  let lastPanelsMs = -Infinity;
  return {
    get busy() {
      return ratePerSecond > BUSY_EVENTS_PER_SECOND;
    },
    frame() {
      framesSincePublish += 1;
    },
    published(nowMs, events) {
      if (lastPublishMs !== null && nowMs > lastPublishMs) {
        const observed = (events * 1000) / (nowMs - lastPublishMs);
        ratePerSecond += (observed - ratePerSecond) * (1 - Math.exp(-(nowMs - lastPublishMs) / RATE_TIME_CONSTANT_MS));
      }
      lastPublishMs = nowMs;
      framesSincePublish = 0;
    },
    panelsDue(nowMs) {
      const sinceMs = nowMs - lastPanelsMs;
      if (sinceMs < PANEL_PUBLISH_INTERVAL_MS - FRAME_SLACK_MS) return false;
      return framesSincePublish >= PANEL_DELAY_FRAMES || sinceMs >= MAX_PANEL_LAG_MS - FRAME_SLACK_MS;
    },
    panelsPublished(nowMs) {
      lastPanelsMs = nowMs;
    },
  };
}
