// One `raft-lab maelstrom` run: a student's own Raft (any executable speaking Maelstrom's protocol) as N real
// processes behind relay nodes, Maelstrom's lin-kv workload, the chaos fault schedule (kill, pause, partition, loss);
// then heal, bring every node back, read every key, write the history and check it (linearizability, no lost
// acknowledged write). The outcome is the summary and the exit code the issue fixes: 0 every check passed, 1 a check
// failed, 2 the binary could not be run or broke the protocol.
import { writeFileSync } from 'node:fs';
import { formatHistory, type HistoryOp } from '../../check/history';
import { checkLinearizability } from '../../check/linearizability';
import { LabController } from '../controller';
import { byoNodeLauncher } from '../node-launcher';
import { installShutdownHooks } from '../shutdown-hooks';
import { seededRandom } from '../../raft/random';
import { runFaultSchedule, type FaultCounts, type FaultKind } from '../chaos/fault-schedule';
import { restoreAll } from '../chaos/restore-all';
import { MAX_HEADLESS_NODES } from '../../protocol/lab-api';
import { PROTOCOL_ERROR_MARK } from '../../protocol/maelstrom';
import type { NodeId } from '../../raft/types';
import { monotonicNowNs } from '../../shared/monotonic-clock';
import { MaelstromConnections } from './maelstrom-connections';
import { LinKvWorkload, type UnknownCauseCounts } from './lin-kv-workload';
import { lostAcknowledgedWrites } from './final-state-lost-writes';

/** The faults that make sense from outside a student's node (the others need to know who leads and when). */
export const BYO_FAULT_KINDS = ['kill', 'pause', 'partition', 'loss'] as const satisfies readonly FaultKind[];
const FINAL_READS_DEADLINE_MS = 30_000;
const CHECK_TIMEOUT_MS = 60_000;
/** How long the lab's clients may take to connect to every node before the workload starts. */
const CONNECT_DEADLINE_MS = 10_000;
const MAX_REPORTED_PROBLEMS = 20;

export interface MaelstromRunOptions {
  readonly bin: string;
  readonly args: readonly string[];
  readonly nodes: number;
  readonly seconds: number;
  readonly clients: number;
  readonly keys: number;
  readonly faults: readonly FaultKind[];
  readonly seed: number;
  /** Where to write the history; none for the report's scenario runs. */
  readonly historyFile?: string;
  readonly dataDir?: string;
  readonly log: (line: string) => void;
  /** Faults of a scenario (grading-scenarios.ts), in place of the random schedule of `faults`; about `seconds` long. */
  readonly plan?: FaultPlan;
  /**
   * Clients c1..cN send every request to the leader the lab knows (the running leader of the highest term, from
   * raft_lab_state), the others to random nodes: a steady probe for a scenario that asks whether the majority goes
   * on. Default 0 (Maelstrom's clients: random nodes only).
   */
  readonly leaderFollowingClients?: number;
}

/** A scenario's faults: run while the workload runs; the run heals and restores everything afterwards. */
export type FaultPlan = (controller: LabController, nodes: readonly NodeId[], log: (line: string) => void) => Promise<void>;

/** What a report shows of a run: its operations, the faults on the same clock, and the failing operations. */
export interface RunRecord {
  readonly ops: readonly HistoryOp[];
  readonly faults: readonly { readonly atNs: number; readonly description: string }[];
  readonly failingOps: readonly HistoryOp[];
  readonly explanation: string | null;
  readonly problems: readonly string[];
}

export interface MaelstromSummary {
  readonly ops: number;
  readonly ok: number;
  readonly fail: number;
  readonly unknown: number;
  /** null: never checked (the binary could not be run), or undecided in time. */
  readonly linearizable: boolean | null;
  readonly lostAcknowledgedWrites: number | null;
  /** Messages the nodes sent each other. */
  readonly messages: number;
  /** How often each fault kind was applied. */
  readonly faults: Partial<FaultCounts> | null;
  readonly seed: number;
  /** Lines and replies that broke the protocol. */
  readonly protocolErrors: number;
  /**
   * Times a node exited by itself (it crashed, exited, or its relay stopped it: no init_ok in time, a flood), at start
   * or during the run; the lab's kill faults are not counted. A start where all N nodes failed counts N.
   */
  readonly nodeExits: number;
  /** Keys no node could read after the run was healed. */
  readonly unreadKeys: number;
}

export interface MaelstromRunResult {
  readonly exitCode: 0 | 1 | 2;
  readonly summary: MaelstromSummary;
  readonly record: RunRecord;
}

const MAX_RECORDED_FAULTS = 1000;

export async function runMaelstrom(o: MaelstromRunOptions): Promise<MaelstromRunResult> {
  const controller = await LabController.create({
    launcher: byoNodeLauncher(o.bin, o.args), maxNodes: MAX_HEADLESS_NODES, windowEvents: 5000, eventDetail: 'state',
    ...(o.dataDir === undefined ? {} : { dataRoot: o.dataDir }),
  });
  installShutdownHooks(() => controller.close(), () => controller.killAllNow());
  let messages = 0;
  const problems: string[] = [];
  let protocolErrors = 0;
  let phase: 'starting' | 'running' | 'done' = 'starting';
  const faultEvents: { atNs: number; description: string }[] = [];
  const noteProblem = (text: string): void => {
    protocolErrors += 1;
    if (problems.length < MAX_REPORTED_PROBLEMS) problems.push(text);
  };
  controller.subscribe((events) => {
    for (const event of events) {
      if (event.type === 'message' && event.direction === 'send') messages += 1;
      if (event.type === 'fault' && faultEvents.length < MAX_RECORDED_FAULTS) faultEvents.push({ atNs: event.atNs, description: event.description });
      if (event.type !== 'error' || event.node === null) continue;
      if (event.message.includes(PROTOCOL_ERROR_MARK)) noteProblem(event.message);
      // The lab's word for a node process that ended by itself (not killed by a fault): see controller.onNodeExit.
      else if (/^S\d+ failed \(/.test(event.message) && phase !== 'done') {
        if (problems.length < MAX_REPORTED_PROBLEMS) problems.push(exitProblem(event.message, controller.lastStderrOf(event.node)));
      }
    }
  });
  const empty = (): MaelstromSummary => ({ ops: 0, ok: 0, fail: 0, unknown: 0, linearizable: null, lostAcknowledgedWrites: null,
    messages, faults: null, seed: o.seed, protocolErrors, nodeExits: controller.nodeSelfExits, unreadKeys: 0 });
  const connections = new MaelstromConnections();
  const nodeIds = Array.from({ length: o.nodes }, (_, i) => i + 1);
  try {
    o.log(`maelstrom: ${o.bin}${o.args.length > 0 ? ` ${o.args.join(' ')}` : ''}: seed ${o.seed}, ${o.nodes} nodes, ${o.clients} clients, ` +
      `${o.keys} keys, ${o.seconds} s, faults ${o.faults.join(',') || 'none'}`);
    try {
      await controller.startCluster({ nodeCount: o.nodes });
    } catch (error) {
      o.log(`maelstrom: the nodes did not start: ${(error as Error).message}`);
      printStderr(controller, nodeIds, o.log);
      return { exitCode: 2, summary: empty(), record: emptyRecord(problems, nodeIds.flatMap((id) => controller.lastStderrOf(id))) };
    }
    const started = await controller.getSnapshot();
    const dead = started.nodes.filter((node) => node.status !== 'running');
    if (dead.length > 0) {
      o.log(`maelstrom: ${dead.map((node) => `n${node.id}`).join(', ')} could not be started (no init_ok):`);
      printStderr(controller, dead.map((node) => node.id), o.log);
      return { exitCode: 2, summary: empty(), record: emptyRecord(problems, dead.flatMap((node) => controller.lastStderrOf(node.id))) };
    }
    phase = 'running';
    const random = seededRandom(o.seed);
    const running = (): NodeId[] => {
      const up: NodeId[] = [];
      for (const id of nodeIds) {
        const endpoint = controller.clientEndpointOf(id);
        connections.setEndpoint(id, endpoint);
        if (endpoint !== null) up.push(id);
      }
      return up;
    };
    const workload = new LinKvWorkload({ clients: o.clients, keys: o.keys }, {
      connections, runningNodes: running, random: seededRandom(o.seed ^ 0x9e3779b9),
      // An old leader cut off in a lower term is not the leader (top-term-leader.ts).
      preferredNode: (client) => (client <= (o.leaderFollowingClients ?? 0) ? controller.leaderOfTopTerm() : null),
      publish: (event) => controller.events.publish(event),
      onProtocolProblem: (text) => {
        noteProblem(`${PROTOCOL_ERROR_MARK} ${text}`);
        controller.events.publish({ type: 'error', atNs: monotonicNowNs(), node: null, message: `${PROTOCOL_ERROR_MARK} ${text}` });
      },
    });
    // The workload starts once the lab's clients are connected to every node: a request sent before is recorded as
    // sent at that moment and waits for the connection, and its latency (and a history's timing) would be ZeroMQ's.
    running();
    const unreachable = await connections.whenConnected(nodeIds, CONNECT_DEADLINE_MS);
    if (unreachable.length > 0) {
      o.log(`maelstrom: the lab's clients could not connect to ${unreachable.map((id) => `n${id}`).join(', ')} within ` +
        `${CONNECT_DEADLINE_MS / 1000} s (${unreachable.map((id) => controller.clientEndpointOf(id) ?? 'no endpoint: the node is down').join(', ')}); ` +
        'no request was sent');
      return { exitCode: 2, summary: empty(), record: emptyRecord(problems, [], 'the lab\'s clients could not connect to every node') };
    }
    workload.start();
    const faults = await runFaultSchedule({ controller, kinds: o.plan ? [] : o.faults, nodes: nodeIds, random,
      untilMs: performance.now() + o.seconds * 1000, log: o.log });
    if (o.plan) {
      await o.plan(controller, nodeIds, o.log);
    } else if (o.faults.length === 0) {
      await sleep(o.seconds * 1000);
    }
    o.log('maelstrom: healing the cluster and letting every client finish');
    await controller.healAll();
    await restoreAll(controller).catch((error: unknown) => o.log(`maelstrom: a node could not be brought back: ${(error as Error).message}`));
    await workload.stop();
    const finals = await workload.finalReads(FINAL_READS_DEADLINE_MS);
    phase = 'done';
    const ops = workload.history.ops();
    if (o.historyFile !== undefined) {
      writeFileSync(o.historyFile, formatHistory(ops));
      o.log(`maelstrom: ${ops.length} operations written to ${o.historyFile}; checking`);
    }
    const unreadKeys = [...finals.values()].filter((value) => value === undefined).length;
    if (unreadKeys > 0) o.log(`maelstrom: ${unreadKeys} of ${o.keys} keys could not be read after the run was healed`);
    const lost = lostAcknowledgedWrites(ops, finals);
    for (const example of lost.examples) o.log(`LOST: ${example}`);
    const verdict = checkLinearizability(ops, { timeoutMs: CHECK_TIMEOUT_MS });
    if (verdict.violation) printViolation(verdict.violation, o.log);
    if (verdict.timedOut) o.log('maelstrom: the linearizability check ran out of time: undecided');
    const count = (status: HistoryOp['status']): number => ops.filter((op) => op.status === status).length;
    logFailures(ops, o.log);
    logUnknowns(ops, workload.unknownCauses, o.log);
    // Counted by the lab as each process ends, not from its events, which may still be on their way.
    const nodeExits = controller.nodeSelfExits;
    const summary: MaelstromSummary = { ops: ops.length, ok: count('ok'), fail: count('fail'), unknown: count('unknown'),
      linearizable: verdict.timedOut && !verdict.violation ? null : verdict.ok, lostAcknowledgedWrites: lost.lost, messages,
      faults: byoFaultCounts(faults), seed: o.seed, protocolErrors, nodeExits, unreadKeys };
    const record: RunRecord = { ops, faults: faultEvents, failingOps: verdict.violation?.ops ?? [],
      explanation: verdict.violation ? `not linearizable on key ${verdict.violation.key}: ${verdict.violation.explanation}`
        : lost.lost > 0 ? `lost acknowledged writes: ${lost.examples.join('; ')}`
          : unreadKeys > 0 ? `${unreadKeys} keys could not be read after the run was healed`
            : verdict.timedOut ? 'the linearizability check ran out of time' : null,
      problems };
    if (protocolErrors > 0 || nodeExits > 0) {
      o.log(`maelstrom: the nodes broke the protocol or exited by themselves (${protocolErrors} protocol errors, ${nodeExits} exits):`);
      for (const problem of problems) o.log(`  ${problem}`);
      return { exitCode: 2, summary, record };
    }
    const passed = verdict.ok && lost.lost === 0 && unreadKeys === 0;
    o.log(passed ? 'maelstrom: every check passed' : `maelstrom: FAILED (replay the schedule with --seed ${o.seed})`);
    return { exitCode: passed ? 0 : 1, summary, record };
  } finally {
    phase = 'done';
    connections.close();
    await controller.close();
  }
}

/**
 * What the summary's `fail` counts, so a student reading a non-zero one on a healthy run knows why: a cas whose key
 * did not hold `from` is the node's own definite answer (errors 20, 22), common when clients race on a few keys.
 */
function logFailures(ops: readonly HistoryOp[], log: (line: string) => void): void {
  const failed = ops.filter((op) => op.status === 'fail');
  if (failed.length === 0) return;
  const cas = failed.filter((op) => op.op === 'cas').length;
  const other = failed.length - cas;
  log(`maelstrom: fail ${failed.length}: ${cas} cas your nodes refused because the key did not hold \`from\` (errors 20, 22; ` +
    `expected when clients race on few keys)${other > 0 ? `, ${other} reads or writes your nodes answered with a definite error or ` +
    'that could not be sent (the node was down)' : ''}`);
}

/**
 * The operations that ended unknown although sent before the cluster first answered one (ok, or a definite failure),
 * and how long after the first operation that answer came; null when nothing was answered. Right after the start no
 * node leads: a Raft elects its first leader only once an election timeout has passed (the example Raft's: 300-600 ms
 * after init), while the clients start as soon as they reach every node, as Maelstrom's do. So on a healthy run the
 * first operations end unknown (error 11 from every node, e.g. the example's "no leader known"; no answer from a node
 * that stays silent): 7-40 in the first 0.16-0.48 s in 7 runs of the example Raft at --clients 3.
 */
export function unknownBeforeFirstAnswer(ops: readonly HistoryOp[]): { count: number; ms: number } | null {
  let firstAnswerNs = Infinity;
  let firstCallNs = Infinity;
  for (const op of ops) {
    firstCallNs = Math.min(firstCallNs, op.call);
    if (op.status !== 'unknown' && op.ret !== null) firstAnswerNs = Math.min(firstAnswerNs, op.ret);
  }
  if (firstAnswerNs === Infinity) return null;
  const count = ops.filter((op) => op.status === 'unknown' && op.call < firstAnswerNs).length;
  return { count, ms: Math.max(0, firstAnswerNs - firstCallNs) / 1e6 };
}

/**
 * What the summary's `unknown` counts: on a healthy run most are error 11 from a node that is not the leader (clients
 * pick nodes at random, as Maelstrom's do, and error 11 is indefinite: the checker takes each as possibly done), and
 * the first few, sent before the cluster had elected a leader (see unknownBeforeFirstAnswer).
 */
export function logUnknowns(ops: readonly HistoryOp[], causes: UnknownCauseCounts, log: (line: string) => void): void {
  const unknown = ops.filter((op) => op.status === 'unknown').length;
  if (unknown === 0) return;
  const early = unknownBeforeFirstAnswer(ops);
  const parts = [
    causes.temporarilyUnavailable > 0 ? `${causes.temporarilyUnavailable} answered error 11 (temporarily unavailable: ` +
      'e.g. a node that is not the leader and does not forward; clients pick nodes at random, as Maelstrom\'s do)' : '',
    causes.timeout > 0 ? `${causes.timeout} got no answer in time (a node down, cut off, or a leader that could not commit)` : '',
    causes.otherIndefiniteError > 0 ? `${causes.otherIndefiniteError} answered another indefinite error (0, 13 or a code Maelstrom does not define)` : '',
    causes.notAnAnswer > 0 ? `${causes.notAnAnswer} got a reply that is no answer (reported as protocol errors)` : '',
  ].filter((part) => part !== '');
  const startup = early === null || early.count === 0 ? '' : `; ${early.count} of them were sent in the first ${(early.ms / 1000).toFixed(2)} s, ` +
    'before your cluster answered any operation: right after the start no node leads until an election timeout has passed ' +
    'and a candidate won the vote (the example Raft\'s timeout is 300-600 ms), and the clients start at once, as Maelstrom\'s do';
  log(`maelstrom: unknown ${unknown}: ${parts.join(', ')}${startup}; the checker takes each as possibly done`);
}

function printViolation(violation: NonNullable<ReturnType<typeof checkLinearizability>['violation']>, log: (line: string) => void): void {
  log(`NOT LINEARIZABLE on key ${violation.key}: ${violation.explanation}`);
  log(`the smallest failing set of operations${violation.minimal ? '' : ' found in time'} (${violation.ops.length}):`);
  for (const op of violation.ops) log(`  ${JSON.stringify(op)}`);
}

/** What the nodes that died wrote last on stderr (their relays repeat the student's own last lines). */
function printStderr(controller: LabController, ids: readonly NodeId[], log: (line: string) => void): void {
  const said = ids.filter((id) => controller.lastStderrOf(id).length > 0);
  if (said.length === 0) log('  (no node wrote anything on stderr)');
  for (const id of said) {
    log(`--- n${id}: last lines of stderr`);
    for (const line of controller.lastStderrOf(id)) log(`  ${line}`);
  }
}

/**
 * A node that ended by itself during the run, with its stderr: the lab's event gives only the last three lines, the
 * relay's stderr has the student's own last lines (a Python traceback's first line is usually further up).
 */
function exitProblem(message: string, stderr: readonly string[]): string {
  return stderr.length === 0 ? message : `${message.replace(/\): .*$/s, ')')}; last lines of stderr:\n${stderr.map((line) => `    ${line}`).join('\n')}`;
}

function emptyRecord(problems: readonly string[], stderr: readonly string[], explanation = 'the nodes could not be started'): RunRecord {
  return { ops: [], faults: [], failingOps: [], explanation, problems: [...problems, ...stderr] };
}

function byoFaultCounts(counts: FaultCounts): Partial<FaultCounts> {
  return Object.fromEntries(BYO_FAULT_KINDS.map((kind) => [kind, counts[kind]]));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
