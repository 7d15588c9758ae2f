// Lab-wide events: the cluster's phase, injected faults, client operations and errors.
import type { LabEvent } from '../../../src/protocol/events';
import { completeSettings } from '../../../src/protocol/lab-api';
import type { NodeId } from '../../../src/protocol/raft';
import type { LabView } from './lab-view';
import { MAX_RECENT_NOTES } from './limits';
import { emptyModel, type ModelState } from './model-state';
import { removeNode, wipeNode } from './reduce-node';

type LabWideEvent = Extract<LabEvent, { type: 'cluster-phase' | 'fault' | 'client-op' | 'error' | 'lab-clock' | 'violation' }>;

export function reduceLabEvent(state: ModelState, event: LabWideEvent): ModelState {
  const view = state.view;
  switch (event.type) {
    case 'cluster-phase':
      // The lab forgets its nodes when a cluster stops and spawns fresh ones (new data directories) on start.
      if (event.phase === 'starting' || event.phase === 'stopped') {
        const fresh = emptyModel(event.settings ? completeSettings(event.settings) : view.settings, view.atNs, view.seq).view;
        // A new cluster starts with a clean bill of health: the violations were the old cluster's.
        return { view: { ...fresh, phase: event.phase, recentFaults: view.recentFaults, recentErrors: view.recentErrors,
          recentClientOps: view.recentClientOps }, kv: {}, endedBeforeSend: [] };
      }
      return { ...state, view: { ...view, phase: event.phase } };
    case 'client-op':
      return { ...state, view: { ...view, recentClientOps: appendBounded(view.recentClientOps, event) } };
    case 'violation':
      return { ...state, view: { ...view, violations: appendBounded(view.violations, event) } };
    case 'error':
      return { ...state, view: { ...view, recentErrors: appendBounded(view.recentErrors,
        { seq: event.seq, atNs: event.atNs, node: event.node, message: event.message }) } };
    case 'fault':
      return reduceFault(state, event);
    case 'lab-clock': {
      const lastStep = event.step ? { seq: event.seq, atNs: event.atNs, description: event.step.description } : view.clock?.lastStep ?? null;
      const settings = { ...view.settings, timeScale: event.segment.timeScale, networkDelayMs: event.networkDelayMs };
      return { ...state, view: { ...view, settings, clock: { segment: event.segment, networkDelayMs: event.networkDelayMs, lastStep } } };
    }
  }
}

function reduceFault(state: ModelState, event: Extract<LabEvent, { type: 'fault' }>): ModelState {
  const note = { seq: event.seq, atNs: event.atNs, action: event.action, nodes: event.nodes, description: event.description };
  let next: ModelState = { ...state, view: { ...state.view, recentFaults: appendBounded(state.view.recentFaults, note) } };
  if (event.action === 'wipe') for (const node of event.nodes) next = wipeNode(next, node);
  if (event.action === 'remove-server') for (const node of event.nodes) next = removeNode(next, node);
  if (event.action === 'time-scale' && event.timeScale !== undefined) {
    next = { ...next, view: { ...next.view, settings: { ...next.view.settings, timeScale: event.timeScale } } };
  }
  if (event.blockedLinks) return { ...next, view: { ...next.view, blockedLinks: event.blockedLinks } };
  // Recordings from before fault events carried their links: infer them.
  if (event.action === 'heal') next = { ...next, view: { ...next.view, blockedLinks: [] } };
  if (event.action === 'partition') {
    next = { ...next, view: { ...next.view, blockedLinks: partitionLinks(next.view, event.nodes) ?? next.view.blockedLinks } };
  }
  return next;
}

/**
 * The fault event names the nodes of a partition but not its groups: read as "these nodes are cut off from the
 * rest", which is the partition the UI offers. When it names every node the groups are unknown: null (keep links).
 */
function partitionLinks(view: LabView, side: readonly NodeId[]): (readonly [NodeId, NodeId])[] | null {
  const all = Object.keys(view.nodes).map(Number);
  const inside = new Set(side);
  const outside = all.filter((node) => !inside.has(node));
  if (inside.size === 0 || outside.length === 0) return null;
  const links: (readonly [NodeId, NodeId])[] = [];
  for (const a of inside) for (const b of outside) links.push([a, b], [b, a]);
  return links;
}

function appendBounded<T>(list: readonly T[] | undefined, item: T): readonly T[] {
  const current = list ?? [];
  return current.length >= MAX_RECENT_NOTES ? [...current.slice(current.length - MAX_RECENT_NOTES + 1), item] : [...current, item];
}
