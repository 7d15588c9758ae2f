// `raft-lab chaos`: real node processes, a real client workload and a seeded random fault schedule; afterwards the
// cluster is healed, every client's last operation completes, the history is written and checked. Meanwhile the lab's
// safety monitor checks Raft's invariants live (src/lab/safety); planted bugs (--bugs) run on every node. Exit 0 only
// if every check passed and no invariant broke; the last line on stdout is one JSON summary.
import { writeFileSync } from 'node:fs';
import { formatHistory } from '../check/history';
import { checkLinearizability } from '../check/linearizability';
import { LabController } from '../lab/controller';
import { installShutdownHooks } from '../lab/shutdown-hooks';
import { seededRandom } from '../raft/random';
import { EventRecorder } from '../lab/recorder';
import { runFaultSchedule } from '../lab/chaos/fault-schedule';
import { casStats, describeCasStats } from '../lab/chaos/cas-stats';
import { countLostWrites } from '../lab/chaos/lost-writes';
import { restoreAll } from '../lab/chaos/restore-all';
import { waitForConvergence, waitForLeader } from '../lab/cluster-waits';
import { MAX_HEADLESS_NODES } from '../protocol/lab-api';
import type { LabEvent } from '../protocol/events';
import type { HistoryOp } from '../check/history';
import { formatCommandHelp } from './command-spec';
import { chaosCommand, parseChaosOptions } from './options/chaos';

const SETTLE_DEADLINE_MS = 30_000;
const BROKEN_SETTLE_DEADLINE_MS = 10_000;

export async function runChaosCommand(argv: readonly string[]): Promise<number> {
  const options = parseChaosOptions(argv);
  if (options === 'help') {
    process.stdout.write(formatCommandHelp(chaosCommand));
    return 0;
  }
  const { nodes, seconds, clients, keys, seed, bugs, faults: kinds } = options;
  const historyFile = options.history;
  const log = (line: string): void => void process.stdout.write(`${line}\n`);

  const controller = await LabController.create({ maxNodes: MAX_HEADLESS_NODES, ...(options.dataDir ? { dataRoot: options.dataDir } : {}), windowEvents: 5000, eventDetail: 'state' });
  const recorder = options.record ? new EventRecorder(options.record, controller.events) : null;
  installShutdownHooks(() => controller.close(), () => controller.killAllNow());
  let elections = 0;
  const violations: Extract<LabEvent, { type: 'violation' }>[] = [];
  controller.subscribe((events) => {
    for (const event of events) {
      if (event.type === 'raft' && event.event.kind === 'became-leader') elections += 1;
      if (event.type === 'violation') {
        violations.push(event);
        log(`SAFETY VIOLATION: ${event.invariant}${event.bug === null ? '' : ` (planted bug ${event.bug})`}: ${event.detail}`);
      }
    }
  });
  try {
    log(`chaos: seed ${seed}, ${nodes} nodes, ${clients} clients, ${keys} keys, ${seconds} s, faults ${kinds.join(',') || 'none'}` +
      (bugs.length > 0 ? `, planted bugs ${bugs.join(',')}` : '') + (options.membershipMode === 'joint' ? ', joint consensus' : ''));
    await controller.startCluster({ nodeCount: nodes, bugs, membershipMode: options.membershipMode });
    await waitForLeader(controller, SETTLE_DEADLINE_MS);
    await controller.startWorkload({ ratePerSecond: options.rate, clients, keys, mix: { get: 0.4, put: 0.3, cas: 0.2, delete: 0.1 },
      requestTimeoutMs: options.opTimeoutMs });
    const random = seededRandom(seed);
    const faults = await runFaultSchedule({ controller, kinds, nodes: Array.from({ length: nodes }, (_, i) => i + 1),
      random, untilMs: performance.now() + seconds * 1000, log, stop: () => violations.length > 0 });
    let checks: RunChecks;
    try {
      // A cluster whose invariants broke may never settle: then the checks give up sooner, and the summary still comes.
      checks = await settleAndCheck(controller, historyFile, violations.length > 0 ? BROKEN_SETTLE_DEADLINE_MS : SETTLE_DEADLINE_MS, log);
    } catch (error) {
      if (violations.length === 0) throw error;
      log(`chaos: the cluster did not settle after the violation: ${(error as Error).message}`);
      checks = { ops: [], linearizable: null, lostAcknowledgedWrites: null };
    }
    const count = (status: string): number => checks.ops.filter((op) => op.status === status).length;
    // Last, so that the last line names what broke.
    const invariantViolations = [...new Set(violations.map((violation) => violation.invariant))];
    const cas = casStats(checks.ops);
    log(`chaos: ${describeCasStats(cas)}`);
    const summary = { ops: checks.ops.length, ok: count('ok'), fail: count('fail'), unknown: count('unknown'), cas,
      linearizable: checks.linearizable, lostAcknowledgedWrites: checks.lostAcknowledgedWrites, elections, faults, seed,
      ...(bugs.length > 0 ? { bugs } : {}), invariantViolations };
    const passed = checks.linearizable === true && checks.lostAcknowledgedWrites === 0 && invariantViolations.length === 0;
    log(passed ? 'chaos: every check passed' : `chaos: FAILED (replay the schedule with --seed ${seed})`);
    log(JSON.stringify(summary));
    return passed ? 0 : 1;
  } finally {
    await controller.close();
    await recorder?.close();
  }
}

interface RunChecks {
  readonly ops: readonly HistoryOp[];
  /** null: never checked (the cluster did not settle after a violation). */
  readonly linearizable: boolean | null;
  readonly lostAcknowledgedWrites: number | null;
}

/** Heals, lets every client finish, writes the history and checks it (linearizability, no lost acknowledged write). */
async function settleAndCheck(controller: LabController, historyFile: string, deadlineMs: number, log: (line: string) => void): Promise<RunChecks> {
  log('chaos: healing the cluster and letting every client finish');
  await controller.healAll();
  await restoreAll(controller);
  await waitForLeader(controller, deadlineMs);
  await controller.stopWorkload();
  const workload = controller.currentWorkload;
  if (!workload) throw new Error('the workload vanished');
  const ops = workload.history.ops();
  writeFileSync(historyFile, formatHistory(ops));
  log(`chaos: ${ops.length} operations written to ${historyFile}; checking`);
  const maxAcked = Math.max(0, ...workload.acknowledgedWrites.map((write) => write.index ?? 0));
  const committedLog = await waitForConvergence(controller, maxAcked, deadlineMs);
  const lostWrites = countLostWrites(workload.acknowledgedWrites, committedLog);
  for (const example of lostWrites.examples) log(`LOST: ${example}`);
  const verdict = checkLinearizability(ops, { timeoutMs: 60_000 });
  if (verdict.violation) {
    log(`NOT LINEARIZABLE on key ${verdict.violation.key}: ${verdict.violation.explanation}`);
    for (const op of verdict.violation.ops) log(`  ${JSON.stringify(op)}`);
  }
  if (verdict.timedOut) log('the linearizability check ran out of time: undecided');
  return { ops, linearizable: verdict.ok, lostAcknowledgedWrites: lostWrites.lost };
}
