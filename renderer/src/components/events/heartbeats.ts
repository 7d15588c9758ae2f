// Which events are heartbeats: nearly all of a quiet cluster's traffic (9,000 events in 20 s), and nothing changes by
// them. The log hides them unless asked: an empty AppendEntries and its successful reply, the follower's "heartbeat
// accepted", the state report it sends only because its election timer restarted, and resends: the same
// AppendEntries again on the same link (a leader retries a crashed or cut-off follower at every heartbeat).
import type { LabEvent, MessageView, NodeStateView } from '../../../../src/protocol/events';

/**
 * A detector for one pass over the events in order: it remembers each server's last state report, to tell a report
 * that only moved the election deadline. A new pass (a rescan) needs a new detector.
 */
export function createHeartbeatDetector(): (event: LabEvent) => boolean {
  const lastState = new Map<number, NodeStateView>();
  /** The last AppendEntries seen per link and direction (send, receive, drop), and per follower accepted. */
  const lastAppend = new Map<string, string>();
  const repeats = (key: string, signature: string): boolean => {
    const repeated = lastAppend.get(key) === signature;
    lastAppend.set(key, signature);
    return repeated;
  };
  return (event) => {
    switch (event.type) {
      case 'message': {
        const message = event.message;
        if (message.type === 'AppendEntries') {
          if ((message.entries?.length ?? 0) === 0) return true;
          return repeats(`${event.direction}:${message.from}>${message.to}`, appendSignature(message));
        }
        return message.type === 'AppendEntriesReply' && message.fields['success'] === true;
      }
      case 'raft': {
        if (event.event.kind !== 'append-accepted') return false;
        const data = event.event.data;
        if (data['entries'] === 0) return true;
        // A follower accepting entries it already had (the leader did not hear its answer and sent them again).
        return data['entries'] !== undefined
          && repeats(`accepted:${event.node}`, `${event.event.term}|${String(data['from'])}|${String(data['prevLogIndex'])}|${String(data['matchIndex'])}`);
      }
      case 'node-state': {
        const previous = lastState.get(event.node);
        lastState.set(event.node, event.state);
        return previous !== undefined && onlyTimerMoved(previous, event.state);
      }
      default:
        return false;
    }
  };
}

function appendSignature(message: MessageView): string {
  const entries = message.entries ?? [];
  return `${message.term}|${String(message.fields['prevLogIndex'])}|${entries[0]?.index ?? 0}-${entries[entries.length - 1]?.index ?? 0}`;
}

const TIMER_FIELDS: ReadonlySet<string> = new Set(['electionDeadlineNs', 'electionDeadlineLabMs']);

function onlyTimerMoved(before: NodeStateView, after: NodeStateView): boolean {
  for (const key of Object.keys(after) as (keyof NodeStateView)[]) {
    if (TIMER_FIELDS.has(key)) continue;
    if (key === 'progress') {
      if (!sameProgress(before.progress, after.progress)) return false;
    } else if (before[key] !== after[key]) return false;
  }
  return true;
}

function sameProgress(a: NodeStateView['progress'], b: NodeStateView['progress']): boolean {
  if (a === null || b === null) return a === b;
  const keys = Object.keys(b);
  if (keys.length !== Object.keys(a).length) return false;
  return keys.every((peer) => a[peer]?.nextIndex === b[peer]?.nextIndex && a[peer]?.matchIndex === b[peer]?.matchIndex &&
    a[peer]?.state === b[peer]?.state && a[peer]?.inflight === b[peer]?.inflight);
}
