// The one short line under a server in the cluster diagram: its last significant event in a few words (the diagram
// has room for about 30 characters; the full reason is one click away, in the inspector).
import type { LabEvent, RaftEventView } from '../../../src/protocol/events';

export function nodeLine(event: LabEvent): string {
  switch (event.type) {
    case 'raft':
      return raftLine(event.event);
    case 'fault':
      return FAULT_WORDS[event.action] ?? event.action;
    case 'node-status':
      return event.status === 'crashed' ? 'process stopped' : event.status;
    default:
      return '';
  }
}

const FAULT_WORDS: Readonly<Partial<Record<string, string>>> = {
  crash: 'crashed (SIGKILL)',
  restart: 'restarted from its disk',
  pause: 'paused (SIGSTOP)',
  resume: 'resumed',
  wipe: 'disk wiped',
};

/** A Raft event in a few words; also for a node's latest event when no significant one is known. */
export function raftLine(event: RaftEventView): string {
  return kindLine(event) ?? (event.kind as string).replace(/-/g, ' ');
}

/** Null when the event lacks a field its line needs (an older or newer lab): then its kind in words says it. */
function kindLine(event: RaftEventView): string | null {
  const d = event.data;
  const missing = (...names: string[]): boolean => names.some((name) => d[name] === undefined);
  const from = typeof d['from'] === 'number' ? `S${d['from']}` : 'the leader';
  switch (event.kind) {
    case 'election-started':
      return d['preVote'] === true ? `pre-vote for term ${String(d['proposedTerm'] ?? event.term + 1)}` : `started election, term ${event.term}`;
    case 'vote-granted':
      if (missing('candidate')) return null;
      return `${d['preVote'] === true ? 'would vote' : 'voted'} for S${String(d['candidate'])}`;
    case 'vote-denied':
      if (missing('candidate')) return null;
      return `refused S${String(d['candidate'])} a vote`;
    case 'vote-received':
      if (missing('votesGranted', 'quorum')) return null;
      return `has ${String(d['votesGranted'])} of ${String(d['quorum'])} votes needed`;
    case 'became-leader':
      return `won the election of term ${event.term}`;
    case 'stepped-down':
      return `stepped down in term ${event.term}`;
    case 'term-changed':
      if (missing('from', 'to')) return null;
      return `term ${String(d['from'])} → ${String(d['to'])}`;
    case 'role-changed':
      if (missing('from', 'to')) return null;
      return `${String(d['from'])} → ${String(d['to'])}`;
    case 'entries-appended':
      if (missing('firstIndex', 'lastIndex')) return null;
      return d['from'] === undefined ? `appended no-op entry ${String(d['firstIndex'])}` : `appended ${range(d['firstIndex'], d['lastIndex'])}`;
    case 'entries-truncated':
      if (missing('firstIndex', 'lastIndex')) return null;
      return `deleted ${range(d['firstIndex'], d['lastIndex'])}`;
    case 'append-accepted':
      if (missing('matchIndex')) return null;
      return d['entries'] === 0 ? `heartbeat from ${from}` : d['entries'] === undefined ? `${from} matched up to ${String(d['matchIndex'])}` : `accepted entries from ${from}`;
    case 'append-rejected':
      return `rejected AppendEntries from ${from}`;
    case 'commit-advanced':
      if (missing('commitIndex')) return null;
      return `committed up to ${String(d['commitIndex'])}`;
    case 'next-index-backed-off':
      if (missing('nextIndex')) return null;
      return `nextIndex of ${from} → ${String(d['nextIndex'])}`;
    case 'message-ignored':
      return 'ignored a stale message';
    case 'leadership-transfer':
      if (missing('phase', 'target')) return null;
      return TRANSFER_WORDS[String(d['phase'])]?.(String(d['target'])) ?? null;
    case 'progress-changed':
      if (missing('peer', 'to')) return null;
      return `S${String(d['peer'])}: ${String(d['from'] ?? '?')} → ${String(d['to'])}`;
    case 'proposal-accepted':
      if (missing('index')) return null;
      return `client write → entry ${String(d['index'])}`;
    case 'proposal-rejected':
      return 'refused a client write';
    case 'read-confirmed':
      return 'confirmed a read';
    case 'read-failed':
      return 'a read failed';
    case 'log-compacted':
      if (missing('lastIncludedIndex')) return null;
      return `snapshot up to entry ${String(d['lastIncludedIndex'])}`;
    case 'snapshot-sent':
      if (missing('to')) return null;
      return `sent snapshot to S${String(d['to'])}`;
    case 'snapshot-installed':
      return 'installed the snapshot';
  }
  return null; // a kind this UI does not know (a newer lab)
}

/** Leadership transfer (dissertation §3.10), by phase: within the diagram's ~30 characters. */
const TRANSFER_WORDS: Readonly<Record<string, (target: string) => string>> = {
  'started': (target) => `handing leadership to S${target}`,
  'timeout-now-sent': (target) => `told S${target}: time out now`,
  'aborted': (target) => `transfer to S${target} abandoned`,
  'refused': (target) => `no transfer to S${target}`,
};

function range(first: unknown, last: unknown): string {
  return first === last ? `entry ${String(first)}` : `entries ${String(first)}..${String(last)}`;
}
