// Faults that set up a moment Raft's rules exist for, rather than break something at random: the moments planted
// bugs need to show (chaos --bugs). Correct Raft goes through each without breaking an invariant.
import type { NodeId } from '../../raft/types';
import type { LabController } from '../controller';

const SUCCESSOR_DEADLINE_MS = 5000;
const POLL_MS = 25;
const PROBE_READS = 3;
const PROBE_TIMEOUT_MS = 300;
/** Steps a paused cluster takes at most to deliver one request (earlier messages wait ahead of it). */
const MAX_STEPS = 40;
/** How long the candidates get to collect their votes before the cut link heals. */
const VOTE_REBOOT_SETTLE_MS = 500;

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

/**
 * A voter restarts between two candidates of one term: with the cluster paused, a follower (A) times out and the
 * leader (L) hears only its RequestVote and grants it; L is killed and restarted from its disk; then the other
 * follower (B), which never heard of A's term (the link A→B is cut), times out into that same term and asks L. Correct
 * Raft kept L's vote on disk before answering (Figure 2), so L refuses B; a lost vote grants it a second time.
 */
export async function voteReboot(controller: LabController, random: () => number, log: (line: string) => void): Promise<void> {
  const snapshot = await controller.getSnapshot();
  const leader = snapshot.nodes.find((node) => node.role === 'leader' && node.status === 'running');
  const followers = snapshot.nodes.filter((node) => node.status === 'running' && node.role === 'follower').map((node) => node.id);
  if (!leader || followers.length < 2) return;
  const first = followers.splice(Math.floor(random() * followers.length), 1)[0] as NodeId;
  const second = followers[Math.floor(random() * followers.length)] as NodeId;
  log(`vote reboot: S${first} asks S${leader.id} for its vote, S${leader.id} restarts, then S${second} asks in the same term`);
  await controller.setLinkFaults(first, second, { blocked: true });
  await controller.freezeCluster();
  try {
    // Let the followers catch up first (a candidate behind the leader's log would not get its vote anyway).
    for (let step = 0; step < MAX_STEPS && !(await sameLogs(controller)); step += 1) {
      if ((await controller.stepCluster()).kind === 'none') break;
    }
    await controller.timeoutNode(first);
    // Deliver what is pending until the leader has handled the candidate's request (its reply then waits at it).
    for (let step = 0; step < MAX_STEPS; step += 1) {
      const done = await controller.stepCluster();
      if (done.kind === 'none' || (done.kind === 'deliver' && done.node === leader.id && (await termOf(controller, leader.id)) > leader.term)) break;
    }
    await controller.crashNode(leader.id);
    await controller.restartNode(leader.id);
    await controller.timeoutNode(second);
  } finally {
    await controller.resumeCluster();
    await sleep(VOTE_REBOOT_SETTLE_MS);
    await controller.healAll();
  }
}

async function sameLogs(controller: LabController): Promise<boolean> {
  const running = (await controller.getSnapshot()).nodes.filter((node) => node.status === 'running');
  return running.every((node) => node.lastLogIndex === running[0]?.lastLogIndex);
}

async function termOf(controller: LabController, node: NodeId): Promise<number> {
  return (await controller.getSnapshot()).nodes.find((view) => view.id === node)?.term ?? 0;
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
