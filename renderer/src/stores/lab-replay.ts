// Replay of a recorded session inside the lab store: loading and saving sessions, and playing the recording at a
// chosen speed by moving the store's cursor, frame by frame. The store owns the shared state; this owns the playhead.
import { markRaw, ref, shallowRef, type Ref, type ShallowRef } from 'vue';
import type { LabHistory } from '../model/lab-history';
import type { LabView, ViewCursor } from '../model/lab-view';
import { historyFromSession, sessionFromHistory } from '../session/session-build';
import { parseSession, serializeSession } from '../session/session-format';
import { createFrameScheduler } from './frame-scheduler';

/** During replay, a quiet stretch longer than this (replay time) is skipped: nothing to watch. */
const MAX_REPLAY_IDLE_MS = 1000;
/** A frame that comes late (a background tab) advances the replay by at most this much. */
const MAX_REPLAY_FRAME_MS = 250;

export interface ReplayInfo {
  readonly savedAt: string;
  readonly eventCount: number;
}

/** What the replay reads and moves in the lab store. */
export interface ReplayHost {
  readonly history: Readonly<Ref<LabHistory>>;
  readonly replayHistory: ShallowRef<LabHistory | null>;
  readonly cursor: ShallowRef<ViewCursor>;
  readonly viewPaused: Ref<boolean>;
  readonly frozenView: ShallowRef<LabView | null>;
  readonly selectedMessageId: Ref<string | null>;
  /** Tells the views that what they show changed. */
  publish(): void;
  /** Applies what the live lab sent meanwhile (on leaving a replay). */
  flushPending(): void;
}

export function useReplay(host: ReplayHost) {
  const replayInfo = shallowRef<ReplayInfo | null>(null);
  const replayPlaying = ref(false);
  const replaySpeed = ref(1);
  let playheadNs = 0;
  let lastReplayFrameMs: number | null = null;
  const replayScheduler = createFrameScheduler((nowMs) => {
    const elapsedMs = lastReplayFrameMs === null ? 0 : nowMs - lastReplayFrameMs;
    lastReplayFrameMs = nowMs;
    advanceReplay(Math.min(elapsedMs, MAX_REPLAY_FRAME_MS));
    if (replayPlaying.value) replayScheduler.request();
  });

  function saveSession(): string {
    return serializeSession(sessionFromHistory(host.history.value, new Date()));
  }

  /** Shows a recorded session instead of the live lab. Throws (naming the bad line) and changes nothing if invalid. */
  function loadSession(text: string): void {
    const session = parseSession(text);
    const loaded = markRaw(historyFromSession(session));
    pauseReplay();
    host.replayHistory.value = loaded;
    replayInfo.value = { savedAt: session.savedAt, eventCount: session.events.length };
    host.viewPaused.value = false;
    host.frozenView.value = null;
    host.selectedMessageId.value = null;
    // At the first recorded event: the base before it is no moment of the recording ("event -1").
    host.cursor.value = { mode: 'at', seq: loaded.events[0]?.seq ?? loaded.baseSeq };
    host.publish();
  }

  function leaveReplay(): void {
    pauseReplay();
    host.replayHistory.value = null;
    replayInfo.value = null;
    host.cursor.value = { mode: 'live' };
    host.flushPending();
    host.publish();
  }

  /** Plays the recording from the cursor (from the start if the cursor is at the end) at `speed` times real time. */
  function playReplay(speed: number = replaySpeed.value): void {
    const shown = host.replayHistory.value;
    if (shown === null) return;
    replaySpeed.value = speed;
    const cursor = host.cursor.value;
    const atSeq = cursor.mode === 'at' ? cursor.seq : shown.lastSeq;
    if (atSeq >= shown.lastSeq) {
      host.cursor.value = { mode: 'at', seq: shown.events[0]?.seq ?? shown.baseSeq };
      playheadNs = shown.startNs;
    } else {
      playheadNs = shown.timeOfSeq(atSeq);
    }
    replayPlaying.value = true;
    lastReplayFrameMs = null;
    replayScheduler.request();
  }

  function pauseReplay(): void {
    replayPlaying.value = false;
    replayScheduler.cancel();
  }

  /** Moves the replay forward by `elapsedMs` of wall time (the frame loop calls it; tests may too). */
  function advanceReplay(elapsedMs: number): void {
    const shown = host.replayHistory.value;
    if (shown === null || !replayPlaying.value) return;
    playheadNs += elapsedMs * 1e6 * replaySpeed.value;
    let seq = shown.seqAtTime(playheadNs);
    const next = shown.events[shown.positionOfSeq(seq) + 1];
    const idleLimitNs = MAX_REPLAY_IDLE_MS * 1e6 * replaySpeed.value;
    if (next !== undefined && shown.timeOfSeq(next.seq) - playheadNs > idleLimitNs) {
      playheadNs = shown.timeOfSeq(next.seq) - idleLimitNs;
      seq = shown.seqAtTime(playheadNs);
    }
    host.cursor.value = { mode: 'at', seq };
    if (seq >= shown.lastSeq) pauseReplay();
  }

  return { replayInfo, replayPlaying, replaySpeed, saveSession, loadSession, leaveReplay, playReplay, pauseReplay, advanceReplay };
}
