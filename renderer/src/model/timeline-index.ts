// The timeline's drawable facts, kept up to date one event at a time so that drawing a visible window costs a
// binary search and the items in it, never a pass over the whole event window. Trimmed with the window.
import type { NodeStatus } from '../../../src/protocol/lab-api';
import type { LabEvent } from '../../../src/protocol/events';
import type { NodeId, Role } from '../../../src/protocol/raft';
import type { LabView } from './lab-view';
import { MAX_ENDED_ARROWS_BY_ID } from './limits';
import { lowerBound, upperBound } from './sorted-search';
import { StoryIndex } from './story-index';
import { clientOpKey, type ClientOpBar, type LaneSegment, type TimelineArrow, type TimelineMarker } from './timeline-types';

/** Messages usually arrive within milliseconds; this bounds how far back a visible arrow's send may lie. */
const MAX_ARROW_LOOKBACK_NS = 120e9;

export interface ArrowQuery {
  readonly arrows: readonly TimelineArrow[];
  /** Arrows in the range before the cap was applied. */
  readonly total: number;
}

export class TimelineIndex {
  /** The significant events, for the caption strip, the line under each server and the timeline's jumps. */
  readonly story = new StoryIndex();
  private readonly arrowList: TimelineArrow[] = [];
  private readonly openById = new Map<string, TimelineArrow>();
  private readonly endedById = new Map<string, TimelineArrow>();
  /** Arrows whose receive or drop came before their send (the merge reorders reports of different nodes). */
  private readonly awaitingSend = new Map<string, TimelineArrow>();
  private readonly segmentsByNode = new Map<NodeId, LaneSegment[]>();
  private readonly markerList: TimelineMarker[] = [];
  private readonly clientOpList: ClientOpBar[] = [];
  private longestArrowNs = 0;
  /** The newest cluster's start: lanes of servers that are not in it are no longer drawn. */
  private clusterStart: { readonly seq: number; readonly atNs: number } | null = null;

  constructor(base: LabView) {
    for (const node of Object.values(base.nodes)) {
      this.openSegment(node.id, node.role, node.term, node.status, base.atNs, base.seq);
    }
  }

  get nodeIds(): readonly NodeId[] {
    return [...this.segmentsByNode.keys()].sort((a, b) => a - b);
  }

  /**
   * The lanes to draw for [startNs, endNs]: the servers of the newest cluster (a new, smaller cluster drops the lanes
   * of servers it does not have), or, while the whole range lies before that cluster started, the servers whose lanes
   * reach into the range.
   */
  laneNodesIn(startNs: number, endNs: number): readonly NodeId[] {
    const start = this.clusterStart;
    if (start !== null && endNs < start.atNs) return this.nodeIds.filter((node) => this.segmentsIn(node, startNs, endNs).length > 0);
    return this.nodeIds.filter((node) => {
      const segments = this.segmentsByNode.get(node) ?? [];
      return start === null || (segments[segments.length - 1]?.startSeq ?? -1) > start.seq;
    });
  }

  /** Seq of the newest cluster's start in the window (null if none): changes when a new cluster starts. */
  get clusterStartSeq(): number | null {
    return this.clusterStart?.seq ?? null;
  }

  get arrowCount(): number {
    return this.arrowList.length;
  }

  add(event: LabEvent, keyNs: number): void {
    this.story.add(event, keyNs);
    switch (event.type) {
      case 'message':
        this.addMessage(event, keyNs);
        break;
      case 'node-state':
        this.changeLane(event.node, { role: event.state.role, term: event.state.term }, event);
        break;
      case 'node-status':
        this.changeLane(event.node, { status: event.status }, event);
        break;
      case 'raft':
        if (event.event.kind === 'became-leader') {
          this.markerList.push({ seq: event.seq, atNs: event.atNs, keyNs, kind: 'leader', nodes: [event.node],
            label: `S${event.node} became leader in term ${event.event.term}` });
        } else if (event.event.kind === 'snapshot-installed') {
          this.markerList.push({ seq: event.seq, atNs: event.atNs, keyNs, kind: 'snapshot', nodes: [event.node],
            label: `S${event.node}: ${event.event.reason}` });
        }
        break;
      case 'fault':
        this.markerList.push({ seq: event.seq, atNs: event.atNs, keyNs, kind: event.action, nodes: event.nodes,
          label: event.description });
        break;
      case 'violation':
        this.markerList.push({ seq: event.seq, atNs: event.atNs, keyNs, kind: 'violation', nodes: event.nodes,
          label: `safety violated: ${event.statement} — ${event.detail}` });
        break;
      case 'client-op':
        this.clientOpList.push({ seq: event.seq, opKey: clientOpKey(event.client, event.callNs), client: event.client,
          label: clientOpLabel(event), status: event.status, callNs: event.callNs, retNs: event.atNs, keyNs });
        break;
      case 'cluster-phase':
        if (event.phase === 'starting' || event.phase === 'stopped') this.closeAllLanes(event.atNs, event.seq);
        if (event.phase === 'starting') this.clusterStart = { seq: event.seq, atNs: event.atNs };
        break;
      case 'node-alive':
      case 'log-write':
      case 'kv-state':
      case 'error':
        break;
    }
  }

  /** Forget everything that happened before `seq` (the window's first event). */
  trimBefore(seq: number): void {
    this.story.trimBefore(seq);
    const arrowCut = lowerBound(this.arrowList, seq, (arrow) => arrow.sendSeq);
    for (const arrow of this.arrowList.slice(0, arrowCut)) {
      this.openById.delete(arrow.id);
      this.endedById.delete(arrow.id);
      this.awaitingSend.delete(arrow.id);
    }
    this.arrowList.splice(0, arrowCut);
    this.markerList.splice(0, lowerBound(this.markerList, seq, (marker) => marker.seq));
    this.clientOpList.splice(0, lowerBound(this.clientOpList, seq, (op) => op.seq));
    for (const [node, segments] of this.segmentsByNode) {
      let cut = 0;
      while (cut < segments.length && ((segments[cut] as LaneSegment).endSeq ?? Infinity) < seq) cut += 1;
      // A node whose lane ended before the window (a cluster of another size) loses its lane.
      if (cut === segments.length) this.segmentsByNode.delete(node);
      else segments.splice(0, cut);
    }
  }

  /** Arrows that overlap [startNs, endNs], newest last; at most `limit` (the newest are kept). */
  arrowsIn(startNs: number, endNs: number, limit: number): ArrowQuery {
    const lookbackNs = Math.min(this.longestArrowNs, MAX_ARROW_LOOKBACK_NS);
    const from = lowerBound(this.arrowList, startNs - lookbackNs, (arrow) => arrow.sendKeyNs);
    const to = upperBound(this.arrowList, endNs, (arrow) => arrow.sendKeyNs, from);
    const found: TimelineArrow[] = [];
    for (let i = from; i < to; i += 1) {
      const arrow = this.arrowList[i] as TimelineArrow;
      if ((arrow.endAtNs ?? Infinity) >= startNs) found.push(arrow);
    }
    return { arrows: found.length > limit ? found.slice(found.length - limit) : found, total: found.length };
  }

  /** Lane segments of `node` that overlap [startNs, endNs]. */
  segmentsIn(node: NodeId, startNs: number, endNs: number): readonly LaneSegment[] {
    const segments = this.segmentsByNode.get(node) ?? [];
    const from = lowerBound(segments, startNs, (segment) => segment.endNs ?? Infinity);
    const to = upperBound(segments, endNs, (segment) => segment.startNs, from);
    return segments.slice(from, to);
  }

  markersIn(startNs: number, endNs: number): readonly TimelineMarker[] {
    const from = lowerBound(this.markerList, startNs, (marker) => marker.keyNs);
    return this.markerList.slice(from, upperBound(this.markerList, endNs, (marker) => marker.keyNs, from));
  }

  clientOpsIn(startNs: number, endNs: number, limit: number): readonly ClientOpBar[] {
    const lookbackNs = MAX_ARROW_LOOKBACK_NS;
    const from = lowerBound(this.clientOpList, startNs, (op) => op.keyNs);
    const to = upperBound(this.clientOpList, endNs + lookbackNs, (op) => op.keyNs, from);
    const found = this.clientOpList.slice(from, to).filter((op) => op.callNs <= endNs);
    return found.length > limit ? found.slice(found.length - limit) : found;
  }

  private addMessage(event: Extract<LabEvent, { type: 'message' }>, keyNs: number): void {
    if (event.direction === 'send') {
      const early = this.awaitingSend.get(event.id);
      if (early !== undefined) {
        this.awaitingSend.delete(event.id);
        early.sentAtNs = event.atNs;
        early.fromNode = event.node;
        this.longestArrowNs = Math.max(this.longestArrowNs, (early.endAtNs ?? event.atNs) - event.atNs);
        return;
      }
      const arrow: TimelineArrow = { id: event.id, message: event.message, sentAtNs: event.atNs, sendKeyNs: keyNs,
        sendSeq: event.seq, fromNode: event.node, endAtNs: null, endSeq: null, endNode: event.message.to,
        fate: 'in-flight', dropReason: null, droppedAtSender: false };
      this.arrowList.push(arrow);
      this.openById.set(event.id, arrow);
      return;
    }
    const fate = event.direction === 'receive' ? 'delivered' : 'dropped';
    const open = this.openById.get(event.id);
    if (open !== undefined) {
      this.openById.delete(event.id);
      this.end(open, event, fate);
      return;
    }
    const earlier = this.endedById.get(event.id);
    // A duplicate delivery (or a drop of one) is a second arrow from the same send; a drop with no send at all
    // happened at the sender.
    const arrow: TimelineArrow = earlier !== undefined
      ? { ...earlier, endAtNs: null, endSeq: null, fate: 'in-flight', dropReason: null }
      : { id: event.id, message: event.message, sentAtNs: event.atNs, sendKeyNs: keyNs, sendSeq: event.seq,
        fromNode: event.message.from, endAtNs: null, endSeq: null, endNode: event.node, fate: 'in-flight',
        dropReason: null, droppedAtSender: fate === 'dropped' && event.node === event.message.from };
    if (earlier === undefined) this.arrowList.push(arrow);
    else this.arrowList.splice(upperBound(this.arrowList, arrow.sendKeyNs, (a) => a.sendKeyNs), 0, arrow);
    this.end(arrow, event, fate);
    if (earlier === undefined && !arrow.droppedAtSender) {
      this.awaitingSend.set(event.id, arrow);
      if (this.awaitingSend.size > MAX_ENDED_ARROWS_BY_ID) {
        const oldest = this.awaitingSend.keys().next();
        if (!oldest.done) this.awaitingSend.delete(oldest.value);
      }
    }
  }

  private end(arrow: TimelineArrow, event: Extract<LabEvent, { type: 'message' }>, fate: 'delivered' | 'dropped'): void {
    arrow.endAtNs = event.atNs;
    arrow.endSeq = event.seq;
    arrow.endNode = event.node;
    arrow.fate = fate;
    arrow.dropReason = event.dropReason;
    this.longestArrowNs = Math.max(this.longestArrowNs, event.atNs - arrow.sentAtNs);
    this.endedById.set(arrow.id, arrow);
    if (this.endedById.size > MAX_ENDED_ARROWS_BY_ID) {
      const oldest = this.endedById.keys().next();
      if (!oldest.done) this.endedById.delete(oldest.value);
    }
  }

  private changeLane(node: NodeId, change: { role?: Role; term?: number; status?: NodeStatus }, event: LabEvent): void {
    const segments = this.segmentsByNode.get(node);
    const last = segments?.[segments.length - 1];
    const open = last !== undefined && last.endNs === null ? last : undefined;
    const role = change.role ?? open?.role ?? 'follower';
    const term = change.term ?? open?.term ?? 0;
    const status = change.status ?? open?.status ?? 'running';
    if (open !== undefined && open.role === role && open.term === term && open.status === status) return;
    if (open !== undefined) {
      open.endNs = event.atNs;
      open.endSeq = event.seq;
    }
    this.openSegment(node, role, term, status, event.atNs, event.seq);
  }

  private openSegment(node: NodeId, role: Role, term: number, status: NodeStatus, atNs: number, seq: number): void {
    let segments = this.segmentsByNode.get(node);
    if (segments === undefined) {
      segments = [];
      this.segmentsByNode.set(node, segments);
    }
    segments.push({ node, role, term, status, startNs: atNs, startSeq: seq, endNs: null, endSeq: null });
  }

  private closeAllLanes(atNs: number, seq: number): void {
    for (const segments of this.segmentsByNode.values()) {
      const last = segments[segments.length - 1];
      if (last !== undefined && last.endNs === null) {
        last.endNs = atNs;
        last.endSeq = seq;
      }
    }
  }
}

function clientOpLabel(event: Extract<LabEvent, { type: 'client-op' }>): string {
  const value = event.value === null ? '' : ` = ${event.value.length > 24 ? `${event.value.slice(0, 24)}…` : event.value}`;
  return `client ${event.client}: ${event.op} ${event.key}${value} → ${event.status}`;
}
