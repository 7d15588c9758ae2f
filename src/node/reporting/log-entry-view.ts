// How a node shows the lab one of its log entries and its configuration: copies, so that an event never holds the
// core's own arrays (the reporter batches events until they are sent).
import type { ConfigurationView } from '../../protocol/events';
import type { LogEntryView } from '../../protocol/lab-api';
import type { Configuration, Entry } from '../../raft/types';

export function configurationView(config: Configuration): ConfigurationView {
  return { voters: [...config.voters], learners: [...config.learners], outgoing: [...config.outgoing] };
}

export function logEntryView(entry: Entry): LogEntryView {
  return entry.config === undefined ? { index: entry.index, term: entry.term, command: entry.command }
    : { index: entry.index, term: entry.term, command: entry.command, config: configurationView(entry.config) };
}
