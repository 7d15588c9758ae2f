// The fields of a message as the inspector lists them: in the order Figure 2 (and Figure 13) gives them, without the
// bookkeeping this implementation adds to the wire (readRound, a heartbeat-round counter for ReadIndex, reads as a
// huge meaningless number; entryCount repeats the entries list), and without a reply's fields that say nothing when
// it succeeded (the conflict hint of an accepted AppendEntries).
import type { MessageView } from '../../../../src/protocol/events';

type FieldValue = MessageView['fields'][string];

const PAPER_ORDER: Readonly<Record<string, readonly string[]>> = {
  RequestVote: ['lastLogIndex', 'lastLogTerm', 'preVote'],
  RequestVoteReply: ['voteGranted', 'preVote'],
  AppendEntries: ['prevLogIndex', 'prevLogTerm', 'leaderCommit'],
  AppendEntriesReply: ['success', 'matchIndex', 'conflictIndex', 'conflictTerm'],
  InstallSnapshot: ['lastIncludedIndex', 'lastIncludedTerm', 'offset', 'dataChars', 'done'],
};

/** Implementation bookkeeping, never shown. */
export const INTERNAL_FIELDS: ReadonlySet<string> = new Set(['readRound', 'entryCount']);

const LABELS: Readonly<Record<string, string>> = { dataChars: 'data (characters)' };

export interface ShownField {
  readonly name: string;
  readonly label: string;
  readonly value: string;
}

function hidden(message: MessageView, name: string): boolean {
  if (INTERNAL_FIELDS.has(name)) return true;
  return message.type === 'AppendEntriesReply' && message.fields['success'] === true && name.startsWith('conflict');
}

function text(value: FieldValue): string {
  return value === null ? 'null' : String(value);
}

export function shownMessageFields(message: MessageView): ShownField[] {
  const order = PAPER_ORDER[message.type] ?? [];
  const rank = (name: string): number => (order.includes(name) ? order.indexOf(name) : order.length);
  return Object.entries(message.fields)
    .filter(([name]) => !hidden(message, name))
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([name, value]) => ({ name, label: LABELS[name] ?? name, value: text(value) }));
}
