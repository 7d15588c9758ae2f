// One line of words per event, for the event log, its search and the timeline's tooltips. Raft events carry their
// reason and the Figure 2 rule; the rest are summarised from their fields.
import type { LabEvent, MessageView } from '../../../src/protocol/events';
import type { NodeId } from '../../../src/protocol/raft';

/** Term an event belongs to, when it has one. */
export function eventTerm(event: LabEvent): number | null {
  switch (event.type) {
    case 'raft':
      return event.event.term;
    case 'node-state':
      return event.state.term;
    case 'message':
      return event.message.term;
    case 'log-write':
      return event.entries[event.entries.length - 1]?.term ?? null;
    default:
      return null;
  }
}

/** Nodes an event is about (for the node filter). */
export function eventNodes(event: LabEvent): readonly NodeId[] {
  switch (event.type) {
    case 'fault':
      return event.nodes;
    case 'client-op':
      return event.servedBy === null ? [] : [event.servedBy];
    case 'error':
      return event.node === null ? [] : [event.node];
    case 'cluster-phase':
      return [];
    case 'lab-clock':
      return event.step?.node ? [event.step.node] : [];
    case 'violation':
      return event.nodes;
    case 'workload':
      return [];
    default:
      return [event.node];
  }
}

/** Figure 2 rule of a Raft event; empty for others. */
export function eventRule(event: LabEvent): string {
  return event.type === 'raft' ? event.event.rule : event.type === 'node-note' ? event.rule ?? '' : '';
}

export function messageSummary(message: MessageView): string {
  const f = message.fields;
  const route = `${message.type} S${message.from}→S${message.to}`;
  const head = `${route} t${message.term}`;
  switch (message.type) {
    case 'RequestVote': {
      const last = `last=(${String(f['lastLogIndex'])}, t${String(f['lastLogTerm'])})`;
      // A pre-vote asks about a term nobody is in yet: say so rather than show it as the sender's term.
      return f['preVote'] === true ? `${route} pre-vote for t${message.term} ${last}` : `${head} ${last}`;
    }
    case 'RequestVoteReply':
      return voteReplySummary(message, route, head);
    case 'AppendEntries': {
      const entries = message.entries ?? [];
      const first = entries[0];
      const last = entries[entries.length - 1];
      const carried = !first || !last ? ' heartbeat' : first === last ? ` entry ${first.index}` : ` entries ${first.index}..${last.index}`;
      return `${head} prev=(${String(f['prevLogIndex'])}, t${String(f['prevLogTerm'])})${carried} commit=${String(f['leaderCommit'])}`;
    }
    case 'AppendEntriesReply':
      return f['success'] === true ? `${head} success match=${String(f['matchIndex'])}` : `${head} ${appendRejection(message)}`;
    case 'InstallSnapshot':
      return `${head} snapshot ≤ ${String(f['lastIncludedIndex'])} (t${String(f['lastIncludedTerm'])}) offset=${String(f['offset'])} ` +
        `${String(f['dataChars'] ?? '?')} chars${f['done'] === true ? ', last chunk' : ''}`;
    case 'InstallSnapshotReply':
      return `${head} ${snapshotReplySummary(message)}`;
  }
  // A message type this UI does not know (a newer lab): its fields as they are, rather than nothing.
  return genericSummary(head, f);
}

/** A granted pre-vote carries the term it would vote in; a denial carries the voter's own term. */
function voteReplySummary(message: MessageView, route: string, head: string): string {
  const granted = message.fields['voteGranted'] === true;
  if (message.fields['preVote'] !== true) return `${head} ${granted ? 'granted' : 'denied'}`;
  return granted ? `${route} pre-vote granted for t${message.term}` : `${head} pre-vote denied`;
}

/**
 * Why a follower refused: conflictIndex 0 means it refused the request's term (the reply's term is its own, higher);
 * conflictTerm 0 means its log is too short; otherwise its entries of conflictTerm start at conflictIndex.
 */
function appendRejection(message: MessageView): string {
  const conflictIndex = Number(message.fields['conflictIndex']);
  const conflictTerm = Number(message.fields['conflictTerm']);
  if (conflictIndex === 0) return `rejected: stale term (S${message.from} is in t${message.term})`;
  if (conflictTerm === 0) return `rejected: log ends at ${conflictIndex - 1}`;
  return `rejected: conflicting t${conflictTerm} entries from index ${conflictIndex}`;
}

/**
 * done: the follower's log now matches through the snapshot (it installed it, or already had it committed). Otherwise
 * it holds that many characters and the leader resumes there; 0 means refused (stale term, too large, or a gap).
 */
function snapshotReplySummary(message: MessageView): string {
  const snapshot = `snapshot ≤ ${String(message.fields['lastIncludedIndex'])}`;
  const held = Number(message.fields['bytesStored']);
  if (message.fields['done'] === true) return `installed ${snapshot} or already had it`;
  return held === 0 ? `refused ${snapshot}, resume at 0` : `holds ${held} chars of ${snapshot}, resume at ${held}`;
}

function labClockSummary(event: Extract<LabEvent, { type: 'lab-clock' }>): string {
  if (event.step) return `step: ${event.step.description}`;
  const [min, max] = event.networkDelayMs;
  const delay = max === 0 ? 'no network delay' : `network delay ${Math.round(min)}–${Math.round(max)} ms`;
  return `${event.segment.frozen ? 'cluster paused' : 'cluster running'} at lab time ${Math.round(event.segment.labMs)} ms, ` +
    `${event.segment.timeScale}x slow motion, ${delay}`;
}

function genericSummary(head: string, fields: Readonly<Record<string, unknown>>): string {
  return `${head} ${Object.entries(fields).map(([name, value]) => `${name}=${String(value)}`).join(' ')}`.trim();
}

const summaryCache = new WeakMap<LabEvent, string>();

/** The event in words (cached: the log's search reads it for every event in the window). */
export function eventSummary(event: LabEvent): string {
  const cached = summaryCache.get(event);
  if (cached !== undefined) return cached;
  const text = summarise(event);
  summaryCache.set(event, text);
  return text;
}

function summarise(event: LabEvent): string {
  switch (event.type) {
    case 'cluster-phase':
      return `cluster ${event.phase}`;
    case 'lab-clock':
      return labClockSummary(event);
    case 'violation':
      return `SAFETY VIOLATION: ${event.statement}. ${event.detail}`;
    case 'workload':
      return `workload stopped: ${event.ops} operations (${event.ok} ok, ${event.fail} failed, ${event.unknown} unknown); ` +
        (event.linearizable === null ? 'linearizability undecided' : event.linearizable ? 'linearizable' : 'NOT linearizable');
    case 'node-status':
      return `${event.status}${event.pid === null ? '' : ` (pid ${event.pid})`}${event.reason ? `: ${event.reason}` : ''}`;
    case 'node-alive':
      return `alive, pid ${event.pid}, peers reach it at ${event.peerEndpoint}`;
    case 'raft':
      return `${event.event.kind}: ${event.event.reason}`;
    case 'node-state': {
      const s = event.state;
      const leader = s.leaderId === null ? '' : ` leader S${s.leaderId}`;
      const vote = s.votedFor === null ? '' : ` voted S${s.votedFor}`;
      return `${s.role} t${s.term}${vote}${leader} commit=${s.commitIndex} applied=${s.lastApplied} last=(${s.lastLogIndex}, t${s.lastLogTerm})`;
    }
    case 'error':
      return `error: ${event.message}`;
    case 'node-note':
      return `says: ${event.text}`;
    case 'message': {
      const verb = event.direction === 'send' ? 'sent' : event.direction === 'receive' ? 'received' : 'dropped';
      const reason = event.dropReason === null ? '' : ` — ${event.dropReason}`;
      return `${verb} ${messageSummary(event.message)}${reason}`;
    }
    case 'log-write': {
      const first = event.entries[0];
      const last = event.entries[event.entries.length - 1];
      if (!first || !last) return 'wrote no entries';
      const terms = first.term === last.term ? `t${first.term}` : `t${first.term}..t${last.term}`;
      return first === last ? `wrote entry ${first.index} (${terms})` : `wrote entries ${first.index}..${last.index} (${terms})`;
    }
    case 'log-terms':
      return event.from === event.last ? `wrote entry ${event.from} (terms only)` : `wrote entries ${event.from}..${event.last} (terms only)`;
    case 'kv-state':
      return event.entries === null
        ? `KV state after entry ${event.index}: too large to show`
        : `KV state after entry ${event.index}: ${event.entries.length} key${event.entries.length === 1 ? '' : 's'}`;
    case 'fault':
      return `${event.action}: ${event.description}`;
    case 'client-op': {
      const value = event.value === null ? '' : ` = ${event.value}`;
      const by = event.servedBy === null ? '' : ` by S${event.servedBy}`;
      const stale = event.stale === true ? ' — STALE: it missed a write committed before it was called' : '';
      return `client ${event.client} ${event.op} ${event.key}${value} → ${event.status}${by} (${event.latencyMs.toFixed(1)} ms)${stale}`;
    }
  }
}

/** Time of an event relative to `originNs`, in ms, as the log prints it. */
export function relativeMs(atNs: number, originNs: number): string {
  return ((atNs - originNs) / 1e6).toFixed(1);
}
