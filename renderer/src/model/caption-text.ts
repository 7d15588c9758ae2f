// A caption's sentence: what happened, to whom, and why, told from the events' fields (not by cutting their
// reasons), so that it reads the same whatever the reasons say. A happening the UI does not know is told by its reason.
import type { LabEvent, RaftEventView } from '../../../src/protocol/events';
import type { NodeId } from '../../../src/protocol/raft';
import { humanizeNumbers, roundForReading } from './human-numbers';
import { labClockNote } from './significance';
import type { StoryNote } from './story-index';

export interface CaptionGroup {
  readonly kind: 'election' | 'term' | 'vote' | 'leader' | 'step-down' | 'append' | 'write' | 'commit' | 'learn-commit'
    | 'client' | 'crash' | 'single';
  readonly id: string;
  /** The server it is about (the candidate of a vote, the leader of an append), when one. */
  readonly node: NodeId | null;
  readonly term: number;
  /** Newest first, bounded. */
  readonly notes: StoryNote[];
  /** Every note merged, including those beyond the bound. */
  count: number;
}

export interface CaptionWords {
  readonly text: string;
  readonly rule: string | null;
  readonly detail: string;
}

type RaftNote = StoryNote & { readonly event: Extract<LabEvent, { type: 'raft' }> };

export function captionText(group: CaptionGroup): CaptionWords {
  const raft = group.notes.filter((note): note is RaftNote => note.event.type === 'raft');
  // A leader's caption cites the rule it won by, not the one of its no-op entry (which comes after).
  const primary = (group.kind === 'leader' ? raft.find((note) => note.event.event.kind === 'became-leader') : undefined)?.event.event
    ?? raft[0]?.event.event ?? null;
  const text = sentence(group, raft, primary);
  const newest = group.notes[0] as StoryNote;
  return { text: humanizeNumbers(text), rule: primary?.rule ?? null, detail: humanizeNumbers(wordsOf(newest.event)) };
}

function sentence(group: CaptionGroup, raft: readonly RaftNote[], primary: RaftEventView | null): string {
  const events = raft.map((note) => note.event.event);
  const of = (kind: string): RaftEventView | undefined => events.find((event) => event.kind === kind);
  // Named in the order they acted (the notes come newest first).
  const nodes = distinct(raft.map((note) => note.event.node).reverse());
  switch (group.kind) {
    case 'election':
      return electionSentence(group, events);
    case 'term':
      return nodes.length === 1 && primary
        ? `${names(nodes)} moves to term ${group.term}: ${primary.reason}`
        : `${names(nodes)} move to term ${group.term}: a message carried that newer term`;
    case 'vote':
      return voteSentence(group, raft);
    case 'leader':
      return leaderSentence(group, of('became-leader'), of('entries-appended'));
    case 'step-down': {
      const down = of('stepped-down');
      const from = typeof down?.data['from'] === 'string' ? `${down.data['from']} ` : '';
      return `${from}S${String(group.node)} steps down → follower in term ${group.term}: ${tail(down?.reason ?? primary?.reason ?? '')}`;
    }
    case 'append': {
      const range = indexRange(events, 'firstIndex', 'lastIndex');
      return `${names(nodes)} ${nodes.length === 1 ? 'appends' : 'append'} ${range} from leader S${String(group.node)}`;
    }
    case 'write': {
      const range = indexRange(events, 'index', 'index');
      return `Client write${group.count > 1 ? 's' : ''} → leader S${String(group.node)} appends ${range} (term ${group.term}) and sends ${group.count > 1 ? 'them' : 'it'} to the followers`;
    }
    case 'commit':
      return commitSentence(group, events);
    case 'learn-commit': {
      const upTo = Math.max(...events.map((event) => number(event.data['commitIndex']) ?? 0));
      return `${names(nodes)} ${nodes.length === 1 ? 'learns' : 'learn'} from the leader (leaderCommit) that entries up to ${upTo} are committed`;
    }
    case 'client':
      return clientSentence(group);
    case 'crash':
      return crashSentence(group);
    case 'single':
      return singleSentence(group.notes[0] as StoryNote);
  }
}

function electionSentence(group: CaptionGroup, events: readonly RaftEventView[]): string {
  const starts = events.filter((event) => event.kind === 'election-started');
  const real = starts.find((event) => event.data['preVote'] !== true);
  const pre = starts.find((event) => event.data['preVote'] === true);
  const who = `S${String(group.node)}`;
  if (real) {
    const cause = pre ? `${who} won its pre-vote` : `${who}'s election timer expired`;
    return `${cause} → candidate in term ${group.term}, votes for itself and asks the others for their votes`;
  }
  return `${who}'s election timer expired → pre-candidate: would the others vote for it in term ${group.term}? ` +
    `(its term stays ${group.term - 1} until they say yes)`;
}

function voteSentence(group: CaptionGroup, notes: readonly RaftNote[]): string {
  const granted: NodeId[] = [];
  const denied: NodeId[] = [];
  let tally: RaftEventView | null = null;
  let denial: RaftEventView | null = null;
  for (const note of notes) {
    const event = note.event.event;
    if (event.kind === 'vote-received') {
      tally ??= event;
      const voter = number(event.data['from']);
      if (voter !== null) (event.data['granted'] === true ? granted : denied).push(voter);
    } else if (event.kind === 'vote-granted') granted.push(note.event.node);
    else if (event.kind === 'vote-denied') {
      denied.push(note.event.node);
      denial ??= event;
    }
  }
  const preVote = group.id.startsWith('vote:pre:');
  const candidate = `S${String(group.node)}`;
  const yes = distinct(granted.reverse()).filter((voter) => voter !== group.node);
  const no = distinct(denied.reverse());
  const parts: string[] = [];
  if (yes.length > 0) {
    parts.push(`${names(yes)} ${preVote ? 'would vote' : yes.length === 1 ? 'votes' : 'vote'} for ${candidate} in term ${group.term}`);
  }
  if (no.length > 0) {
    const why = no.length === 1 && denial ? `: ${tail(denial.reason)}` : '';
    parts.push(`${names(no)} ${no.length === 1 ? 'refuses' : 'refuse'} ${candidate} ${preVote ? 'a pre-vote' : 'its vote'} for term ${group.term}${why}`);
  }
  const votes = tally ? number(tally.data['votesGranted']) : null;
  const needed = tally ? number(tally.data['quorum']) : null;
  const count = votes !== null && needed !== null
    ? ` (${candidate} has ${votes} of the ${needed} ${preVote ? 'pre-votes' : 'votes'} it needs)` : '';
  return `${parts.join('; ')}${count}`;
}

function leaderSentence(group: CaptionGroup, won: RaftEventView | undefined, noOp: RaftEventView | undefined): string {
  const who = `S${String(group.node)}`;
  const noOpIndex = noOp ? number(noOp.data['firstIndex']) : null;
  const appends = noOpIndex === null ? '' : `appends a no-op entry ${noOpIndex}`;
  if (!won) return `Leader ${who} ${appends || 'takes office'} (term ${group.term}) so that entries of earlier terms can commit with it`;
  const voters = typeof won.data['voters'] === 'string' ? ` with votes from ${won.data['voters']}` : '';
  return `${who} wins the election of term ${group.term}${voters} → leader${appends ? `; it ${appends}` : ''}`;
}

function commitSentence(group: CaptionGroup, events: readonly RaftEventView[]): string {
  const newest = events[0];
  const oldest = events[events.length - 1];
  const upTo = number(newest?.data['commitIndex']);
  const from = number(oldest?.data['firstIndex']);
  if (newest === undefined || upTo === null) return `S${String(group.node)}: ${newest?.reason ?? 'commits entries'}`;
  const range = from === null || from === upTo ? `entry ${upTo}` : `entries ${from}..${upTo}`;
  const where = typeof newest.data['replicatedOn'] === 'string' ? `: stored on a majority (${newest.data['replicatedOn']})` : '';
  return `Leader S${String(group.node)} commits ${range}${where}`;
}

function clientSentence(group: CaptionGroup): string {
  const newest = group.notes[0]?.event;
  if (newest?.type !== 'client-op') return 'Client operations';
  const value = newest.value === null ? '' : ` = ${newest.value.length > 24 ? `${newest.value.slice(0, 24)}…` : newest.value}`;
  const by = newest.servedBy === null ? '' : ` by S${newest.servedBy}`;
  const op = `client ${newest.client}: ${newest.op} ${newest.key}${value} → ${newest.status}${by} in ${roundForReading(newest.latencyMs, true)} ms`;
  return group.count > 1 ? `${group.count} client operations; the newest: ${op}` : `Client operation: ${op}`;
}

function crashSentence(group: CaptionGroup): string {
  const fault = group.notes.find((note) => note.event.type === 'fault');
  if (fault) return capitalize(wordsOf(fault.event));
  const status = group.notes[0]?.event;
  const why = status?.type === 'node-status' && status.reason ? `: ${status.reason}` : '';
  return `S${String(group.node)}'s process stopped${why}`;
}

function singleSentence(note: StoryNote): string {
  const event = note.event;
  switch (event.type) {
    case 'raft':
      return `S${event.node}: ${event.event.reason}`;
    case 'cluster-phase':
      return phaseSentence(event);
    case 'error':
      return `Error${event.node === null ? '' : ` on S${event.node}`}: ${event.message}`;
    default:
      return capitalize(wordsOf(event));
  }
}

function phaseSentence(event: Extract<LabEvent, { type: 'cluster-phase' }>): string {
  switch (event.phase) {
    case 'starting':
      return `A new cluster${event.settings ? ` of ${event.settings.nodeCount} servers` : ''} starts: every server begins as a follower in term 0`;
    case 'running':
      return 'Every server is up as a follower: the first whose election timer runs out without hearing from a leader starts an election';
    case 'stopping':
      return 'The cluster is stopping';
    case 'stopped':
      return 'The cluster stopped';
  }
}

/** An event's own words: a Raft event's reason, a fault's description, a step of the lab clock. */
function wordsOf(event: LabEvent): string {
  switch (event.type) {
    case 'raft':
      return event.event.reason;
    case 'fault':
      return event.description;
    case 'node-status':
      return `S${event.node} ${event.status}${event.reason ? `: ${event.reason}` : ''}`;
    case 'error':
      return event.message;
    default: {
      const clock = labClockNote(event);
      if (clock === null) return event.type;
      if (clock.description !== null) return `Step: ${clock.description}`;
      return clock.frozen ? 'The cluster is frozen: no timer fires and every message waits at its receiver'
        : `The cluster runs${clock.timeScale > 1 ? ` in slow motion (${clock.timeScale}x)` : ' in real time'}`;
    }
  }
}

function indexRange(events: readonly RaftEventView[], firstField: string, lastField: string): string {
  const firsts = events.map((event) => number(event.data[firstField])).filter((value): value is number => value !== null);
  const lasts = events.map((event) => number(event.data[lastField])).filter((value): value is number => value !== null);
  if (firsts.length === 0 || lasts.length === 0) return 'entries';
  const first = Math.min(...firsts);
  const last = Math.max(...lasts);
  return first === last ? `entry ${first}` : `entries ${first}..${last}`;
}

/** "S2", "S2 and S3", "S2, S3 and S4". */
export function names(nodes: readonly NodeId[]): string {
  const named = nodes.map((node) => `S${node}`);
  if (named.length <= 1) return named[0] ?? 'nobody';
  return `${named.slice(0, -1).join(', ')} and ${named[named.length - 1] as string}`;
}

/** The part of a reason after its first colon (its why), or all of it. */
function tail(reason: string): string {
  const at = reason.indexOf(': ');
  return at < 0 ? reason : reason.slice(at + 2);
}

function number(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

function distinct<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function capitalize(text: string): string {
  return text.length === 0 ? text : `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;
}
