// Faults that set up a moment Raft's rules exist for, rather than break something at random: the moments planted
// bugs need to show (chaos --bugs). Correct Raft goes through each without breaking an invariant.
import type { NodeId } from '../../raft/types';
import type { LabController } from '../controller';

const SUCCESSOR_DEADLINE_MS = 5000;
const POLL_MS = 25;
const PROBE_READS = 3;
const PROBE_TIMEOUT_MS = 300;

/**
 * Two followers time out at the same moment, so that both run for the next term and the others hear both: the cluster
 * is paused meanwhile, so neither hears the other's RequestVote first. Correct Raft elects at most one of them (each
 * server votes once per term); it exercises exactly the rules that vote bugs break.
 */
export async function splitVote(controller: LabController, random: () => number, log: (line: string) => void): Promise<void> {
  const snapshot = await controller.getSnapshot();
  const followers = snapshot.nodes.filter((node) => node.status === 'running' && node.role !== 'leader').map((node) => node.id);
  if (followers.length < 2) return;
  const first = followers.splice(Math.floor(random() * followers.length), 1)[0] as NodeId;
  const second = followers[Math.floor(random() * followers.length)] as NodeId;
  log(`split vote: S${first} and S${second} time out at once`);
  await controller.freezeCluster();
  try {
    await controller.timeoutNode(first);
    await controller.timeoutNode(second);
  } finally {
    await controller.resumeCluster();
  }
}

/**
 * A deposed leader, asked for reads: the leader is cut off until the others elect and commit without it, then asked
 * directly; then it hears the others' replies (which carry the new term) but not the new leader's requests. Correct
 * Raft answers no read there (it cannot confirm its leadership: dissertation §6.4) and steps down at the first reply
 * of a higher term; the read bugs answer from stale state.
 */
export async function deposedLeader(controller: LabController, durationMs: number, log: (line: string) => void): Promise<void> {
  const before = await controller.getSnapshot();
  const leader = before.nodes.find((node) => node.role === 'leader' && node.status === 'running');
  if (!leader || before.nodes.length < 3) return;
  log(`deposed leader: S${leader.id} cut off until another leads, then asked for reads`);
  await controller.setPartition([[leader.id]]);
  try {
    const successor = await otherLeader(controller, leader.id, leader.term);
    if (successor === null) return;
    await probeReads(controller, leader.id);
    // The new leader's requests still cannot reach it; everything else can.
    await controller.setLinkFaults(successor, leader.id, { blocked: true });
    await controller.setPartition([]);
    await sleep(durationMs / 2);
    await probeReads(controller, leader.id);
  } finally {
    await controller.healAll();
  }
}

/** A leader other than `old` in a later term, once it has committed an entry of its term (the workload writes). */
async function otherLeader(controller: LabController, old: NodeId, oldTerm: number): Promise<NodeId | null> {
  const until = performance.now() + SUCCESSOR_DEADLINE_MS;
  let electedId: NodeId | null = null;
  let commitAtElection = 0;
  while (performance.now() < until) {
    const nodes = (await controller.getSnapshot()).nodes;
    const leader = nodes.find((node) => node.id !== old && node.role === 'leader' && node.term > oldTerm && node.status === 'running');
    if (leader !== undefined && leader.id !== electedId) {
      electedId = leader.id;
      commitAtElection = leader.commitIndex;
    } else if (leader !== undefined && leader.commitIndex > commitAtElection) {
      return leader.id;
    }
    await sleep(POLL_MS);
  }
  return null;
}

/** Reads of the workload's first keys (k0, k1, ...), sent to `node` itself. */
async function probeReads(controller: LabController, node: NodeId): Promise<void> {
  for (let i = 0; i < PROBE_READS; i += 1) {
    await controller.clientRequest({ op: 'get', key: `k${i}`, node, timeoutMs: PROBE_TIMEOUT_MS }).catch(() => undefined);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
