// Our extension of Maelstrom's protocol (docs/byo-raft.md): a node may send messages to dest "lab" to tell the lab
// about itself, for the richer views. Both are optional; without them a node's role and log are unknown to the lab.
//   raft_lab_state: any of role, term, voted_for, commit_index, log (a list of {term} or {term, op})
//   raft_lab_event: text (and optionally rule), shown in the event log
// Each raft_lab_state is merged into what the node said before, and reported as the lab's node-state event (and its
// log as log-write events, only from the first entry that changed).
import { z } from 'zod';
import type { LogEntryView } from '../../protocol/lab-api';
import type { NodeStateView, UnsequencedLabEvent } from '../../protocol/events';
import { nodeNumberOf, type MaelstromBody } from '../../protocol/maelstrom';

export const MAX_REPORTED_LOG_ENTRIES = 100_000;
const LOG_WRITE_CHUNK = 1024;
const MAX_OP_CHARS = 1000;

const count = z.int().nonnegative();
const roleSchema = z.enum(['follower', 'candidate', 'leader', 'precandidate', 'pre-candidate']);

const stateSchema = z.looseObject({
  role: roleSchema.optional(),
  term: count.optional(),
  voted_for: z.string().max(64).nullable().optional(),
  commit_index: count.optional(),
  log: z.array(z.looseObject({ term: count, op: z.unknown().optional() })).max(MAX_REPORTED_LOG_ENTRIES).optional(),
});

const eventSchema = z.looseObject({ text: z.string().min(1).max(1024), rule: z.string().max(256).optional() });

export type ExtensionResult = { ok: true; events: UnsequencedLabEvent[] } | { ok: false; problem: string };

export class LabExtension {
  private state: NodeStateView = { role: 'follower', term: 0, votedFor: null, leaderId: null, commitIndex: 0, lastApplied: 0,
    lastLogIndex: 0, lastLogTerm: 0, electionDeadlineNs: null, progress: null };
  private log: { term: number; command: string | null }[] = [];

  constructor(private readonly nodeId: number, private readonly now: () => number) {}

  handle(body: MaelstromBody): ExtensionResult {
    if (body.type === 'raft_lab_state') return this.onState(body);
    if (body.type === 'raft_lab_event') {
      const parsed = eventSchema.safeParse(body);
      if (!parsed.success) return { ok: false, problem: `raft_lab_event: ${firstIssue(parsed.error)}` };
      return { ok: true, events: [{ type: 'node-note', atNs: this.now(), node: this.nodeId, text: parsed.data.text, rule: parsed.data.rule ?? null }] };
    }
    return { ok: false, problem: `dest "lab" takes raft_lab_state and raft_lab_event, not "${body.type}"` };
  }

  private onState(body: MaelstromBody): ExtensionResult {
    const parsed = stateSchema.safeParse(body);
    if (!parsed.success) return { ok: false, problem: `raft_lab_state: ${firstIssue(parsed.error)}` };
    const said = parsed.data;
    let votedFor = this.state.votedFor;
    if (said.voted_for !== undefined) {
      votedFor = said.voted_for === null ? null : nodeNumberOf(said.voted_for);
      if (said.voted_for !== null && votedFor === null) return { ok: false, problem: `raft_lab_state: voted_for "${said.voted_for}" is not a node` };
    }
    const events: UnsequencedLabEvent[] = [];
    if (said.log !== undefined) events.push(...this.logWrites(said.log.map((entry) => ({ term: entry.term, command: opText(entry.op) }))));
    const role = said.role === 'pre-candidate' ? 'precandidate' : said.role ?? this.state.role;
    const commitIndex = said.commit_index ?? this.state.commitIndex;
    this.state = {
      ...this.state, role, term: said.term ?? this.state.term, votedFor, leaderId: role === 'leader' ? this.nodeId : null,
      commitIndex, lastApplied: commitIndex, lastLogIndex: this.log.length, lastLogTerm: this.log[this.log.length - 1]?.term ?? 0,
    };
    events.push({ type: 'node-state', atNs: this.now(), node: this.nodeId, state: { ...this.state } });
    return { ok: true, events };
  }

  /** log-write events from the first entry that differs from what the node said before. */
  private logWrites(log: { term: number; command: string | null }[]): UnsequencedLabEvent[] {
    let first = 0;
    while (first < log.length && first < this.log.length && sameEntry(log[first], this.log[first])) first += 1;
    this.log = log;
    const events: UnsequencedLabEvent[] = [];
    for (let start = first; start < log.length; start += LOG_WRITE_CHUNK) {
      const entries: LogEntryView[] = log.slice(start, start + LOG_WRITE_CHUNK)
        .map((entry, offset) => ({ index: start + offset + 1, term: entry.term, command: entry.command }));
      events.push({ type: 'log-write', atNs: this.now(), node: this.nodeId, entries });
    }
    return events;
  }
}

function sameEntry(a: { term: number; command: string | null } | undefined, b: { term: number; command: string | null } | undefined): boolean {
  return a !== undefined && b !== undefined && a.term === b.term && a.command === b.command;
}

function opText(op: unknown): string | null {
  if (op === undefined) return null;
  return (typeof op === 'string' ? op : JSON.stringify(op) ?? 'null').slice(0, MAX_OP_CHARS);
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.map(String).join('.') || 'body'}: ${issue?.message ?? 'invalid'}`;
}
