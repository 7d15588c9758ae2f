// The event log's presets, named by the idea of Raft a student is looking for rather than by internal event types.
// An event may serve two ideas (a client write is replication too).
import type { LabEvent } from '../../../../src/protocol/events';
import { labClockNote } from '../../model/significance';

export const EVENT_IDEAS = ['elections', 'replication', 'commits', 'faults', 'client', 'snapshots'] as const;
export type EventIdea = (typeof EVENT_IDEAS)[number];

export const IDEA_LABELS: Readonly<Record<EventIdea, string>> = {
  elections: 'Elections',
  replication: 'Replication',
  commits: 'Commits',
  faults: 'Faults',
  client: 'Client',
  snapshots: 'Snapshots',
};

export const IDEA_HINTS: Readonly<Record<EventIdea, string>> = {
  elections: 'Timeouts, RequestVote, votes, terms, leaders stepping up and down',
  replication: 'AppendEntries with entries, log writes, rejections and nextIndex back-off, truncations',
  commits: 'commitIndex advancing on the leader and on the followers',
  faults: 'Crashes, restarts, pauses, partitions, lost messages, errors, the lab clock',
  client: 'Client operations and the writes and reads they make',
  snapshots: 'Log compaction and InstallSnapshot',
};

const RAFT_IDEAS: Readonly<Record<string, readonly EventIdea[]>> = {
  'term-changed': ['elections'], 'role-changed': ['elections'], 'election-started': ['elections'], 'vote-granted': ['elections'],
  'vote-denied': ['elections'], 'vote-received': ['elections'], 'became-leader': ['elections'], 'stepped-down': ['elections'],
  'entries-appended': ['replication'], 'entries-truncated': ['replication'], 'append-rejected': ['replication'],
  'append-accepted': ['replication'], 'next-index-backed-off': ['replication'], 'progress-changed': ['replication'], 'leadership-transfer': ['elections'], 'commit-advanced': ['commits'],
  'proposal-accepted': ['client', 'replication'], 'proposal-rejected': ['client'], 'read-confirmed': ['client'],
  'read-failed': ['client'], 'log-compacted': ['snapshots'], 'snapshot-sent': ['snapshots'], 'snapshot-installed': ['snapshots'],
};

const MESSAGE_IDEAS: Readonly<Record<string, EventIdea>> = {
  RequestVote: 'elections', RequestVoteReply: 'elections', AppendEntries: 'replication', AppendEntriesReply: 'replication',
  InstallSnapshot: 'snapshots', InstallSnapshotReply: 'snapshots', TimeoutNow: 'elections',
};

export function hasIdea(event: LabEvent, idea: EventIdea): boolean {
  switch (event.type) {
    case 'raft':
      return (RAFT_IDEAS[event.event.kind] ?? []).includes(idea);
    case 'message':
      return MESSAGE_IDEAS[event.message.type] === idea || (idea === 'faults' && event.direction === 'drop');
    case 'log-write':
      return idea === 'replication';
    case 'kv-state':
      return idea === 'snapshots';
    case 'client-op':
      return idea === 'client';
    case 'fault':
    case 'error':
    case 'node-status':
      return idea === 'faults';
    case 'violation':
      return true; // a broken safety property matters whatever the reader is looking at
    default:
      return idea === 'faults' && labClockNote(event) !== null;
  }
}
