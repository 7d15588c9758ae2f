// Which events the log shows: heartbeats or not, an idea of Raft (elections, commits, ...), and as advanced options a
// node, an event type, a term and a text search over the event in words.
import type { LabEvent, LabEventType } from '../../../../src/protocol/events';
import { eventNodes, eventRule, eventSummary, eventTerm } from '../../model/event-summary';
import { hasIdea, type EventIdea } from './event-ideas';
import { createHeartbeatDetector } from './heartbeats';

export interface EventFilter {
  /** Heartbeats are hidden unless this is set (they are nearly all of a quiet cluster's events). */
  readonly showHeartbeats: boolean;
  readonly idea: EventIdea | null;
  readonly node: number | null;
  readonly type: LabEventType | null;
  readonly term: number | null;
  readonly text: string;
}

export const NO_FILTER: EventFilter = { showHeartbeats: false, idea: null, node: null, type: null, term: null, text: '' };

export const EVENT_TYPES: readonly LabEventType[] = ['raft', 'message', 'node-state', 'log-write', 'kv-state', 'node-status', 'node-alive',
  'fault', 'client-op', 'cluster-phase', 'error', 'violation'];

/** True when the log shows a subset chosen by the reader (hiding heartbeats, the default, is not counted). */
export function isFiltering(filter: EventFilter): boolean {
  return filter.idea !== null || filter.node !== null || filter.type !== null || filter.term !== null || filter.text.trim() !== '';
}

/**
 * A predicate for the filter, for one pass over the events in order (it follows each server's state reports to tell
 * heartbeats): a new pass needs a new matcher. The search text is lower-cased once, not per event.
 */
export function eventMatcher(filter: EventFilter): (event: LabEvent) => boolean {
  const needle = filter.text.trim().toLowerCase();
  const isHeartbeat = createHeartbeatDetector();
  return (event) => {
    if (isHeartbeat(event) && !filter.showHeartbeats) return false;
    if (filter.idea !== null && !hasIdea(event, filter.idea)) return false;
    if (filter.type !== null && event.type !== filter.type) return false;
    if (filter.node !== null && !eventNodes(event).includes(filter.node)) return false;
    if (filter.term !== null && eventTerm(event) !== filter.term) return false;
    if (needle === '') return true;
    return eventSummary(event).toLowerCase().includes(needle) || eventRule(event).toLowerCase().includes(needle)
      || event.type.includes(needle);
  };
}
