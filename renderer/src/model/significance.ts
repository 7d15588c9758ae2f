// Which events tell the story of the cluster, and which are its routine. A five-server lab emits hundreds of events a
// second, nearly all heartbeats and their acknowledgements; a student follows the few that change something:
// elections, votes, leaders, terms, client writes, commits, truncations, snapshots, faults and client operations.
import type { LabEvent, RaftEventView } from '../../../src/protocol/events';

export type StoryTopic = 'election' | 'vote' | 'leader' | 'term' | 'replication' | 'commit' | 'truncation' | 'snapshot'
  | 'fault' | 'client' | 'cluster' | 'clock' | 'error';

/** The jumps the timeline offers: to the previous or next moment of this kind. */
export type JumpKind = 'election' | 'commit' | 'fault';

/** The topic of a significant event; null for routine ones (heartbeats, acknowledgements, state reports). */
export function storyTopic(event: LabEvent): StoryTopic | null {
  switch (event.type) {
    case 'raft':
      return raftTopic(event.event);
    case 'fault':
      // A change of slow motion comes with a lab-clock event that says it ("The cluster runs in slow motion"):
      // telling both put two sentences under the cluster for one change.
      return event.action === 'time-scale' ? null : 'fault';
    case 'client-op':
      return 'client';
    case 'cluster-phase':
      return 'cluster';
    case 'error':
      return 'error';
    case 'node-status':
      // The lab's own stops (a cluster stopping) are told by the cluster's phase; a crash is news.
      return event.status === 'crashed' ? 'fault' : null;
    default:
      return labClockNote(event) === null ? null : 'clock';
  }
}

function raftTopic(event: RaftEventView): StoryTopic | null {
  switch (event.kind) {
    case 'election-started':
      return 'election';
    case 'vote-granted':
    case 'vote-denied':
    case 'vote-received':
      return 'vote';
    case 'became-leader':
    case 'stepped-down':
    case 'leadership-transfer':
      return 'leader';
    case 'term-changed':
      return 'term';
    case 'entries-appended':
    case 'proposal-accepted':
    case 'append-rejected':
    case 'next-index-backed-off':
      return 'replication';
    case 'commit-advanced':
      return 'commit';
    case 'entries-truncated':
      return 'truncation';
    case 'log-compacted':
    case 'snapshot-sent':
    case 'snapshot-installed':
      return 'snapshot';
    case 'proposal-rejected':
    case 'read-failed':
      return 'client';
    case 'message-ignored':
      // Stale and reordered replies are routine; two leaders in one term (planted bugs) is the news of the day.
      return /election safety/i.test(event.rule) ? 'leader' : null;
    // role-changed repeats election-started, became-leader and stepped-down; append-accepted repeats
    // entries-appended (or is a heartbeat); read-confirmed is told by the client operation.
    default:
      return null;
  }
}

/** The moment a jump of `kind` stops at, for the timeline's previous/next buttons. */
export function jumpKind(event: LabEvent): JumpKind | null {
  if (event.type === 'fault') return event.action === 'time-scale' ? null : 'fault';
  if (event.type !== 'raft') return null;
  if (event.event.kind === 'election-started') return 'election';
  // A commit is the leader's decision; followers learn it later from leaderCommit (their events carry it).
  if (event.event.kind === 'commit-advanced' && event.event.data['leaderCommit'] === undefined) return 'commit';
  return null;
}

/**
 * What a lab-clock event (a step, a freeze, slow motion) says, or null for other events. Read structurally: lab-clock
 * events are newer than some recordings and this UI reads both.
 */
export function labClockNote(event: LabEvent): { readonly description: string | null; readonly frozen: boolean; readonly timeScale: number } | null {
  const candidate = event as { type: string; segment?: { frozen?: unknown; timeScale?: unknown }; step?: { description?: unknown } };
  if (candidate.type !== 'lab-clock' || candidate.segment === undefined) return null;
  const description = typeof candidate.step?.description === 'string' ? candidate.step.description : null;
  const timeScale = typeof candidate.segment.timeScale === 'number' ? candidate.segment.timeScale : 1;
  return { description, frozen: candidate.segment.frozen === true, timeScale };
}
