// Per-node events: status, liveness, volatile Raft state, Raft events and durable log writes.
import { isOwnImplementation, type LogEntryView } from '../../../src/protocol/lab-api';
import type { LabEvent } from '../../../src/protocol/events';
import type { NodeId } from '../../../src/protocol/raft';
import { advanceKv, positionOfIndex } from './kv-apply';
import type { NodeViewState } from './lab-view';
import { MAX_VIEW_LOG_ENTRIES } from './limits';
import { EMPTY_KV, blankNode, leaderOf, type KvShadow, type ModelState } from './model-state';

type NodeEvent = Extract<LabEvent, { type: 'node-status' | 'node-alive' | 'node-state' | 'raft' | 'log-write' | 'kv-state' }>;

export function reduceNodeEvent(state: ModelState, event: NodeEvent): ModelState {
  const current = state.view.nodes[event.node] ?? blankNode(event.node);
  switch (event.type) {
    case 'node-status':
      return withNode(state, { ...current, status: event.status, pid: event.pid });
    case 'node-alive':
      // A student's own node says what it is only through raft_lab_state, if at all: until then its role is unknown.
      return withNode(state, { ...current, pid: event.pid, peerEndpoint: event.peerEndpoint,
        ...(isOwnImplementation(state.view.settings.implementation) ? { roleUnknown: true } : {}) });
    case 'raft':
      return withNode(state, { ...current, lastEvent: event.event });
    case 'node-state': {
      const { progress, ...rest } = event.state;
      // A learner (§4.2.1) is one its own configuration lists as such.
      const learner = rest.config ? rest.config.learners.includes(current.id) : current.learner ?? false;
      return withNode(state, { ...current, ...rest, learner, progress: progress as NodeViewState['progress'], roleUnknown: false });
    }
    case 'log-write': {
      const log = replaceSuffix(current.log, event.entries);
      const last = log[log.length - 1];
      if (last === undefined || event.entries.length === 0) return withNode(state, { ...current, log });
      return withNode(state, { ...current, log, lastLogIndex: last.index, lastLogTerm: last.term });
    }
    case 'kv-state':
      return restoreKv(state, current, event);
  }
}

/**
 * A node restored a snapshot: its KV is exactly `entries` after entry `index`, whatever the view derived before.
 * Entries applied after `index` then fold on top as usual (withNode). Client sessions are not in the event, and the ones
 * the view knew may be newer than `index` (a restarted node re-applies entries the view saw applied before): kept, they
 * would skip those entries, so they start empty: at worst, a retry of a command the snapshot covers shows as applied.
 */
function restoreKv(state: ModelState, current: NodeViewState, event: Extract<LabEvent, { type: 'kv-state' }>): ModelState {
  const values = Object.fromEntries(event.entries ?? []);
  const shadow: KvShadow = { appliedIndex: event.index, values, sessions: {}, restoredAt: event.index };
  const { kvTooLargeAt: _cleared, ...rest } = current;
  // The node applied at least up to `index`; a node-state saying so may come later (the fold must not wait for it).
  const node: NodeViewState = { ...rest, kv: values, lastApplied: Math.max(current.lastApplied, event.index),
    ...(event.entries === null ? { kvTooLargeAt: event.index } : {}) };
  return withNode({ ...state, kv: { ...state.kv, [current.id]: shadow } }, node);
}

/** Raft's log rule as the node applied it: every entry at index >= entries[0].index is replaced. Keeps the tail. */
export function replaceSuffix(log: readonly LogEntryView[], entries: readonly LogEntryView[]): readonly LogEntryView[] {
  const first = entries[0];
  if (first === undefined) return log;
  const tailStart = log[0];
  let keep: number;
  if (tailStart === undefined || first.index <= tailStart.index) keep = 0;
  else {
    const position = positionOfIndex(log, first.index);
    keep = position >= 0 ? position : countBelow(log, first.index);
  }
  const next = keep === 0 ? entries.slice() : log.slice(0, keep).concat(entries);
  return next.length > MAX_VIEW_LOG_ENTRIES ? next.slice(next.length - MAX_VIEW_LOG_ENTRIES) : next;
}

function countBelow(log: readonly LogEntryView[], index: number): number {
  let count = 0;
  while (count < log.length && (log[count] as LogEntryView).index < index) count += 1;
  return count;
}

/** Stores the node, re-derives its KV state from its log, and recomputes the cluster's leader. */
export function withNode(state: ModelState, node: NodeViewState): ModelState {
  const shadow = state.kv[node.id] ?? EMPTY_KV;
  const advanced = advanceKv(shadow, node.log, node.lastApplied);
  const nodeWithKv = advanced.values === node.kv ? node : { ...node, kv: advanced.values };
  const nodes = { ...state.view.nodes, [node.id]: nodeWithKv };
  const kv = advanced === shadow ? state.kv : { ...state.kv, [node.id]: advanced };
  return { ...state, view: { ...state.view, nodes, leaderId: leaderOf(nodes) }, kv };
}

/** A server left the cluster (a membership change committed): it leaves the view with its KV shadow. */
export function removeNode(state: ModelState, id: NodeId): ModelState {
  if (state.view.nodes[id] === undefined) return state;
  const nodes: Record<number, NodeViewState> = { ...state.view.nodes };
  delete nodes[id];
  const kv: Record<number, KvShadow> = { ...state.kv };
  delete kv[id];
  return { ...state, view: { ...state.view, nodes, leaderId: leaderOf(nodes) }, kv };
}

/** A wiped node lost its disk: its log and applied state are gone. */
export function wipeNode(state: ModelState, id: NodeId): ModelState {
  const current = state.view.nodes[id];
  if (current === undefined) return state;
  const kv: Record<number, KvShadow> = { ...state.kv };
  delete kv[id];
  const { kvTooLargeAt: _lost, ...rest } = current;
  const node = { ...rest, log: [], lastLogIndex: 0, lastLogTerm: 0, commitIndex: 0, lastApplied: 0, kv: EMPTY_KV.values };
  const nodes = { ...state.view.nodes, [id]: node };
  return { ...state, view: { ...state.view, nodes, leaderId: leaderOf(nodes) }, kv };
}
