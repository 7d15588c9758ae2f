// Sentences for what a step did, for the caption strip and the event log: "S2's election timer fired at 1234 ms",
// "S3 received RequestVote from S1 (term 4)". The lab remembers what each recent message was from its send event.
import type { MessageView } from '../protocol/events';
import type { Role } from '../raft/types';
import type { NextAction } from './cluster-stepper';

/** Enough for the messages in flight of a 9-node cluster many times over; older notes are forgotten first. */
const MAX_NOTES = 4096;

/** A message as its send event showed it. */
export interface MessageNote {
  readonly message: MessageView;
  readonly sentAtLabMs?: number;
  readonly deliverAtLabMs?: number;
}

export class MessageNotes {
  private readonly notes = new Map<string, MessageNote>();

  get(id: string): MessageNote | undefined {
    return this.notes.get(id);
  }

  remember(id: string, message: MessageNote): void {
    if (this.notes.size >= MAX_NOTES) {
      const oldest = this.notes.keys().next();
      if (!oldest.done) this.notes.delete(oldest.value);
    }
    this.notes.set(id, message);
  }

  clear(): void {
    this.notes.clear();
  }

  /** "S3 received RequestVote from S1 (term 4)", or a plainer sentence for a message sent before we listened. */
  describe(id: string, receiver: number): string {
    const message = this.notes.get(id)?.message;
    if (!message) return `S${receiver} received message ${id}`;
    const preVote = message.fields['preVote'] === true ? ' (pre-vote)' : '';
    return `S${message.to} received ${message.type}${preVote} from S${message.from} (term ${message.term})`;
  }
}

export function describeStep(next: NextAction, role: Role, labMs: number, notes: MessageNotes): string {
  if (next.kind === 'deliver' && next.messageId !== null) return `${notes.describe(next.messageId, next.node)} at ${formatLabMs(labMs)}`;
  const timer = role === 'leader' ? 'heartbeat timer' : 'election timer';
  return `S${next.node}'s ${timer} fired at ${formatLabMs(labMs)}`;
}

/** Lab time for people: whole milliseconds. */
export function formatLabMs(labMs: number): string {
  return `${Math.round(labMs)} ms`;
}
