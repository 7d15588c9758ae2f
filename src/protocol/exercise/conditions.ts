// The one condition evaluator: exercises' goals, demos' `until:`, the headless runners and the app all decide "has
// this happened?" here, from a World folded from the lab's event stream (world.ts). Pure: no clock, no I/O.
import type { Condition, MessageCondition } from './schema';
import type { World, WorldNode } from './world';

/** What a condition is relative to: the step it belongs to. */
export interface StepContext {
  /** Events after this seq count as "since the step began". */
  readonly sinceSeq: number;
  /** The leader when the step began (`startLeader`), if there was one. */
  readonly startLeader: number | null;
  /** The student's (or the runner's) latest multiple-choice answer in this step. */
  readonly answer: string | null;
}

/** A node named in a condition; null when it names `startLeader` and there was none. */
export function resolveConditionNode(name: string, context: StepContext): number | null {
  if (name === 'startLeader') return context.startLeader;
  return Number(name.slice(1));
}

export function evaluate(condition: Condition, world: World, context: StepContext): boolean {
  if ('leader' in condition) {
    const leader = world.currentLeader();
    if (!leader) return false;
    const { node, notNode, termAtLeast } = condition.leader;
    if (node !== undefined && leader.id !== resolveConditionNode(node, context)) return false;
    if (notNode !== undefined && leader.id === resolveConditionNode(notNode, context)) return false;
    return termAtLeast === undefined || leader.term >= termAtLeast;
  }
  if ('role' in condition) {
    const node = nodeOf(world, condition.role.node, context);
    return node !== null && node.status === 'running' && node.role === condition.role.is;
  }
  if ('status' in condition) {
    const node = nodeOf(world, condition.status.node, context);
    return node !== null && statusMatches(node, condition.status.is);
  }
  if ('event' in condition) {
    const { type, node, count } = condition.event;
    const id = node === undefined ? null : resolveConditionNode(node, context);
    if (node !== undefined && id === null) return false;
    return world.countEvents(type, id, context.sinceSeq) >= (count ?? 1);
  }
  if ('message' in condition) return messagesSeen(world, condition.message, context);
  if ('committed' in condition) return committedOn(world, condition.committed);
  if ('stored' in condition) return storedOn(world, condition.stored);
  if ('client' in condition) {
    const last = world.lastClientOp;
    if (!last || last.seq <= context.sinceSeq || last.op !== condition.client.op) return false;
    const outcome = last.stale === true ? 'stale' : last.status === 'unknown' ? 'timeout' : last.status;
    if (outcome !== condition.client.outcome) return false;
    return condition.client.value === undefined || last.value === condition.client.value;
  }
  if ('violation' in condition) {
    const wanted = condition.violation.invariant;
    return world.violations.some((found) => found.seq > context.sinceSeq && (wanted === undefined || found.invariant === wanted));
  }
  if ('linearizable' in condition) return world.lastWorkloadLinearizable === condition.linearizable;
  if ('answer' in condition) return context.answer !== null && context.answer === condition.answer.is;
  if ('all' in condition) return condition.all.every((part) => evaluate(part, world, context));
  if ('any' in condition) return condition.any.some((part) => evaluate(part, world, context));
  return !evaluate(condition.not, world, context);
}

function messagesSeen(world: World, wanted: MessageCondition, context: StepContext): boolean {
  const from = wanted.from === undefined ? undefined : resolveConditionNode(wanted.from, context);
  const to = wanted.to === undefined ? undefined : resolveConditionNode(wanted.to, context);
  if (from === null || to === null) return false;
  const direction = wanted.direction ?? 'receive';
  const count = wanted.count ?? 1;
  return world.countMessages(context.sinceSeq, (message) => message.direction === direction
    && (wanted.type === undefined || message.type === wanted.type)
    && (from === undefined || message.from === from) && (to === undefined || message.to === to), count) >= count;
}

function nodeOf(world: World, name: string, context: StepContext): WorldNode | null {
  const id = resolveConditionNode(name, context);
  return id === null ? null : world.nodes.get(id) ?? null;
}

function statusMatches(node: WorldNode, wanted: 'running' | 'crashed' | 'paused'): boolean {
  // A stopped process (the lab stopped it) is down just like a crashed one, as far as Raft can tell.
  return wanted === 'crashed' ? node.status === 'crashed' || node.status === 'stopped' : node.status === wanted;
}

/** The value `key` has on `node` after applying its committed entries, in order (undefined: absent). */
export function committedValue(node: WorldNode, key: string): string | undefined {
  let value: string | undefined;
  for (const entry of node.log) {
    if (entry.index > node.commitIndex) break;
    const command = parseWrite(entry.command);
    if (!command || command.key !== key) continue;
    if (command.op === 'put') value = command.value;
    else if (command.op === 'delete') value = undefined;
    else if (command.op === 'cas' && value === command.from) value = command.to;
  }
  return value;
}

function committedOn(world: World, wanted: { readonly key: string; readonly value: string; readonly on: string }): boolean {
  return heldOn(world, wanted.on, (node) => committedValue(node, wanted.key) === wanted.value);
}

/** Some entry of `node`'s log, committed or not, writes `value` to `key` (a put, or a cas to it). */
export function storesWrite(node: WorldNode, key: string, value: string): boolean {
  return node.log.some((entry) => {
    const command = parseWrite(entry.command);
    return command !== null && command.key === key && (command.op === 'put' ? command.value : command.op === 'cas' ? command.to : undefined) === value;
  });
}

function storedOn(world: World, wanted: { readonly key: string; readonly value: string; readonly on: string }): boolean {
  return heldOn(world, wanted.on, (node) => storesWrite(node, wanted.key, wanted.value));
}

/** Whether the servers for which `holds` is true are every server, a majority of them, or include the one named. */
function heldOn(world: World, on: string, holds: (node: WorldNode) => boolean): boolean {
  const nodes = [...world.nodes.values()];
  const holding = nodes.filter(holds);
  if (on === 'all') return nodes.length > 0 && holding.length === nodes.length;
  if (on === 'majority') return holding.length > nodes.length / 2;
  const id = Number(on.slice(1));
  return holding.some((node) => node.id === id);
}

interface WriteCommand { readonly op: 'put' | 'delete' | 'cas'; readonly key: string; readonly value?: string; readonly from?: string; readonly to?: string }

/** A KV write as the log holds it (src/kv/command.ts encodes it); anything else (a no-op, junk) is null. */
function parseWrite(command: string | null): WriteCommand | null {
  if (command === null) return null;
  try {
    const parsed = JSON.parse(command) as Partial<WriteCommand>;
    if (typeof parsed.key !== 'string') return null;
    if (parsed.op === 'put' && typeof parsed.value === 'string') return { op: 'put', key: parsed.key, value: parsed.value };
    if (parsed.op === 'delete') return { op: 'delete', key: parsed.key };
    if (parsed.op === 'cas' && typeof parsed.from === 'string' && typeof parsed.to === 'string') {
      return { op: 'cas', key: parsed.key, from: parsed.from, to: parsed.to };
    }
    return null;
  } catch {
    return null;
  }
}

/** A server named in a condition, as a student reads it. */
function who(name: string): string {
  return name === 'startLeader' ? 'the leader this step began with' : name;
}

/** A Raft event kind as a phrase ("an entries-truncated event" says little to a student). */
const EVENT_PHRASES: Readonly<Partial<Record<string, readonly [string, string]>>> = {
  'became-leader': ['a server becomes leader', 'servers become leader'],
  'election-started': ['an election starts', 'elections start'],
  'entries-truncated': ['a server deletes conflicting log entries', 'log truncations'],
  'entries-appended': ['a server appends entries', 'appends'],
  'commit-advanced': ['a commit index advances', 'commits'],
  'stepped-down': ['a leader steps down', 'step-downs'],
  'vote-granted': ['a vote is granted', 'votes granted'],
  'vote-denied': ['a vote is refused', 'votes refused'],
  'snapshot-installed': ['a server installs a snapshot', 'snapshot installs'],
  'log-compacted': ['a server compacts its log', 'log compactions'],
  'append-rejected': ['a follower rejects an AppendEntries', 'rejections'],
};

/** The condition in words, for the goal shown to a student and the runner's failure report. */
export function describeCondition(condition: Condition): string {
  if ('leader' in condition) {
    const { node, notNode, termAtLeast } = condition.leader;
    const parts = [node ? `${who(node)} is` : 'a server is', 'the leader'];
    if (notNode) parts.push(`(not ${who(notNode)})`);
    if (termAtLeast !== undefined) parts.push(`in term ${termAtLeast} or later`);
    return parts.join(' ');
  }
  if ('role' in condition) return `${who(condition.role.node)} is ${condition.role.is === 'precandidate' ? 'pre-candidate' : condition.role.is}`;
  if ('status' in condition) return `${who(condition.status.node)} is ${condition.status.is}`;
  if ('event' in condition) {
    const count = condition.event.count ?? 1;
    const phrase = EVENT_PHRASES[condition.event.type];
    const what = phrase ? (count === 1 ? phrase[0] : `${count} ${phrase[1]}`)
      : `${count === 1 ? 'a' : count} ${condition.event.type.replace(/-/g, ' ')} event${count === 1 ? '' : 's'}`;
    return `${what}${condition.event.node ? ` on ${who(condition.event.node)}` : ''}`;
  }
  if ('message' in condition) {
    const { type, from, to, direction, count } = condition.message;
    const n = count ?? 1;
    const verb = direction === 'send' ? 'sent' : direction === 'drop' ? 'dropped' : 'delivered';
    const what = `${n === 1 ? 'a' : n} ${type === undefined ? '' : `${type} `}message${n === 1 ? '' : 's'}`;
    return `${what}${from ? ` from ${who(from)}` : ''}${to ? ` to ${who(to)}` : ''} ${n === 1 ? 'is' : 'are'} ${verb}`;
  }
  if ('committed' in condition) {
    const on = condition.committed.on === 'all' ? 'every server' : condition.committed.on === 'majority' ? 'a majority' : condition.committed.on;
    return `${condition.committed.key}=${condition.committed.value} is committed on ${on}`;
  }
  if ('stored' in condition) {
    const on = condition.stored.on === 'all' ? 'every server' : condition.stored.on === 'majority' ? 'a majority' : condition.stored.on;
    return `${condition.stored.key}=${condition.stored.value} is in the log of ${on}`;
  }
  if ('client' in condition) {
    return `a client ${condition.client.op} answers ${condition.client.outcome}${condition.client.value === undefined ? '' : ` with ${condition.client.value}`}`;
  }
  if ('violation' in condition) return `the safety monitor reports ${condition.violation.invariant ?? 'a violation'}`;
  if ('linearizable' in condition) return `the workload's history is ${condition.linearizable ? '' : 'not '}linearizable`;
  if ('answer' in condition) return 'the right answer is chosen';
  if ('all' in condition) return condition.all.map(describeCondition).join(', and ');
  if ('any' in condition) return condition.any.map(describeCondition).join(', or ');
  return `not (${describeCondition(condition.not)})`;
}
