// What an expanded row of the event log adds: the event's fields by name, numbers rounded for reading.
import type { LabEvent } from '../../../../src/protocol/events';
import { humanizeValue } from '../../model/human-numbers';

export interface DetailField {
  readonly name: string;
  readonly value: string;
}

/** At most this many fields: a row stays a row, the full event is in a saved session. */
const MAX_FIELDS = 16;

export function eventFields(event: LabEvent): DetailField[] {
  const fields: DetailField[] = [];
  const add = (name: string, value: string | number | boolean | null): void => {
    if (fields.length < MAX_FIELDS) fields.push({ name, value: humanizeValue(name, value) });
  };
  switch (event.type) {
    case 'raft':
      add('kind', event.event.kind);
      for (const [name, value] of Object.entries(event.event.data)) add(name, value);
      break;
    case 'message': {
      for (const [name, value] of Object.entries(event.message.fields)) add(name, value);
      const entries = event.message.entries ?? [];
      if (entries.length > 0) add('entries', entries.map((entry) => `${entry.index} (t${entry.term})`).join(', '));
      add('id', event.id);
      break;
    }
    case 'client-op':
      add('latencyMs', event.latencyMs);
      break;
    case 'node-state':
      add('commitIndex', event.state.commitIndex);
      add('lastApplied', event.state.lastApplied);
      add('lastLogIndex', event.state.lastLogIndex);
      break;
    default:
      break;
  }
  return fields;
}
