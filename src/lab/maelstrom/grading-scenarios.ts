// The 6.5840-style scenarios that make sense from outside a student's node (`raft-lab maelstrom --report`): each is
// one short lin-kv run on a fresh cluster with its own faults; it passes when the history is linearizable, no
// acknowledged write is lost, every key can be read once healed, and, where the scenario says so, writes were still
// acknowledged while the fault lasted (the cluster kept working with a majority).
import type { HistoryOp } from '../../check/history';
import type { NodeId } from '../../raft/types';
import { seededRandom } from '../../raft/random';
import { monotonicNowNs } from '../../shared/monotonic-clock';
import { runFaultSchedule } from '../chaos/fault-schedule';
import type { FaultPlan, MaelstromRunResult } from './maelstrom-run';

export interface GradingScenario {
  readonly id: string;
  readonly title: string;
  readonly plan: (seconds: number, marks: FaultMarks) => FaultPlan;
  /** Writes must be acknowledged while the fault lasts (after marks.faultAtNs). */
  readonly needsProgress: boolean;
  /** Smallest cluster it makes sense on. */
  readonly minNodes: number;
}

/** When the scenario's fault began (machine monotonic ns), for the progress check. */
export interface FaultMarks {
  faultAtNs: number | null;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function scheduleOf(kind: 'kill' | 'pause' | 'partition' | 'loss', seed: number): GradingScenario['plan'] {
  return (seconds) => async (controller, nodes, log) => {
    await runFaultSchedule({ controller, kinds: [kind], nodes, random: seededRandom(seed), untilMs: performance.now() + seconds * 1000, log });
  };
}

/** The node the lab last saw lead (from raft_lab_state), or n1 when the nodes do not say. */
async function leaderOr1(controller: Parameters<FaultPlan>[0]): Promise<NodeId> {
  const snapshot = await controller.getSnapshot();
  return snapshot.nodes.find((node) => node.role === 'leader' && node.status === 'running')?.id ?? 1;
}

export function gradingScenarios(seed: number): GradingScenario[] {
  return [
    { id: 'no-faults', title: 'Linearizable without faults', needsProgress: true, minNodes: 1,
      plan: (seconds) => async () => sleep(seconds * 1000) },
    { id: 'elections-partition', title: 'Elections under partitions: the leader cut off, the majority goes on', needsProgress: true, minNodes: 3,
      plan: (seconds, marks) => async (controller, _nodes, log) => {
        await sleep(Math.min(1000, seconds * 250));
        const leader = await leaderOr1(controller);
        log(`isolate n${leader} (the leader, as far as the lab knows)`);
        marks.faultAtNs = monotonicNowNs();
        await controller.setPartition([[leader]]);
        await sleep(seconds * 1000);
      } },
    { id: 'crashed-minority', title: 'Agreement with a crashed minority', needsProgress: true, minNodes: 3,
      plan: (seconds, marks) => async (controller, nodes, log) => {
        await sleep(Math.min(1000, seconds * 250));
        const minority = nodes.slice(nodes.length - Math.floor((nodes.length - 1) / 2));
        log(`crash ${minority.map((id) => `n${id}`).join(', ')}`);
        marks.faultAtNs = monotonicNowNs();
        for (const id of minority) await controller.crashNode(id);
        await sleep(seconds * 1000);
      } },
    { id: 'everyone-restarts', title: 'Recovery after everyone restarts (what was acknowledged survives)', needsProgress: false, minNodes: 1,
      plan: (seconds) => async (controller, nodes, log) => {
        await sleep(seconds * 500);
        log('crash every node, then restart them all');
        for (const id of nodes) await controller.crashNode(id);
        for (const id of nodes) await controller.restartNode(id);
        await sleep(seconds * 500);
      } },
    ...(['kill', 'pause', 'partition', 'loss'] as const).map((kind): GradingScenario => ({ id: `linearizable-${kind}`,
      title: `Linearizable under ${kind === 'kill' ? 'crashes and restarts' : kind === 'pause' ? 'pauses' : kind === 'partition' ? 'partitions' : 'message loss'}`,
      needsProgress: false, minNodes: 1, plan: scheduleOf(kind, seed) })),
  ];
}

/** Writes acknowledged that were sent after the fault began. */
export function writesAcknowledgedAfter(ops: readonly HistoryOp[], faultAtNs: number | null): number {
  if (faultAtNs === null) return ops.filter((op) => op.op !== 'get' && op.status === 'ok').length;
  return ops.filter((op) => op.op !== 'get' && op.status === 'ok' && op.call >= faultAtNs).length;
}

export interface ScenarioOutcome {
  readonly scenario: GradingScenario;
  readonly passed: boolean;
  readonly why: string;
  readonly result: MaelstromRunResult;
}

export function judge(scenario: GradingScenario, result: MaelstromRunResult, marks: FaultMarks): ScenarioOutcome {
  if (result.exitCode === 2) return { scenario, passed: false, why: 'the nodes could not be run or broke the protocol', result };
  if (result.exitCode === 1) return { scenario, passed: false, why: result.record.explanation ?? 'a check failed', result };
  if (scenario.needsProgress && writesAcknowledgedAfter(result.record.ops, marks.faultAtNs) === 0) {
    return { scenario, passed: false, why: 'no write was acknowledged while the fault lasted: the majority did not go on', result };
  }
  return { scenario, passed: true, why: 'linearizable, nothing acknowledged lost, every key readable', result };
}
