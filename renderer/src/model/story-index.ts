// The significant events of the window (see significance.ts), kept one event at a time so that the caption strip, the
// line under each server and the timeline's jumps cost a binary search and a few notes per frame, never a pass over
// the 50,000-event window. Trimmed with the window, so it holds at most the window's events.
import type { LabEvent } from '../../../src/protocol/events';
import type { NodeId } from '../../../src/protocol/raft';
import { lowerBound, upperBound } from './sorted-search';
import { jumpKind, storyTopic, type JumpKind, type StoryTopic } from './significance';

export interface StoryNote {
  readonly seq: number;
  readonly atNs: number;
  /** The monotone time stamp the timeline searches by. */
  readonly keyNs: number;
  readonly topic: StoryTopic;
  readonly event: LabEvent;
}

export interface JumpPoint {
  readonly seq: number;
  readonly keyNs: number;
}

/** Faults that happen to one server (a partition or a heal concerns them all: the caption strip tells those). */
const NODE_FAULTS: ReadonlySet<string> = new Set(['crash', 'restart', 'pause', 'resume', 'wipe']);

export class StoryIndex {
  private readonly noteList: StoryNote[] = [];
  private readonly notesByNode = new Map<NodeId, StoryNote[]>();
  private readonly jumpLists: Record<JumpKind, JumpPoint[]> = { election: [], commit: [], fault: [] };
  /** Seqs at which a new cluster started: what came before belongs to another cluster (its S1 is not this S1). */
  private readonly clusterStarts: number[] = [];
  /** Bumped by every trim: with the count of notes up to a seq, it tells whether an answer can be reused. */
  private trims = 0;

  get size(): number {
    return this.noteList.length;
  }

  add(event: LabEvent, keyNs: number): void {
    if (event.type === 'cluster-phase' && event.phase === 'starting') this.clusterStarts.push(event.seq);
    const jump = jumpKind(event);
    if (jump !== null) this.jumpLists[jump].push({ seq: event.seq, keyNs });
    const topic = storyTopic(event);
    if (topic === null) return;
    const note: StoryNote = { seq: event.seq, atNs: event.atNs, keyNs, topic, event };
    this.noteList.push(note);
    for (const node of nodesOf(event)) {
      let list = this.notesByNode.get(node);
      if (list === undefined) this.notesByNode.set(node, list = []);
      list.push(note);
    }
  }

  /** Forget everything before `seq` (the window's first event). */
  trimBefore(seq: number): void {
    const bySeq = (item: { readonly seq: number }): number => item.seq;
    this.noteList.splice(0, lowerBound(this.noteList, seq, bySeq));
    for (const [node, list] of this.notesByNode) {
      list.splice(0, lowerBound(list, seq, bySeq));
      if (list.length === 0) this.notesByNode.delete(node);
    }
    for (const list of Object.values(this.jumpLists)) list.splice(0, lowerBound(list, seq, bySeq));
    // The newest start before the window is still the one its events belong to: keep it.
    this.clusterStarts.splice(0, Math.max(0, upperBound(this.clusterStarts, seq, (start) => start) - 1));
    this.trims += 1;
  }

  /** Equal stamps for two seqs mean the same notes lie at or before them (answers may be reused). */
  stampAt(seq: number): string {
    return `${this.trims}:${upperBound(this.noteList, seq, (note) => note.seq)}`;
  }

  /** Seq of the start of the cluster running at `seq` (-1: none seen). */
  clusterStartAt(seq: number): number {
    return this.clusterStarts[upperBound(this.clusterStarts, seq, (start) => start) - 1] ?? -1;
  }

  /** The notes at or before `seq` and of the cluster running then (its start included), newest first. */
  *newestFirst(seq: number): Generator<StoryNote> {
    const since = this.clusterStartAt(seq);
    for (let i = upperBound(this.noteList, seq, (note) => note.seq) - 1; i >= 0; i -= 1) {
      const note = this.noteList[i] as StoryNote;
      if (note.seq < since) return;
      yield note;
    }
  }

  /** The newest `count` notes about `node` at or before `seq`, of the cluster running then, newest first. */
  recentOfNode(node: NodeId, seq: number, count: number): StoryNote[] {
    const list = this.notesByNode.get(node) ?? [];
    const end = upperBound(list, seq, (note) => note.seq);
    const since = this.clusterStartAt(seq);
    const begin = Math.max(lowerBound(list, since, (note) => note.seq), end - count);
    return list.slice(begin, end).reverse();
  }

  /** The nearest moment of `kind` before (-1) or after (1) `fromSeq`, not past `limitSeq`; null if there is none. */
  jump(kind: JumpKind, fromSeq: number, direction: -1 | 1, limitSeq: number): JumpPoint | null {
    const list = this.jumpLists[kind];
    if (direction < 0) return list[lowerBound(list, fromSeq, (point) => point.seq) - 1] ?? null;
    const next = list[upperBound(list, fromSeq, (point) => point.seq)];
    return next !== undefined && next.seq <= limitSeq ? next : null;
  }
}

function nodesOf(event: LabEvent): readonly NodeId[] {
  switch (event.type) {
    case 'raft':
    case 'node-status':
      return [event.node];
    case 'fault':
      return NODE_FAULTS.has(event.action) ? event.nodes : [];
    default:
      return [];
  }
}
