// A message between a student's own nodes as the lab's event stream shows it: its body's type, and the body's scalar
// fields (a student's term, if the body has an integer `term`, is shown as the message's term). Arrays and objects
// (a batch of log entries, say) are summarised by their length, so one event stays small whatever the student sends.
import type { MessageView } from '../../protocol/events';
import type { MaelstromMessage } from '../../protocol/maelstrom';

const MAX_SHOWN_FIELDS = 32;
const MAX_SHOWN_STRING_CHARS = 512;

export function maelstromMessageView(message: MaelstromMessage, from: number, to: number): MessageView {
  const { type, term, ...rest } = message.body;
  const fields: Record<string, string | number | boolean | null> = {};
  let shown = 0;
  for (const [name, value] of Object.entries(rest)) {
    if (shown >= MAX_SHOWN_FIELDS || name.length > 64 || name === '__proto__') continue;
    if (typeof value === 'string') fields[name] = value.slice(0, MAX_SHOWN_STRING_CHARS);
    else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' || value === null) fields[name] = value;
    else if (Array.isArray(value)) fields[`${name}Count`] = value.length;
    else continue;
    shown += 1;
  }
  const shownTerm = typeof term === 'number' && Number.isSafeInteger(term) && term >= 0 ? term : 0;
  if (term !== undefined && shownTerm === 0 && term !== 0 && typeof term !== 'object') fields['term'] = String(term).slice(0, MAX_SHOWN_STRING_CHARS);
  return { type, from, to, term: shownTerm, fields };
}
