// The lab over time: every view reads `view`, the whole lab at the cursor (live edge, a scrubbed past moment, or a
// moment of a loaded recording). Events are recorded into a bounded history and applied once per animation frame;
// big structures are shallow refs to raw objects so that 2,000 events/s cost no deep reactivity.
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef, triggerRef, watch } from 'vue';
import type { LabEvent } from '../../../src/protocol/events';
import { DEFAULT_SETTINGS, type LabApi, type LabSnapshot } from '../../../src/protocol/lab-api';
import { LabHistory } from '../model/lab-history';
import type { LabView, ViewCursor } from '../model/lab-view';
import { DEFAULT_WINDOW_EVENTS, MAX_VIEW_LOG_ENTRIES } from '../model/limits';
import { emptyModel, modelFromSnapshot, type BaseNodeDetail, type ModelState } from '../model/model-state';
import { createFrameScheduler } from './frame-scheduler';
import { createPublishStages } from './publish-stages';
import { useReplay } from './lab-replay';

/** refused: no connection was ever made (web mode without the lab's token, or no lab there); closed: one was lost. */
export type LinkState = 'connecting' | 'open' | 'closed' | 'refused';

export const REPLAY_SPEEDS = [0.25, 0.5, 1, 2, 5, 10, 50] as const;
/** Events waiting for the next frame; past this they are applied at once (a frame never came). */
const MAX_PENDING_EVENTS = 100_000;
/** Batches that arrive while attach() is still fetching the snapshot. */
const MAX_EARLY_BATCHES = 2000;
const NODE_DETAIL_TIMEOUT_MS = 2000;
/**
 * The views get a new live view at most this often (20 per second). Measured with 2,000 events/s and 9 nodes on two
 * shared cores: at 32 ms the frame p95 was 33 ms, at 50 ms 16.8 ms; text changing faster than this cannot be read, and
 * the cluster's animation runs on its own clock (useLabClock), unaffected.
 */
const LIVE_PUBLISH_INTERVAL_MS = 50;

export type { ReplayInfo } from './lab-replay';

function emptyHistory(): LabHistory {
  return markRaw(new LabHistory(emptyModel(DEFAULT_SETTINGS, 0)));
}

export const useLabStore = defineStore('lab', () => {
  const linkState = ref<LinkState>('connecting');
  const api = shallowRef<LabApi | null>(null);
  const liveHistory = shallowRef<LabHistory>(emptyHistory());
  const replayHistory = shallowRef<LabHistory | null>(null);
  /** The history on screen: the loaded recording during replay, else the live lab's. */
  const history = computed<LabHistory>(() => replayHistory.value ?? liveHistory.value);
  /** Bumps once per applied frame: anything drawn from `history`/`events` depends on it. */
  const revision = ref(0);
  const liveView = shallowRef<LabView>(liveHistory.value.live);
  /**
   * The live view as the secondary panels (the logs view and its stores, the event log) have it: `liveView`, except in
   * a busy lab, where it is brought up to date in a frame of its own, at a bounded rate (publish-stages.ts).
   */
  const panelLiveView = shallowRef<LabView>(liveHistory.value.live);
  /** The bounded event window of `history`, newest last. The same array, re-triggered per frame: do not mutate. */
  const events = shallowRef<readonly LabEvent[]>(liveHistory.value.events);
  const cursor = shallowRef<ViewCursor>({ mode: 'live' });
  const viewPaused = ref(false);
  const frozenView = shallowRef<LabView | null>(null);
  const selectedMessageId = ref<string | null>(null);
  /** Client operations (clientOpKey) of a linearizability violation, highlighted on the timeline. */
  const highlightedOpKeys = shallowRef<readonly string[]>([]);

  const isReplay = computed(() => replayHistory.value !== null);
  const { replayInfo, replayPlaying, replaySpeed, saveSession, loadSession, leaveReplay, playReplay, pauseReplay, advanceReplay } =
    useReplay({ history, replayHistory, cursor, viewPaused, frozenView, selectedMessageId, publish, flushPending });
  /** Newest seq the views draw: frozen while the view is paused, else the newest recorded. */
  const edgeSeq = computed(() => (viewPaused.value && frozenView.value ? frozenView.value.seq : liveView.value.seq));
  /** The same for the secondary panels (see panelLiveView). */
  const panelEdgeSeq = computed(() => (viewPaused.value && frozenView.value ? frozenView.value.seq : panelLiveView.value.seq));
  const view = computed<LabView>(() => {
    const at = cursor.value;
    if (at.mode === 'at') return history.value.stateAt(at.seq);
    return (viewPaused.value ? frozenView.value : null) ?? liveView.value;
  });
  /** `view` for the secondary panels: the same except at the live edge of a busy lab (see panelLiveView). */
  const panelView = computed<LabView>(() => (cursor.value.mode === 'live' && !viewPaused.value ? panelLiveView.value : view.value));
  const cursorSeq = computed(() => (cursor.value.mode === 'at' ? cursor.value.seq : edgeSeq.value));
  const timeRange = computed(() => {
    void revision.value;
    return { startNs: history.value.startNs, endNs: history.value.endNs };
  });
  const firstSeq = computed(() => { void revision.value; return history.value.baseSeq; });
  const lastSeq = computed(() => { void revision.value; return history.value.lastSeq; });
  const originNs = computed(() => history.value.originNs);

  // ---- live events ----
  let unsubscribe: (() => void) | null = null;
  let pending: (readonly LabEvent[])[] = [];
  let pendingCount = 0;
  let lastPublishMs = -Infinity;
  let pendingPublish = false;
  const stages = createPublishStages();
  const flushScheduler = createFrameScheduler((nowMs) => {
    // Every frame records what arrived; the views are told at most every LIVE_PUBLISH_INTERVAL_MS, which halves
    // their work at 60 frames/s and keeps the frames in between free. In a busy lab the secondary panels are told
    // in a later frame (publish-stages.ts), so that no one frame redraws everything.
    stages.frame();
    if (nowMs - lastPublishMs >= LIVE_PUBLISH_INTERVAL_MS && (pending.length > 0 || pendingPublish)) {
      stages.published(nowMs, pendingCount + appliedSincePublish);
      lastPublishMs = nowMs;
      appliedSincePublish = 0;
      flushPending(stages.busy);
    } else if (pending.length > 0 || pendingPublish) {
      appliedSincePublish += pendingCount;
      applyPending();
      pendingPublish = true;
    }
    if (panelLiveView.value !== liveView.value && stages.panelsDue(nowMs)) publishPanels();
    if (pendingPublish || panelLiveView.value !== liveView.value) flushScheduler.request();
  });
  /** Events recorded since the last publish (for the event rate that tells a busy lab). */
  let appliedSincePublish = 0;

  /** Shows the newest recorded moment; `panelsLater`: the secondary panels are told in a later frame. */
  function publish(panelsLater = false): void {
    const shown = history.value;
    liveView.value = shown.live;
    if (!panelsLater) publishPanels();
    events.value = shown.events;
    triggerRef(events);
    revision.value += 1;
    const at = cursor.value;
    if (at.mode === 'at' && at.seq < shown.baseSeq) cursor.value = { mode: 'at', seq: shown.baseSeq };
  }

  function publishPanels(): void {
    panelLiveView.value = liveView.value;
    stages.panelsPublished(typeof performance === 'object' ? performance.now() : Date.now());
  }

  function enqueue(batch: readonly LabEvent[]): void {
    pending.push(batch);
    pendingCount += batch.length;
    if (pendingCount > MAX_PENDING_EVENTS) flushPending();
    else flushScheduler.request();
  }

  /** Records every batch received so far in the live history, without telling the views. */
  function applyPending(): void {
    if (pending.length === 0) return;
    const batches = pending;
    pending = [];
    pendingCount = 0;
    for (const batch of batches) liveHistory.value.append(batch);
  }

  /**
   * Applies every batch received and shows the result (the frame loop calls it; tests call it instead of waiting).
   * `panelsLater` (the frame loop in a busy lab): the secondary panels are told in a later frame.
   */
  function flushPending(panelsLater = false): void {
    flushScheduler.cancel();
    const changed = pending.length > 0 || pendingPublish;
    applyPending();
    pendingPublish = false;
    if (changed && replayHistory.value === null) publish(panelsLater);
    else if (!panelsLater) publishPanels();
  }

  async function attach(labApi: LabApi): Promise<void> {
    detach();
    api.value = markRaw(labApi);
    const early: (readonly LabEvent[])[] = [];
    let started = false;
    const stop = labApi.subscribe((batch) => {
      if (started) enqueue(batch);
      else if (early.length < MAX_EARLY_BATCHES) early.push(batch);
    });
    unsubscribe = stop;
    const snapshot = await labApi.getSnapshot();
    const recent = await labApi.getRecentEvents(DEFAULT_WINDOW_EVENTS);
    const base = await baseFor(labApi, snapshot, recent);
    if (unsubscribe !== stop) return; // attached again meanwhile
    const fresh = markRaw(new LabHistory(base));
    fresh.append(recent);
    for (const batch of early) fresh.append(batch);
    started = true;
    liveHistory.value = fresh;
    pending = [];
    pendingCount = 0;
    if (cursor.value.mode === 'at' && replayHistory.value === null) cursor.value = { mode: 'live' };
    frozenView.value = viewPaused.value ? fresh.live : null;
    publish();
  }

  function detach(): void {
    unsubscribe?.();
    unsubscribe = null;
    flushScheduler.cancel();
    pending = [];
    pendingCount = 0;
  }

  // After a lost connection the lab may have moved on (or restarted): start again from its snapshot. The transport
  // goes closed -> connecting -> open, so remember the loss until the link is open again.
  let linkWasLost = false;
  watch(linkState, (now) => {
    if (now === 'closed' || now === 'refused') linkWasLost = true;
    if (now === 'open' && linkWasLost && api.value) {
      linkWasLost = false;
      void attach(api.value).catch(() => undefined);
    }
  });

  // ---- cursor and pause ----
  function setCursor(next: ViewCursor): void {
    if (next.mode === 'live') {
      cursor.value = next;
      return;
    }
    const shown = history.value;
    cursor.value = { mode: 'at', seq: Math.min(Math.max(Math.round(next.seq), shown.baseSeq), shown.lastSeq) };
  }

  /** Back to the newest moment (the end of the recording in replay), unpausing the view. */
  function goLive(): void {
    pauseReplay();
    viewPaused.value = false;
    frozenView.value = null;
    cursor.value = { mode: 'live' };
  }

  /** Space bar: freeze what is drawn while events keep being recorded (in replay: play/pause the recording). */
  function toggleViewPaused(): void {
    if (isReplay.value) {
      if (replayPlaying.value) pauseReplay();
      else playReplay(replaySpeed.value);
      return;
    }
    viewPaused.value = !viewPaused.value;
    frozenView.value = viewPaused.value ? liveView.value : null;
  }

  function selectMessage(id: string | null): void {
    selectedMessageId.value = id;
  }

  function setHighlightedOpKeys(keys: readonly string[]): void {
    highlightedOpKeys.value = keys;
  }

  return {
    linkState, api, history, revision, liveView, view, panelView, events, cursor, cursorSeq, edgeSeq, panelEdgeSeq, viewPaused, timeRange,
    firstSeq, lastSeq, originNs, isReplay, replayInfo, replayPlaying, replaySpeed, selectedMessageId, highlightedOpKeys,
    isBusy: () => stages.busy, attach, detach, flushPending: () => flushPending(), setCursor, goLive, toggleViewPaused, selectMessage, setHighlightedOpKeys,
    saveSession, loadSession, leaveReplay, playReplay, pauseReplay, advanceReplay,
  };
});

/** Where the window's history starts: an empty lab when the window reaches back to the first event, else the snapshot. */
async function baseFor(labApi: LabApi, snapshot: LabSnapshot, recent: readonly LabEvent[]): Promise<ModelState> {
  const first = recent[0];
  if (first === undefined) return modelFromSnapshot(snapshot);
  if (first.seq === 0) return emptyModel(snapshot.settings, first.atNs);
  // The lab forgot the oldest events: start from its snapshot (placed before the window), with each node's log so the
  // logs and KV views are right from the live edge on. The early part of the window is then approximate.
  const details = await nodeDetails(labApi, snapshot);
  return modelFromSnapshot({ ...snapshot, nextSeq: first.seq, atNs: Math.min(first.atNs, snapshot.atNs) }, details);
}

async function nodeDetails(labApi: LabApi, snapshot: LabSnapshot): Promise<Record<number, BaseNodeDetail>> {
  const details: Record<number, BaseNodeDetail> = {};
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), NODE_DETAIL_TIMEOUT_MS));
  const results = await Promise.allSettled(snapshot.nodes.map((node) =>
    Promise.race([labApi.getNodeDetail(node.id), timeout])));
  for (const result of results) {
    if (result.status !== 'fulfilled' || result.value === null) continue;
    const detail = result.value;
    details[detail.node.id] = { log: detail.log.slice(-MAX_VIEW_LOG_ENTRIES), kv: detail.kv, appliedIndex: detail.node.lastApplied };
  }
  return details;
}
