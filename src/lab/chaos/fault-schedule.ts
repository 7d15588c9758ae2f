// The chaos run's faults: one at a time, drawn from the allowed kinds with a seeded PRNG, each undone before the
// next starts, so that the cluster keeps a chance to make progress between faults.
import type { NodeId } from '../../raft/types';
import type { LabController } from '../controller';
import { deposedLeader, splitVote, voteReboot } from './scenario-faults';

export const FAULT_KINDS = ['kill', 'pause', 'partition', 'loss', 'split-vote', 'deposed-leader', 'vote-reboot', 'membership'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export function isFaultKind(name: string): name is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(name);
}

export type FaultCounts = Record<FaultKind, number>;

const FAULT_MIN_MS = 400;
const FAULT_SPREAD_MS = 1200;
const GAP_MIN_MS = 300;
const GAP_SPREAD_MS = 700;

export async function runFaultSchedule(options: {
  controller: LabController;
  kinds: readonly FaultKind[];
  nodes: readonly NodeId[];
  random: () => number;
  untilMs: number;
  log: (line: string) => void;
  /** Ends the schedule early (e.g. once the safety monitor saw a violation: the run has failed). */
  stop?: () => boolean;
}): Promise<FaultCounts> {
  const counts: FaultCounts = { kill: 0, pause: 0, partition: 0, loss: 0, 'split-vote': 0, 'deposed-leader': 0, 'vote-reboot': 0, membership: 0 };
  const initialCount = options.nodes.length;
  const { controller, random } = options;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const over = (): boolean => performance.now() >= options.untilMs || (options.stop?.() ?? false);
  while (!over() && options.kinds.length > 0) {
    await sleep(GAP_MIN_MS + random() * GAP_SPREAD_MS);
    if (over()) break;
    const kind = pick(options.kinds);
    const durationMs = FAULT_MIN_MS + random() * FAULT_SPREAD_MS;
    // Membership changes come and go: every fault picks among the servers the cluster has now.
    const nodes = (await controller.getSnapshot()).nodes.map((view) => view.id);
    const node = await pickTarget(controller, nodes, random);
    counts[kind] += 1;
    try {
      await applyFor(kind, node, durationMs, { ...options, nodes, initialCount });
    } catch (error) {
      options.log(`fault ${kind} on S${node} could not be applied: ${(error as Error).message}`);
    }
  }
  return counts;
}

type ScheduleOptions = Parameters<typeof runFaultSchedule>[0] & { readonly initialCount: number };

async function applyFor(kind: FaultKind, node: NodeId, durationMs: number, o: ScheduleOptions): Promise<void> {
  const { controller, random } = o;
  switch (kind) {
    case 'kill':
      o.log(`kill -9 S${node} for ${Math.round(durationMs)} ms`);
      await controller.crashNode(node);
      await sleep(durationMs);
      await controller.restartNode(node);
      return;
    case 'pause':
      o.log(`pause S${node} for ${Math.round(durationMs)} ms`);
      await controller.pauseNode(node);
      await sleep(durationMs);
      await controller.resumeNode(node);
      return;
    case 'partition': {
      const shuffled = [...o.nodes].sort(() => random() - 0.5);
      const minoritySize = Math.max(1, Math.floor(random() * Math.ceil(o.nodes.length / 2)));
      const group = shuffled.slice(0, minoritySize);
      o.log(`partition {S${group.join(', S')}} from the rest for ${Math.round(durationMs)} ms`);
      await controller.setPartition([group]);
      await sleep(durationMs);
      await controller.healAll();
      return;
    }
    case 'loss': {
      const lossy = o.nodes.filter(() => random() < 0.5);
      const dropProbability = 0.2 + random() * 0.3;
      o.log(`${Math.round(dropProbability * 100)}% loss on links from S${lossy.join(', S') || node} for ${Math.round(durationMs)} ms`);
      for (const from of lossy.length > 0 ? lossy : [node]) {
        for (const to of o.nodes) if (to !== from) await controller.setLinkFaults(from, to, { dropProbability, duplicateProbability: 0.05, jitterMs: 5 });
      }
      await sleep(durationMs);
      await controller.healAll();
      return;
    }
    case 'split-vote':
      await splitVote(controller, random, o.log);
      await sleep(durationMs);
      return;
    case 'deposed-leader':
      await deposedLeader(controller, durationMs, o.log);
      return;
    case 'vote-reboot':
      await voteReboot(controller, random, o.log);
      await sleep(durationMs);
      return;
    case 'membership':
      await changeMembership(node, o);
      await sleep(durationMs);
      return;
  }
}

/**
 * A random membership change (dissertation ch. 4): add a server while the cluster has fewer than two more than it
 * started with, remove one (the leader half the time, as picked) while it has more than it started with minus one;
 * otherwise whichever is possible. The lab refuses while a change is pending or there is no leader: logged, as any
 * fault that could not be applied.
 */
async function changeMembership(node: NodeId, o: ScheduleOptions): Promise<void> {
  const mayAdd = o.nodes.length < o.initialCount + 2;
  const mayRemove = o.nodes.length > Math.max(1, o.initialCount - 1);
  if (mayAdd && (!mayRemove || o.random() < 0.5)) {
    o.log('add a server');
    const added = await o.controller.addServer();
    o.log(`S${added} joins as a learner`);
  } else if (mayRemove) {
    o.log(`remove S${node}`);
    await o.controller.removeServer(node);
    o.log(`S${node} left the cluster`);
  }
}

/** The leader half the time (the interesting case), any node otherwise. */
async function pickTarget(controller: LabController, nodes: readonly NodeId[], random: () => number): Promise<NodeId> {
  const snapshot = await controller.getSnapshot();
  const leader = snapshot.nodes.find((node) => node.role === 'leader' && node.status === 'running');
  if (leader && random() < 0.5) return leader.id;
  return nodes[Math.floor(random() * nodes.length)] ?? 1;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
