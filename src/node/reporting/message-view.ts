// A Raft message as the lab's event stream shows it: scalar fields as they are, entries summarised, and a snapshot
// chunk's data replaced by its length (it may be 256 Ki characters of somebody's keys and values: the UI shows how
// much moved, at which offset, and whether it was the last chunk).
import type { MessageView } from '../../protocol/events';
import type { Message } from '../../raft/types';

const MAX_ENTRY_SUMMARIES = 1024;

export function toMessageView(message: Message): MessageView {
  const { type, from, to, term, ...rest } = message;
  const fields: Record<string, string | number | boolean | null> = {};
  let entries: MessageView['entries'];
  for (const [name, value] of Object.entries(rest)) {
    if (name === 'data' && typeof value === 'string') {
      fields['dataChars'] = value.length;
    } else if (name === 'entries' && Array.isArray(value)) {
      const list = value as readonly { readonly index: number; readonly term: number }[];
      entries = list.slice(0, MAX_ENTRY_SUMMARIES).map((entry) => ({ index: entry.index, term: entry.term }));
      fields['entryCount'] = list.length;
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) {
      fields[name] = value;
    }
  }
  return entries === undefined ? { type, from, to, term, fields } : { type, from, to, term, fields, entries };
}
