// The caption strip's few sentences: the newest significant events before the cursor, as a student would tell them.
// Events that tell one happening are told once: the four servers granting their votes, the followers appending the
// same entries, a leader's win and its no-op entry. Pure: the same notes give the same captions, so scrubbing and
// replay show the captions of their moment.
import type { NodeId } from '../../../src/protocol/raft';
import { captionText, type CaptionGroup } from './caption-text';
import type { StoryNote } from './story-index';
import type { StoryTopic } from './significance';

export interface Caption {
  /** Identity across frames (the happening it tells), for the strip's list keys. */
  readonly key: string;
  /** Seq and time of its newest event. */
  readonly seq: number;
  readonly atNs: number;
  readonly topic: StoryTopic;
  /** One sentence, numbers rounded. */
  readonly text: string;
  /** The rule of the Raft paper behind it, when a Raft event is. */
  readonly rule: string | null;
  /** The newest event's own words in full (its reason), for a tooltip. */
  readonly detail: string;
}

export const CAPTION_COUNT = 4;
/** Notes read back from the cursor at most: bounds a frame's work whatever the window holds. */
export const CAPTION_SCAN_LIMIT = 400;
/** Notes kept per caption (enough to name every server of a 9-server cluster). */
const MAX_NOTES_PER_CAPTION = 12;

interface Identity {
  readonly kind: CaptionGroup['kind'];
  readonly id: string;
  readonly node: NodeId | null;
  readonly term: number;
  /** A happening this note belongs to when it is already being told (a candidate's own term change: its election). */
  readonly joins?: (group: CaptionGroup) => boolean;
}

/** Captions for the notes given newest first (StoryIndex.newestFirst), oldest caption first, at most `count`. */
export function buildCaptions(newestFirst: Iterable<StoryNote>, count = CAPTION_COUNT, scanLimit = CAPTION_SCAN_LIMIT): Caption[] {
  const groups: CaptionGroup[] = [];
  let scanned = 0;
  for (const note of newestFirst) {
    if (scanned >= scanLimit) break;
    scanned += 1;
    const identity = identify(note);
    const target = (identity.joins ? groups.find(identity.joins) : undefined) ?? groups.find((group) => group.id === identity.id);
    if (target !== undefined) {
      target.count += 1;
      if (target.notes.length < MAX_NOTES_PER_CAPTION) target.notes.push(note);
      continue;
    }
    // Full: older notes still join the happenings being told (a slow follower's vote, the first followers' appends)
    // until the scan limit; a happening that did not make it is left out.
    if (groups.length >= count) continue;
    groups.push({ kind: identity.kind, id: identity.id, node: identity.node, term: identity.term, notes: [note], count: 1 });
  }
  return groups.reverse().map(toCaption);
}

function toCaption(group: CaptionGroup): Caption {
  const newest = group.notes[0] as StoryNote;
  const told = captionText(group);
  return { key: group.id, seq: newest.seq, atNs: newest.atNs, topic: newest.topic, text: told.text, rule: told.rule, detail: told.detail };
}

function identify(note: StoryNote): Identity {
  const event = note.event;
  const single: Identity = { kind: 'single', id: `single:${note.seq}`, node: null, term: 0 };
  switch (event.type) {
    case 'raft':
      return identifyRaft(note, event.node, event.event.term, event.event.kind, event.event.data, event.event.rule);
    case 'client-op':
      return { kind: 'client', id: 'client', node: null, term: 0 };
    case 'fault':
      return event.action === 'crash' && event.nodes.length === 1 ? crashed(event.nodes[0] as NodeId) : single;
    case 'node-status':
      return crashed(event.node);
    default:
      return single;
  }
}

function crashed(node: NodeId): Identity {
  return { kind: 'crash', id: `crash:${node}`, node, term: 0 };
}

type Data = Readonly<Record<string, string | number | boolean | null>>;

function identifyRaft(note: StoryNote, node: NodeId, term: number, kind: string, data: Data, rule: string): Identity {
  const num = (name: string, fallback: number): number => (typeof data[name] === 'number' ? data[name] as number : fallback);
  switch (kind) {
    case 'election-started': {
      const electionTerm = data['preVote'] === true ? num('proposedTerm', term + 1) : term;
      return { kind: 'election', id: `election:${node}:${electionTerm}`, node, term: electionTerm };
    }
    case 'term-changed': {
      const to = num('to', term);
      return { kind: 'term', id: `term:${to}`, node, term: to, joins: (group) => group.term === to && (
        (group.kind === 'election' || group.kind === 'step-down') && group.node === node
        || (group.kind === 'vote' || group.kind === 'append') && group.notes.some((other) => other.event.type === 'raft' && other.event.node === node)) };
    }
    case 'vote-granted':
    case 'vote-denied': {
      const preVote = data['preVote'] === true;
      const voteTerm = preVote ? num('proposedTerm', term + 1) : num('requestTerm', term);
      return voteIdentity(num('candidate', 0), voteTerm, preVote);
    }
    case 'vote-received': {
      // The candidate's tally: a pre-candidate counts pre-votes for the term after its own.
      const preVote = /pre-vote/i.test(rule);
      return voteIdentity(node, preVote ? term + 1 : term, preVote);
    }
    case 'became-leader':
      return { kind: 'leader', id: `leader:${node}:${term}`, node, term };
    case 'entries-appended':
      // A leader appends on its own only its no-op (client commands are proposal-accepted): part of taking office.
      if (data['from'] === undefined) return { kind: 'leader', id: `leader:${node}:${term}`, node, term };
      return { kind: 'append', id: `append:${String(data['from'])}:${term}`, node: num('from', 0), term };
    case 'stepped-down':
      return { kind: 'step-down', id: `step-down:${node}:${term}`, node, term };
    case 'proposal-accepted':
      // A configuration entry (it names the voters) is no client write: it is told alone, in its own words.
      if (data['voters'] !== undefined) return { kind: 'single', id: `config:${node}:${num('index', 0)}`, node, term };
      return { kind: 'write', id: `write:${node}:${term}`, node, term };
    case 'commit-advanced':
      return data['leaderCommit'] === undefined
        ? { kind: 'commit', id: `commit:${node}:${term}`, node, term }
        : { kind: 'learn-commit', id: `learn-commit:${term}`, node: null, term };
    case 'next-index-backed-off':
      return { kind: 'single', id: `back-off:${node}:${String(data['from'])}`, node, term };
    case 'snapshot-sent':
      return { kind: 'single', id: `snapshot-sent:${node}:${String(data['to'])}`, node, term };
    default:
      return { kind: 'single', id: `single:${note.seq}`, node, term };
  }
}

function voteIdentity(candidate: number, term: number, preVote: boolean): Identity {
  return { kind: 'vote', id: `vote:${preVote ? 'pre:' : ''}${term}:${candidate}`, node: candidate, term };
}
