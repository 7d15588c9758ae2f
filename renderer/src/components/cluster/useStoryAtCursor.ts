// What the story index says at the cursor: the caption strip's sentences, the line under each server and a server's
// recent reasons. Each frame costs a binary search and at most CAPTION_SCAN_LIMIT notes, and an answer is reused
// (the same array) while no significant event came before the cursor, so nothing re-renders on heartbeats.
import { computed, type ComputedRef, type InjectionKey } from 'vue';
import { storeToRefs } from 'pinia';
import { useLabStore } from '../../stores/lab-store';
import { buildCaptions, type Caption } from '../../model/captions';
import { nodeLine } from '../../model/node-line';
import type { StoryNote } from '../../model/story-index';
import type { LabHistory } from '../../model/lab-history';
import { reuse } from '../../composables/stable';

/** Provided by the cluster view for the line under each server (NodeGlyph): node id -> a few words. */
export const NODE_LINES_KEY: InjectionKey<ComputedRef<Readonly<Record<number, string>>>> = Symbol('node-lines');

/** Reasons the inspector lists for a server. */
export const RECENT_REASONS = 5;

export function useStoryAtCursor() {
  const { history, revision, cursorSeq, view } = storeToRefs(useLabStore());
  let memo: { readonly history: LabHistory; readonly stamp: string; readonly captions: readonly Caption[] } | null = null;

  const captions = computed<readonly Caption[]>(() => {
    void revision.value;
    const shown = history.value;
    const story = shown.timeline.story;
    const seq = cursorSeq.value;
    const stamp = story.stampAt(seq);
    if (memo !== null && memo.history === shown && memo.stamp === stamp) return memo.captions;
    const next = buildCaptions(story.newestFirst(seq));
    memo = { history: shown, stamp, captions: next };
    return next;
  });

  const nodeLines = computed<Readonly<Record<number, string>>>((previous) => {
    void revision.value;
    const story = history.value.timeline.story;
    const lines: Record<number, string> = {};
    for (const id of Object.keys(view.value.nodes).map(Number)) {
      const [latest] = story.recentOfNode(id, cursorSeq.value, 1);
      if (latest !== undefined) lines[id] = nodeLine(latest.event);
    }
    return reuse(previous, lines);
  });

  /** The newest significant events of `node` at the cursor, newest first. */
  function recentOf(node: number, count = RECENT_REASONS): StoryNote[] {
    void revision.value;
    return history.value.timeline.story.recentOfNode(node, cursorSeq.value, count);
  }

  return { captions, nodeLines, recentOf };
}
