// What any message a correct Raft server sends looks like, checked as a whole before a message changes anything.
// A peer may be buggy, old, or not a peer at all (a fuzzer, a student's netcat): a message that breaks one of these
// rules is reported as invalid and ignored, never half-handled (an entry of term 0 used to raise the receiver's term,
// truncate its log, and only then throw). The wire (src/protocol/wire.ts) applies the same function, so such a frame
// is normally refused before it reaches the core; the core checks again because the simulator and tests call it
// directly. `fail()` stays for the core's own invariants.

import { isCorrectRaft, type NodeState } from './state';
import type { Entry, Message } from './types';

/**
 * Terms above this are refused: a term must stay a safe integer after every election a server may still hold
 * (each adds one), so a forged huge term could otherwise make a later election overflow.
 */
export const MAX_MESSAGE_TERM = 2 ** 52;

/**
 * A message more than this many terms ahead of the receiver's is refused (termJumpProblem). Terms grow by one per
 * election, so no correct server is four billion elections behind a peer; a forged frame, though, could otherwise
 * move the whole cluster next to MAX_MESSAGE_TERM in one step, after which no election could ever be won.
 */
export const MAX_TERM_JUMP = 2 ** 32;

/** Null unless `messageTerm` is more than MAX_TERM_JUMP ahead of `currentTerm`. */
export function termJumpProblem(messageTerm: number, currentTerm: number): string | null {
  return messageTerm - currentTerm > MAX_TERM_JUMP
    ? `term ${messageTerm} is more than ${MAX_TERM_JUMP} terms ahead of ours (${currentTerm}): no correct server falls that many elections behind`
    : null;
}

const isCount = (value: number): boolean => Number.isSafeInteger(value) && value >= 0;
const isTerm = (value: number): boolean => isCount(value) && value <= MAX_MESSAGE_TERM;

/**
 * Null when `message` could have been sent by a correct server; otherwise what is wrong, in words. Looks at the
 * message alone (no server state), so the wire can apply it too.
 */
export function messageProblem(message: Message): string | null {
  if (!isTerm(message.term)) return `term ${message.term} is not an integer in [0, ${MAX_MESSAGE_TERM}]`;
  if (message.from === message.to) return `S${message.from} sends ${message.type} to itself`;
  switch (message.type) {
    case 'RequestVote':
      // A candidate (or pre-candidate) asks for a term after its own, and its log ends in a term before that one.
      if (message.term < 1) return 'RequestVote for term 0: every election is for a term >= 1';
      if (!isCount(message.lastLogIndex)) return `lastLogIndex ${message.lastLogIndex} is not an integer >= 0`;
      // TimeoutNow makes a real election, never a pre-vote; the mark is absent or true.
      if (message.leadershipTransfer !== undefined && !(message.leadershipTransfer === true && !message.preVote)) {
        return 'leadershipTransfer is true on a vote request (not a pre-vote) or absent';
      }
      return logPositionProblem('lastLogIndex', message.lastLogIndex, 'lastLogTerm', message.lastLogTerm, message.term);
    case 'RequestVoteReply':
      // Only a pre-vote denial may carry term 0: it carries the voter's own term, which may still be 0.
      if (message.term < 1 && !(message.preVote && !message.voteGranted)) return `${message.voteGranted ? 'a granted vote' : 'a vote denial'} of term 0`;
      return null;
    case 'AppendEntries':
      return appendEntriesProblem(message);
    case 'AppendEntriesReply':
      // A follower answers in the leader's term (>= 1) or its own newer one.
      if (message.term < 1) return 'AppendEntriesReply of term 0: it answers a leader, whose term is >= 1';
      if (!(isCount(message.matchIndex) && isCount(message.conflictIndex) && isCount(message.readRound))) return 'matchIndex, conflictIndex and readRound must be integers >= 0';
      if (!isTerm(message.conflictTerm) || message.conflictTerm > message.term) return `conflictTerm ${message.conflictTerm} outside [0, term ${message.term}]`;
      if (message.success) {
        return message.conflictTerm === 0 && message.conflictIndex === 0 ? null : 'a success reply carries no conflict hint (conflictTerm and conflictIndex 0)';
      }
      if (message.matchIndex !== 0) return `a rejection carries matchIndex 0, not ${message.matchIndex}`;
      return message.conflictTerm > 0 && message.conflictIndex < 1 ? `conflictTerm ${message.conflictTerm} comes with a conflictIndex >= 1` : null;
    case 'InstallSnapshot':
      if (!(Number.isSafeInteger(message.lastIncludedIndex) && message.lastIncludedIndex >= 1)) return `lastIncludedIndex ${message.lastIncludedIndex} must be >= 1`;
      if (!(isTerm(message.lastIncludedTerm) && message.lastIncludedTerm >= 1 && message.lastIncludedTerm <= message.term)) {
        return `lastIncludedTerm ${message.lastIncludedTerm} outside [1, term ${message.term}]`;
      }
      if (typeof message.data !== 'string') return 'snapshot data must be text';
      if (!(isCount(message.offset) && isCount(message.offset + message.data.length))) return `offset ${message.offset} must be an integer >= 0`;
      return message.config === undefined ? null : configurationProblem(message.config);
    case 'InstallSnapshotReply':
      if (message.term < 1) return 'InstallSnapshotReply of term 0: it answers a leader, whose term is >= 1';
      if (!(Number.isSafeInteger(message.lastIncludedIndex) && message.lastIncludedIndex >= 1)) return `lastIncludedIndex ${message.lastIncludedIndex} must be >= 1`;
      return isCount(message.bytesStored) ? null : `bytesStored ${message.bytesStored} must be an integer >= 0`;
    case 'TimeoutNow':
      return message.term < 1 ? 'TimeoutNow of term 0: only a leader sends it, whose term is >= 1' : null;
    default:
      return 'not a Raft message type';
  }
}

/** Entries follow prevLogIndex one by one, with terms in [1, term] that never decrease (Log Matching). */
function appendEntriesProblem(message: Extract<Message, { type: 'AppendEntries' }>): string | null {
  if (message.term < 1) return 'AppendEntries of term 0: a leader\'s term is >= 1';
  const { prevLogIndex, prevLogTerm, entries } = message;
  if (!(isCount(prevLogIndex) && isCount(message.leaderCommit) && isCount(message.readRound))) return 'prevLogIndex, leaderCommit and readRound must be integers >= 0';
  const position = logPositionProblem('prevLogIndex', prevLogIndex, 'prevLogTerm', prevLogTerm, message.term);
  if (position !== null) return position;
  if (!Array.isArray(entries)) return 'entries must be a list';
  let previousTerm = prevLogTerm;
  for (let offset = 0; offset < entries.length; offset++) {
    const entry = entries[offset];
    const index = prevLogIndex + 1 + offset;
    if (entry === undefined || entry.index !== index) return `entry ${offset} has index ${entry?.index ?? 'none'}, expected ${index} (prevLogIndex + 1 + ${offset})`;
    if (!(isTerm(entry.term) && entry.term >= 1 && entry.term >= previousTerm && entry.term <= message.term)) {
      return `entry ${index} has term ${entry.term}, outside [${Math.max(1, previousTerm)}, term ${message.term}] (entry terms are >= 1, never decrease, never pass the leader's)`;
    }
    if (!(entry.command === null || typeof entry.command === 'string')) return `entry ${index} has a command that is neither text nor null`;
    if (entry.config !== undefined) {
      if (entry.command !== null) return `configuration entry ${index} carries a command too`;
      const problem = configurationProblem(entry.config);
      if (problem !== null) return `configuration entry ${index}: ${problem}`;
    }
    previousTerm = entry.term;
  }
  return null;
}

/** A log position: index 0 (the empty log) has term 0; any other index has a term in [1, the message's term]. */
function logPositionProblem(indexName: string, index: number, termName: string, term: number, messageTerm: number): string | null {
  if (!isTerm(term) || term > messageTerm) return `${termName} ${term} outside [0, term ${messageTerm}]`;
  if ((index === 0) !== (term === 0)) return `${termName} is 0 exactly when ${indexName} is 0, got ${indexName} ${index} with ${termName} ${term}`;
  return null;
}

/**
 * Null unless `message`, valid on its own, contradicts what this server knows for certain, which only a faulty or
 * forged peer can do in correct Raft: an AppendEntries or InstallSnapshot of our term or a newer one that disagrees
 * with our committed entries (Leader Completeness: every later leader holds them) or claims to lead a term whose
 * leader we know (Election Safety), or a reply from a follower to the leader of this term about entries or read rounds this leader never sent. Checked before the message changes
 * anything (a newer term would otherwise be adopted first). With planted bugs these are exactly what the bugs break
 * on purpose: the handlers then see the message, and the checkers the damage.
 */
export function contradictionWith(s: NodeState, message: Message): string | null {
  if (!isCorrectRaft(s) || message.term < s.term) return null;
  if ((message.type === 'AppendEntries' || message.type === 'InstallSnapshot' || message.type === 'TimeoutNow') && message.term === s.term &&
      s.leaderId !== null && s.leaderId !== message.from) {
    return `S${message.from} claims to lead term ${s.term}, whose leader is S${s.leaderId} (Election Safety: one leader per term)`;
  }
  switch (message.type) {
    case 'AppendEntries':
      return committedConflict(s, message.prevLogIndex, message.prevLogTerm, 'prevLogIndex') ??
        firstCommittedConflict(s, message.entries);
    case 'InstallSnapshot':
      return committedConflict(s, message.lastIncludedIndex, message.lastIncludedTerm, 'lastIncludedIndex');
    case 'AppendEntriesReply':
      if (!(s.role === 'leader' && message.term === s.term)) return null;
      if (message.success && message.matchIndex > s.log.lastIndex()) {
        return `it claims to match our log up to ${message.matchIndex}, but our log ends at ${s.log.lastIndex()}`;
      }
      return message.readRound > s.reads.round ? `it acknowledges read round ${message.readRound}, but we started only ${s.reads.round}` : null;
    case 'InstallSnapshotReply':
      if (!(s.role === 'leader' && message.term === s.term)) return null;
      return message.done && message.lastIncludedIndex > s.log.lastIndex()
        ? `it says it holds a snapshot through ${message.lastIncludedIndex}, but our log ends at ${s.log.lastIndex()}` : null;
    case 'RequestVote':
    case 'RequestVoteReply':
    case 'TimeoutNow':
      return null;
  }
}

function firstCommittedConflict(s: NodeState, entries: readonly Entry[]): string | null {
  const committedEnd = Math.min(s.commitIndex, s.log.lastIndex());
  for (const entry of entries) {
    if (entry.index > committedEnd) return null;
    const conflict = committedConflict(s, entry.index, entry.term, 'entry');
    if (conflict !== null) return conflict;
  }
  return null;
}

/** Our committed entry at `index` (the snapshot keeps only its last index's term) has another term. */
function committedConflict(s: NodeState, index: number, term: number, what: string): string | null {
  if (index < 1 || index < s.log.snapshotIndex() || index > Math.min(s.commitIndex, s.log.lastIndex())) return null;
  const ours = s.log.termAt(index);
  return ours === term ? null
    : `its ${what} ${index} has term ${term}, but our entry ${index} is committed with term ${ours}: a leader holds every committed entry (Leader Completeness)`;
}

/** Bound on the servers one configuration may name. */
export const MAX_CONFIGURATION_SERVERS = 64;

/** Null when `config` is a configuration a correct leader could write: server ids, no server twice, at most one role. */
export function configurationProblem(config: unknown): string | null {
  if (typeof config !== 'object' || config === null) return 'a configuration must be an object';
  const { voters, learners, outgoing } = config as { voters?: unknown; learners?: unknown; outgoing?: unknown };
  const seen = new Set<number>();
  for (const [name, list] of [['voters', voters], ['learners', learners], ['outgoing', outgoing]] as const) {
    if (!Array.isArray(list) || list.length > MAX_CONFIGURATION_SERVERS) return `${name} must be a list of at most ${MAX_CONFIGURATION_SERVERS} server ids`;
    const own = new Set<number>();
    for (const id of list as unknown[]) {
      if (!(typeof id === 'number' && Number.isSafeInteger(id) && id >= 1)) return `${name} holds ${String(id)}, not a server id`;
      if (own.has(id)) return `${name} lists S${id} twice`;
      own.add(id);
      if (name !== 'outgoing' && seen.has(id)) return `S${id} is both a voter and a learner`;
      if (name !== 'outgoing') seen.add(id);
    }
  }
  return null;
}
