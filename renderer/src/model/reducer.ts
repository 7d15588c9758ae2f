// The event-sourced reducer: LabView(n) = apply(LabView(n-1), event n). Pure and total: any valid LabEvent yields a
// state, nothing throws, and the same events from the same base always give the same view (scrubbing and replay
// depend on it).
import type { LabEvent } from '../../../src/protocol/events';
import type { ModelState } from './model-state';
import { forgetMessagesOf, reduceMessage } from './reduce-messages';
import { reduceLabEvent } from './reduce-lab';
import { reduceNodeEvent } from './reduce-node';

export function applyEvent(state: ModelState, event: LabEvent): ModelState {
  const next = reduceByType(state, event);
  // The shown moment never goes back, even when the lab's merge delivers a slightly older stamp.
  const atNs = Math.max(next.view.atNs, event.atNs);
  return { ...next, view: { ...next.view, seq: event.seq, atNs } };
}

export function applyEvents(state: ModelState, events: readonly LabEvent[]): ModelState {
  let next = state;
  for (const event of events) next = applyEvent(next, event);
  return next;
}

function reduceByType(state: ModelState, event: LabEvent): ModelState {
  switch (event.type) {
    case 'node-status': {
      const next = reduceNodeEvent(state, event);
      return event.status === 'crashed' || event.status === 'stopped' ? forgetMessagesOf(next, event.node) : next;
    }
    case 'node-alive':
    case 'node-state':
    case 'raft':
    case 'log-write':
    case 'kv-state':
      return reduceNodeEvent(state, event);
    case 'message':
      return reduceMessage(state, event);
    case 'log-terms':
      return state; // quiet nodes' log without commands, for the lab's safety monitor: nothing to draw
    case 'cluster-phase':
    case 'fault':
    case 'client-op':
    case 'error':
    case 'lab-clock':
    case 'violation':
      return reduceLabEvent(state, event);
    case 'workload':
      return state; // the client tab reads the workload's report from the lab; exercises read this event
    case 'node-note':
      return state; // a student's node's own words (raft_lab_event): the event log shows them
  }
}
