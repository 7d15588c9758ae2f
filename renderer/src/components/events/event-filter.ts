// Which events the log shows: by node, type, term and a text search over the event in words.
import type { LabEvent, LabEventType } from '../../../../src/protocol/events';
import { eventNodes, eventRule, eventSummary, eventTerm } from '../../model/event-summary';

export interface EventFilter {
  readonly node: number | null;
  readonly type: LabEventType | null;
  readonly term: number | null;
  readonly text: string;
}

export const NO_FILTER: EventFilter = { node: null, type: null, term: null, text: '' };

export const EVENT_TYPES: readonly LabEventType[] = ['raft', 'message', 'node-state', 'log-write', 'kv-state', 'node-status', 'node-alive',
  'fault', 'client-op', 'cluster-phase', 'error'];

export function isFiltering(filter: EventFilter): boolean {
  return filter.node !== null || filter.type !== null || filter.term !== null || filter.text.trim() !== '';
}

/** A predicate for the filter (the search text lower-cased once, not per event). */
export function eventMatcher(filter: EventFilter): (event: LabEvent) => boolean {
  const needle = filter.text.trim().toLowerCase();
  return (event) => {
    if (filter.type !== null && event.type !== filter.type) return false;
    if (filter.node !== null && !eventNodes(event).includes(filter.node)) return false;
    if (filter.term !== null && eventTerm(event) !== filter.term) return false;
    if (needle === '') return true;
    return eventSummary(event).toLowerCase().includes(needle) || eventRule(event).toLowerCase().includes(needle)
      || event.type.includes(needle);
  };
}
