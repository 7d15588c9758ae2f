// Messages: a send puts a message in flight; its receive or drop (same id) ends it with an outcome the cluster view
// can animate. A drop with no send before it was lost at the sender (a blocked link, injected loss).
import type { LabEvent } from '../../../src/protocol/events';
import type { NodeId } from '../../../src/protocol/raft';
import type { MessageInFlight, MessageOutcome } from './lab-view';
import { IN_FLIGHT_TTL_NS, MAX_ENDED_BEFORE_SEND, MAX_IN_FLIGHT, MAX_RECENT_OUTCOMES } from './limits';
import type { ModelState } from './model-state';

type MessageEvent = Extract<LabEvent, { type: 'message' }>;

export function reduceMessage(state: ModelState, event: MessageEvent): ModelState {
  const view = state.view;
  if (event.direction === 'send') {
    const early = state.endedBeforeSend.indexOf(event.id);
    if (early >= 0) return lateSend(state, event, early);
    // A message to a crashed or stopped node cannot arrive until it restarts (then its receive shows it): drawing it
    // in flight towards a dead node for a minute would mislead.
    const receiver = view.nodes[event.message.to]?.status;
    if (receiver === 'crashed' || receiver === 'stopped') return state;
    const ttlNs = IN_FLIGHT_TTL_NS * Math.max(1, view.settings.timeScale);
    const previous = view.inFlight;
    // Oldest first: forget what can no longer arrive, and stay within the bound.
    let expired = 0;
    while (expired < previous.length && event.atNs - (previous[expired] as MessageInFlight).sentAtNs > ttlNs) expired += 1;
    const overflow = Math.max(0, previous.length - expired + 1 - MAX_IN_FLIGHT);
    const inFlight = previous.slice(expired + overflow);
    inFlight.push(event.deliverAtLabMs === undefined ? { id: event.id, message: event.message, sentAtNs: event.atNs }
      : { id: event.id, message: event.message, sentAtNs: event.atNs, sentAtLabMs: event.sentAtLabMs ?? event.deliverAtLabMs,
        deliverAtLabMs: event.deliverAtLabMs });
    return { ...state, view: { ...view, inFlight } };
  }
  const position = view.inFlight.findIndex((message) => message.id === event.id);
  const sent = position >= 0 ? view.inFlight[position] : undefined;
  // A duplicated delivery has no send in flight any more: draw it from its first outcome's send.
  const sentAtNs = sent?.sentAtNs ?? view.recentOutcomes.find((outcome) => outcome.id === event.id)?.sentAtNs ?? event.atNs;
  const outcome: MessageOutcome = {
    id: event.id, message: event.message, sentAtNs, endedAtNs: event.atNs,
    fate: event.direction === 'receive' ? 'delivered' : 'dropped', dropReason: event.dropReason,
    ...(sent?.deliverAtLabMs === undefined ? {} : { sentAtLabMs: sent.sentAtLabMs, deliverAtLabMs: sent.deliverAtLabMs }),
  };
  const inFlight = position >= 0 ? view.inFlight.filter((_, i) => i !== position) : view.inFlight;
  const recentOutcomes = view.recentOutcomes.length >= MAX_RECENT_OUTCOMES
    ? [...view.recentOutcomes.slice(view.recentOutcomes.length - MAX_RECENT_OUTCOMES + 1), outcome]
    : [...view.recentOutcomes, outcome];
  // No send seen yet: remember the id so that its send, when its report arrives, does not start a new flight.
  const endedBeforeSend = sent === undefined && !(event.direction === 'drop' && event.node === event.message.from)
    ? appendBounded(state.endedBeforeSend, event.id) : state.endedBeforeSend;
  return { ...state, view: { ...view, inFlight, recentOutcomes }, endedBeforeSend };
}

/** The send of a message that already arrived: only its send time is news. */
function lateSend(state: ModelState, event: MessageEvent, early: number): ModelState {
  const endedBeforeSend = state.endedBeforeSend.filter((_, i) => i !== early);
  const recentOutcomes = state.view.recentOutcomes.map((outcome) => (outcome.id === event.id
    ? { ...outcome, sentAtNs: Math.min(outcome.sentAtNs, event.atNs) } : outcome));
  return { ...state, view: { ...state.view, recentOutcomes }, endedBeforeSend };
}

function appendBounded(ids: readonly string[], id: string): readonly string[] {
  return ids.length >= MAX_ENDED_BEFORE_SEND ? [...ids.slice(ids.length - MAX_ENDED_BEFORE_SEND + 1), id] : [...ids, id];
}

/** A dead node's messages will never arrive and it will never receive what was sent to it. */
export function forgetMessagesOf(state: ModelState, node: NodeId): ModelState {
  const inFlight = state.view.inFlight.filter((m) => m.message.from !== node && m.message.to !== node);
  return inFlight.length === state.view.inFlight.length ? state : { ...state, view: { ...state.view, inFlight } };
}
