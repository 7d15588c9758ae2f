// The bounded event window with checkpoints: the live view at its newest end, any past view on demand.
//
// Invariants:
// - events are in increasing seq order, all after base.view.seq; at most maxEvents of them.
// - checkpoints are states after events that are still in the window, in seq order.
// - stateAt(seq) equals applying every window event with seq <= seq to the base, and costs at most
//   checkpointEvery event applications (less when scrubbing forward from the previous answer).
import type { LabEvent } from '../../../src/protocol/events';
import type { LabView } from './lab-view';
import { CHECKPOINT_EVERY_EVENTS, DEFAULT_WINDOW_EVENTS } from './limits';
import type { ModelState } from './model-state';
import { applyEvent } from './reducer';
import { lowerBound, upperBound } from './sorted-search';
import { TimelineIndex } from './timeline-index';

export interface LabHistoryOptions {
  readonly maxEvents?: number;
  readonly checkpointEvery?: number;
}

interface Checkpoint {
  readonly seq: number;
  readonly state: ModelState;
}

export class LabHistory {
  readonly maxEvents: number;
  readonly checkpointEvery: number;
  /** The first moment this history knew of; relative times in the UI count from here, whatever was trimmed. */
  readonly originNs: number;
  readonly timeline: TimelineIndex;
  private readonly eventList: LabEvent[] = [];
  /** Per event: the largest atNs so far, so time searches work although the merge may reorder stamps slightly. */
  private readonly keyList: number[] = [];
  private checkpoints: Checkpoint[] = [];
  private baseState: ModelState;
  private liveState: ModelState;
  private sinceCheckpoint = 0;
  private lastQuery: Checkpoint | null = null;

  constructor(base: ModelState, options: LabHistoryOptions = {}) {
    this.maxEvents = options.maxEvents ?? DEFAULT_WINDOW_EVENTS;
    this.checkpointEvery = options.checkpointEvery ?? CHECKPOINT_EVERY_EVENTS;
    if (this.maxEvents < this.checkpointEvery) throw new RangeError('the window must hold at least one checkpoint span');
    this.baseState = base;
    this.liveState = base;
    this.originNs = base.view.atNs;
    this.timeline = new TimelineIndex(base.view);
  }

  get events(): readonly LabEvent[] {
    return this.eventList;
  }

  get live(): LabView {
    return this.liveState.view;
  }

  get liveModel(): ModelState {
    return this.liveState;
  }

  get base(): ModelState {
    return this.baseState;
  }

  /** Seq of the base state (before the first event in the window). */
  get baseSeq(): number {
    return this.baseState.view.seq;
  }

  get firstSeq(): number {
    return this.eventList[0]?.seq ?? this.baseSeq;
  }

  get lastSeq(): number {
    return this.liveState.view.seq;
  }

  get startNs(): number {
    return this.baseState.view.atNs;
  }

  get endNs(): number {
    return this.keyList[this.keyList.length - 1] ?? this.startNs;
  }

  /** Adds the events not already seen (seq above the newest), in order; returns how many were taken. */
  append(events: readonly LabEvent[]): number {
    let taken = 0;
    for (const event of events) {
      if (event.seq <= this.liveState.view.seq) continue;
      this.liveState = applyEvent(this.liveState, event);
      const keyNs = Math.max(this.endNs, event.atNs);
      this.eventList.push(event);
      this.keyList.push(keyNs);
      this.timeline.add(event, keyNs);
      taken += 1;
      this.sinceCheckpoint += 1;
      if (this.sinceCheckpoint >= this.checkpointEvery) {
        this.checkpoints.push({ seq: event.seq, state: this.liveState });
        this.sinceCheckpoint = 0;
      }
    }
    if (this.eventList.length > this.maxEvents) this.trim();
    return taken;
  }

  /** The lab as it was just after event `seq` (clamped to the window). */
  stateAt(seq: number): LabView {
    return this.modelAt(seq).view;
  }

  modelAt(seq: number): ModelState {
    if (seq >= this.lastSeq) return this.liveState;
    if (seq <= this.baseSeq) return this.baseState;
    const checkpointPosition = upperBound(this.checkpoints, seq, (checkpoint) => checkpoint.seq) - 1;
    let start: Checkpoint = this.checkpoints[checkpointPosition] ?? { seq: this.baseSeq, state: this.baseState };
    const last = this.lastQuery;
    if (last !== null && last.seq <= seq && last.seq > start.seq) start = last;
    let state = start.state;
    const from = upperBound(this.eventList, start.seq, (event) => event.seq);
    const to = upperBound(this.eventList, seq, (event) => event.seq, from);
    for (let i = from; i < to; i += 1) state = applyEvent(state, this.eventList[i] as LabEvent);
    this.lastQuery = { seq, state };
    return state;
  }

  /** Seq of the newest event at or before `timeNs` (the base's seq if none). */
  seqAtTime(timeNs: number): number {
    const position = upperBound(this.keyList, timeNs, (key) => key) - 1;
    return this.eventList[position]?.seq ?? this.baseSeq;
  }

  /** Time of the event with `seq` on the timeline's monotone axis (the base's time before the window). */
  timeOfSeq(seq: number): number {
    const position = upperBound(this.eventList, seq, (event) => event.seq) - 1;
    return this.keyList[position] ?? this.startNs;
  }

  /** Position in `events` of the newest event with seq <= `seq` (-1 if none). */
  positionOfSeq(seq: number): number {
    return upperBound(this.eventList, seq, (event) => event.seq) - 1;
  }

  /** Drops the oldest events up to a checkpoint, which becomes the new base (so the base stays exact). */
  private trim(): void {
    const mustDrop = this.eventList.length - this.maxEvents;
    const lastDropped = this.eventList[mustDrop - 1] as LabEvent;
    const position = lowerBound(this.checkpoints, lastDropped.seq, (checkpoint) => checkpoint.seq);
    const checkpoint = this.checkpoints[position];
    // There is always one: the window holds more than one checkpoint span and checkpoints come every span.
    if (checkpoint === undefined) throw new Error('no checkpoint to move the base to');
    const drop = lowerBound(this.eventList, checkpoint.seq + 1, (event) => event.seq);
    this.eventList.splice(0, drop);
    this.keyList.splice(0, drop);
    this.checkpoints = this.checkpoints.slice(position + 1);
    this.baseState = checkpoint.state;
    if (this.lastQuery !== null && this.lastQuery.seq < checkpoint.seq) this.lastQuery = null;
    this.timeline.trimBefore(checkpoint.seq + 1);
  }
}
