// One file family for exercises and demos (assets/exercises/*.yaml, assets/demos/*.yaml): a cluster, then steps,
// each with what to do, a goal checked from the lab's event stream (conditions.ts) and the actions that reach it
// (actions.ts). This schema is the definition: the YAML loader (src/exercise/load.ts) validates every file against
// it with file:line errors, and `raft-lab exercise schema` exports it as a JSON Schema for editors.
// Conditions speak of what happens in Raft (a leader in a higher term, an entry committed on a majority), never of
// which buttons were clicked.
import { z } from 'zod';
import { isBugName } from '../../raft/planted-bugs';
import { electionTimeoutRangeSchema } from '../election-timeout-schema';
import type { ImplementationFit } from './implementation-fit';

export const MAX_NODES_IN_EXERCISE = 9;
const MAX_STEPS = 40;
const MAX_ACTIONS = 60;
const MAX_MARKDOWN_CHARS = 8000;
const MAX_CONDITION_DEPTH = 6;

const markdown = z.string().min(1).max(MAX_MARKDOWN_CHARS);
const kebabId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case, like "leader-crash"').max(64);

/** S1..S9. */
export const serverName = z.string().regex(/^S[1-9]$/, 'a server is named S1..S9');
/** In actions: a server, the current leader, or the lowest-numbered running follower. */
export const actionNode = z.union([serverName, z.literal('leader'), z.literal('follower')]);
/** In conditions: a server, or the leader when the step began. */
export const conditionNode = z.union([serverName, z.literal('startLeader')]);

export const RAFT_EVENT_TYPES = ['term-changed', 'role-changed', 'election-started', 'vote-granted', 'vote-denied',
  'vote-received', 'became-leader', 'stepped-down', 'entries-appended', 'entries-truncated', 'append-rejected',
  'append-accepted', 'commit-advanced', 'next-index-backed-off', 'message-ignored', 'proposal-accepted',
  'proposal-rejected', 'read-confirmed', 'read-failed', 'log-compacted', 'snapshot-sent', 'snapshot-installed',
  'snapshot-rejected', 'snapshot-chunk-stored', 'configuration-changed', 'learner-round', 'progress-changed', 'leadership-transfer'] as const;

export type Condition =
  | { readonly leader: { readonly node?: string; readonly notNode?: string; readonly termAtLeast?: number } }
  | { readonly role: { readonly node: string; readonly is: 'follower' | 'precandidate' | 'candidate' | 'leader' } }
  | { readonly status: { readonly node: string; readonly is: 'running' | 'crashed' | 'paused' } }
  | { readonly event: { readonly type: (typeof RAFT_EVENT_TYPES)[number]; readonly node?: string; readonly count?: number } }
  | { readonly committed: { readonly key: string; readonly value: string; readonly on: string } }
  | { readonly stored: { readonly key: string; readonly value: string; readonly on: string } }
  | { readonly message: MessageCondition }
  | { readonly client: { readonly op: 'get' | 'put' | 'delete' | 'cas'; readonly outcome: 'ok' | 'fail' | 'timeout' | 'stale'; readonly value?: string } }
  | { readonly violation: { readonly invariant?: string } }
  | { readonly linearizable: boolean }
  | { readonly answer: { readonly is: string } }
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition };

/**
 * Messages between servers since the step began: `count` (default 1) of them delivered (`receive`, the default), sent
 * or dropped, of one `type` if given (the built-in Raft's RequestVote, AppendEntries, ...; a student's own nodes'
 * body types), from and to the servers named if given. What anyone outside the servers can see, so a goal made of
 * these, statuses and client results runs on a student's own Raft too.
 */
export interface MessageCondition {
  readonly type?: string;
  readonly from?: string;
  readonly to?: string;
  readonly direction?: 'send' | 'receive' | 'drop';
  readonly count?: number;
}

/** How deep all/any/not nest, counting the condition itself as 1. */
function conditionDepth(condition: Condition): number {
  if ('all' in condition) return 1 + Math.max(0, ...condition.all.map(conditionDepth));
  if ('any' in condition) return 1 + Math.max(0, ...condition.any.map(conditionDepth));
  if ('not' in condition) return 1 + conditionDepth(condition.not);
  return 1;
}

// One recursive schema (not one copy per level): its JSON Schema refers to itself instead of growing with the depth.
const conditionShape: z.ZodType<Condition> = z.lazy(() => z.union([
  z.strictObject({ leader: z.strictObject({ node: conditionNode.optional(), notNode: conditionNode.optional(), termAtLeast: z.number().int().min(1).optional() }) }),
  z.strictObject({ role: z.strictObject({ node: conditionNode, is: z.enum(['follower', 'precandidate', 'candidate', 'leader']) }) }),
  z.strictObject({ status: z.strictObject({ node: conditionNode, is: z.enum(['running', 'crashed', 'paused']) }) }),
  z.strictObject({ event: z.strictObject({ type: z.enum(RAFT_EVENT_TYPES), node: conditionNode.optional(), count: z.number().int().min(1).max(10_000).optional() }) }),
  z.strictObject({ committed: z.strictObject({ key: z.string().min(1).max(256), value: z.string().max(4096), on: z.union([z.literal('all'), z.literal('majority'), serverName]) }) }),
  z.strictObject({ stored: z.strictObject({ key: z.string().min(1).max(256), value: z.string().max(4096), on: z.union([z.literal('all'), z.literal('majority'), serverName]) }) }),
  z.strictObject({ message: z.strictObject({ type: z.string().min(1).max(64).optional(), from: conditionNode.optional(),
    to: conditionNode.optional(), direction: z.enum(['send', 'receive', 'drop']).optional(),
    count: z.number().int().min(1).max(10_000).optional() }) }),
  z.strictObject({ client: z.strictObject({ op: z.enum(['get', 'put', 'delete', 'cas']), outcome: z.enum(['ok', 'fail', 'timeout', 'stale']), value: z.string().max(4096).optional() }) }),
  z.strictObject({ violation: z.strictObject({ invariant: z.string().min(1).max(64).optional() }) }),
  z.strictObject({ linearizable: z.boolean() }),
  z.strictObject({ answer: z.strictObject({ is: z.string().min(1).max(64) }) }),
  z.strictObject({ all: z.array(conditionShape).min(1).max(16) }),
  z.strictObject({ any: z.array(conditionShape).min(1).max(16) }),
  z.strictObject({ not: conditionShape }),
]) as z.ZodType<Condition>);

export const conditionSchema: z.ZodType<Condition> = conditionShape.refine((condition) => conditionDepth(condition) <= MAX_CONDITION_DEPTH,
  `conditions nest at most ${MAX_CONDITION_DEPTH} deep`);

export type ActionNode = z.infer<typeof actionNode>;

const clientTimeoutMs = z.number().int().min(10).max(120_000);

export const actionSchema = z.union([
  z.strictObject({ crash: actionNode }),
  z.strictObject({ restart: actionNode }),
  z.strictObject({ pause: actionNode }),
  z.strictObject({ resume: actionNode }),
  z.strictObject({ isolate: actionNode }),
  z.strictObject({ timeout: actionNode }),
  z.strictObject({ partition: z.array(z.array(actionNode).min(1).max(MAX_NODES_IN_EXERCISE)).min(1).max(MAX_NODES_IN_EXERCISE) }),
  z.strictObject({ heal: z.literal(true) }),
  z.strictObject({ link: z.strictObject({ from: actionNode, to: actionNode, loss: z.number().min(0).max(1).optional(), delayMs: z.number().min(0).max(10_000).optional() }) }),
  // timeoutMs: when the client gives up (lab ms, slowed by the time scale like the app's client box; default 5000). While
  // time is left it retries other servers; under 600 ms it waits on `via` alone (one attempt).
  z.strictObject({ put: z.strictObject({ key: z.string().min(1).max(256), value: z.string().max(4096), via: actionNode.optional(), timeoutMs: clientTimeoutMs.optional() }) }),
  z.strictObject({ get: z.strictObject({ key: z.string().min(1).max(256), via: actionNode.optional(), timeoutMs: clientTimeoutMs.optional() }) }),
  z.strictObject({ workload: z.strictObject({ clients: z.number().int().min(1).max(16), seconds: z.number().min(0.5).max(60) }) }),
  z.strictObject({ wait: z.union([z.strictObject({ ms: z.number().int().min(1).max(120_000) }), z.strictObject({ until: conditionSchema })]) }),
  z.strictObject({ answer: z.string().min(1).max(64) }),
  // Beyond the issue's vocabulary (allowed: extending it): the lab clock, for stepped demos and exercises.
  z.strictObject({ freeze: z.literal(true) }),
  z.strictObject({ run: z.literal(true) }),
  z.strictObject({ step: z.union([z.number().int().min(1).max(1000), z.strictObject({ until: conditionSchema, max: z.number().int().min(1).max(2000) })]) }),
  // Membership and leadership transfer (dissertation ch. 4, §3.10): the LabApi's addServer, removeServer,
  // promoteServer and transferLeadership. An added server takes the next unused id (S4 in a 3-server cluster).
  z.strictObject({ 'add-server': z.literal(true) }),
  z.strictObject({ 'remove-server': actionNode }),
  z.strictObject({ 'promote-server': actionNode }),
  z.strictObject({ 'transfer-leadership': actionNode }),
]);
export type Action = z.infer<typeof actionSchema>;

export const clusterSpecSchema = z.strictObject({
  nodes: z.number().int().min(1).max(MAX_NODES_IN_EXERCISE),
  electionTimeoutMs: electionTimeoutRangeSchema.optional(),
  heartbeatMs: z.number().int().min(5).max(30_000).optional(),
  timeScale: z.number().min(1).max(100).optional(),
  networkDelayMs: z.tuple([z.number().min(0).max(5000), z.number().min(0).max(5000)])
    .refine(([min, max]) => min <= max, 'networkDelayMs: min must not exceed max').optional(),
  timerSeed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  startPaused: z.boolean().optional(),
  preVote: z.boolean().optional(),
  checkQuorum: z.boolean().optional(),
  /** How configurations change (lab-api.ts ClusterSettings.membershipMode); absent: one server at a time. */
  membershipMode: z.enum(['single-server', 'joint']).optional(),
  /** Log compaction at a small scale (§7): a snapshot every N applied entries, keeping K before it (lab-api.ts). */
  snapshotEveryEntries: z.number().int().min(0).max(1_000_000).optional(),
  snapshotKeepEntries: z.number().int().min(0).max(1_000_000).optional(),
  /** Sealed: never shown to a student (Settings says only that the exercise runs a modified Raft). */
  bugs: z.array(z.string().refine(isBugName, 'unknown planted bug')).max(8).optional(),
});
export type ClusterSpec = z.infer<typeof clusterSpecSchema>;

export const exerciseStepSchema = z.strictObject({
  id: kebabId,
  text: markdown,
  /** Revealed one at a time. */
  hints: z.array(markdown).max(8).optional(),
  /** Checked continuously from the lab's event stream. */
  goal: conditionSchema,
  /** Shown when achieved: why it happened, which rule. */
  explain: markdown.optional(),
  /** What "Show me" and the headless runner do. */
  solution: z.array(actionSchema).min(1).max(MAX_ACTIONS),
  /** Wall-clock budget for the solution to reach the goal. */
  withinMs: z.number().int().min(100).max(300_000),
  /** Multiple choice (find-the-bug): the options a student picks from; the goal checks `answer: {is}`. */
  choices: z.array(z.strictObject({ id: z.string().min(1).max(64), text: markdown })).min(2).max(8).optional(),
});
export type ExerciseStep = z.infer<typeof exerciseStepSchema>;

export const exerciseSchema = z.strictObject({
  kind: z.literal('exercise').optional(),
  id: kebabId,
  title: z.string().min(1).max(120),
  /** 1 beginner .. 3 advanced. */
  level: z.literal([1, 2, 3], 'level must be 1 (beginner), 2 or 3 (advanced)'),
  minutes: z.number().int().min(1).max(240),
  /** Where to read, e.g. "§5.2". */
  paper: z.string().min(1).max(120),
  cluster: clusterSpecSchema,
  intro: markdown,
  steps: z.array(exerciseStepSchema).min(1).max(MAX_STEPS),
}).superRefine((exercise, context) => {
  checkSteps(exercise.steps, exercise.cluster.nodes, (step) => ({ goal: step.goal, solution: step.solution }), context);
});
export type Exercise = z.infer<typeof exerciseSchema>;

/**
 * A classroom demo (assets/demos/*.yaml, `kind: demo`): narration an instructor steps through with Next. A demo
 * always runs on a paused cluster started from a timer seed, and reaches each step's `until` by stepping, so it
 * plays the same way every time (and Back can replay it up to any step).
 */
export const demoStepSchema = z.strictObject({
  id: kebabId,
  /** Shown in large type beside the cluster while this step is on screen. */
  narration: markdown,
  /** Played when the instructor presses Next to enter this step. */
  actions: z.array(actionSchema).max(MAX_ACTIONS).optional(),
  /** Step the cluster until this holds (the end state of this step). */
  until: conditionSchema.optional(),
  /** At most this many steps to reach `until` (a demo that cannot reach it is broken: `demo run` fails). */
  maxSteps: z.number().int().min(1).max(5000).optional(),
});
export type DemoStep = z.infer<typeof demoStepSchema>;

const MAX_DEMO_ORDER = 10_000;

export const demoSchema = z.strictObject({
  kind: z.literal('demo'),
  id: kebabId,
  title: z.string().min(1).max(120),
  minutes: z.number().int().min(1).max(240),
  /**
   * Where the demo stands in the teaching order (a first election before replication before a leader crash...):
   * `demo list` and the app list demos by it, lowest first; demos without one follow, by file name. Numbered in
   * tens so a new demo fits between two.
   */
  order: z.number().int().min(1).max(MAX_DEMO_ORDER).optional(),
  paper: z.string().min(1).max(120).optional(),
  /** Demos are stepped: `startPaused` and a `timerSeed` are implied (the seed defaults to 1). */
  cluster: clusterSpecSchema,
  steps: z.array(demoStepSchema).min(1).max(MAX_STEPS),
}).superRefine((demo, context) => {
  checkSteps(demo.steps, demo.cluster.nodes, (step) => ({ actions: step.actions ?? [], until: step.until ?? null }), context);
});
export type Demo = z.infer<typeof demoSchema>;

export interface DemoSummary {
  readonly id: string;
  readonly title: string;
  readonly minutes: number;
}

/** Demos in teaching order (see `order`); the sort is stable, so unordered demos keep the order they came in. */
export function inTeachingOrder<T extends Pick<Demo, 'order'>>(demos: readonly T[]): T[] {
  const rank = (demo: T): number => demo.order ?? Number.POSITIVE_INFINITY;
  return [...demos].sort((a, b) => rank(a) - rank(b));
}

export function summarizeDemo(demo: Demo): DemoSummary {
  return { id: demo.id, title: demo.title, minutes: demo.minutes };
}

/** Summary for lists (`raft-lab exercise list --json` prints these). */
export interface ExerciseSummary {
  readonly id: string;
  readonly title: string;
  readonly level: 1 | 2 | 3;
  readonly minutes: number;
  readonly paper: string;
  /** Whether it runs on a student's own Raft, and why not (the lab's list for the app; implementation-fit.ts). */
  readonly ownRaft?: ImplementationFit;
}

export function summarizeExercise(exercise: Exercise): ExerciseSummary {
  return { id: exercise.id, title: exercise.title, level: exercise.level, minutes: exercise.minutes, paper: exercise.paper };
}

/**
 * What both kinds of file must get right across steps: unique step ids, and only servers the cluster has (a server
 * named in a step that the cluster lacks is an error of the file, not of the run). `named` gives what a step acts on.
 * Each `add-server` action up to and including a step adds the next server id (S4 after one in a 3-server cluster).
 */
function checkSteps<T extends { readonly id: string }>(steps: readonly T[], nodeCount: number, named: (step: T) => unknown,
  context: z.RefinementCtx): void {
  const seen = new Set<string>();
  let added = 0;
  steps.forEach((step, index) => {
    if (seen.has(step.id)) context.addIssue({ code: 'custom', path: ['steps', index, 'id'], message: `step id "${step.id}" is used twice` });
    seen.add(step.id);
    const text = JSON.stringify(named(step));
    added += text.split('"add-server":true').length - 1;
    for (const match of text.matchAll(/"S([1-9])"/g)) {
      const id = Number(match[1]);
      if (id > nodeCount + added) {
        context.addIssue({ code: 'custom', path: ['steps', index], message: `step "${step.id}" names S${id}, but the cluster has ` +
          `${nodeCount} servers${added > 0 ? ` and ${added} added by add-server so far` : ''}` });
        return;
      }
    }
  });
}
