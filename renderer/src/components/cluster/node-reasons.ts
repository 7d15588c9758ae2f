// The reasons the inspector lists for a server: its latest Raft event (even a heartbeat: it is what the server did
// last) and its recent significant events, each in full with its rule, numbers rounded.
import type { RaftEventView } from '../../../../src/protocol/events';
import { humanizeNumbers } from '../../model/human-numbers';
import type { StoryNote } from '../../model/story-index';

export interface ReasonItem {
  readonly key: string;
  /** The seq of its event; null for the latest event when it is not among the notes (its seq is not kept). */
  readonly seq: number | null;
  readonly text: string;
  readonly rule: string | null;
}

export function nodeReasons(lastEvent: RaftEventView | null, recent: readonly StoryNote[]): ReasonItem[] {
  const items: ReasonItem[] = recent.map((note) => {
    const event = note.event;
    if (event.type === 'raft') return { key: String(note.seq), seq: note.seq, text: humanizeNumbers(event.event.reason), rule: event.event.rule };
    const text = event.type === 'fault' ? event.description : event.type === 'node-status' ? `${event.status}: ${event.reason}` : event.type;
    return { key: String(note.seq), seq: note.seq, text: humanizeNumbers(text), rule: null };
  });
  const newest = recent[0]?.event;
  const latestIsNoted = newest?.type === 'raft' && newest.event === lastEvent;
  if (lastEvent !== null && !latestIsNoted) {
    items.unshift({ key: 'latest', seq: null, text: humanizeNumbers(lastEvent.reason), rule: lastEvent.rule });
  }
  return items;
}
