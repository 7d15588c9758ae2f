// Waiting for the cluster to reach a state, always with a deadline and a message that says what did not happen.
import type { LogEntryView } from '../protocol/lab-api';
import type { NodeId } from '../raft/types';
import type { LabController } from './controller';

const POLL_MS = 25;

export async function waitForLeader(controller: LabController, deadlineMs: number): Promise<NodeId> {
  const until = performance.now() + deadlineMs;
  while (performance.now() < until) {
    const snapshot = await controller.getSnapshot();
    const leaders = snapshot.nodes.filter((node) => node.role === 'leader' && node.status === 'running');
    const top = leaders.sort((a, b) => b.term - a.term)[0];
    if (top && snapshot.nodes.every((node) => node.status !== 'running' || node.term <= top.term)) return top.id;
    await sleep(POLL_MS);
  }
  throw new Error(`no leader was elected within ${deadlineMs} ms`);
}

/**
 * Waits until every running node has committed and applied at least `minCommit` and all agree on the commit index;
 * returns the committed log as the lab gathered it from the nodes' mirrors (so the nodes must report their log
 * writes: event detail 'full' or 'state').
 */
export function waitForConvergence(controller: LabController, minCommit: number, deadlineMs: number): Promise<LogEntryView[]> {
  return pollUntilConverged(controller, minCommit, deadlineMs, (commit) => {
    // Gathered from every node's mirror: with log compaction no single mirror need hold it all (committed-log.ts).
    const committed = controller.committedLog(commit);
    return committed === null ? null : [...committed];
  });
}

/** Like waitForConvergence, without the log (any event detail): returns the commit index all running nodes reached. */
export function waitForEqualCommit(controller: LabController, minCommit: number, deadlineMs: number): Promise<number> {
  return pollUntilConverged(controller, minCommit, deadlineMs, (commit) => commit);
}

async function pollUntilConverged<T>(controller: LabController, minCommit: number, deadlineMs: number,
  resultAt: (commit: number) => T | null): Promise<T> {
  const until = performance.now() + deadlineMs;
  let last = '';
  while (performance.now() < until) {
    const snapshot = await controller.getSnapshot();
    const running = snapshot.nodes.filter((node) => node.status === 'running');
    const commits = new Set(running.map((node) => node.commitIndex));
    last = running.map((node) => `S${node.id}: commit ${node.commitIndex}, applied ${node.lastApplied}`).join('; ');
    const [commit] = [...commits];
    if (commits.size === 1 && commit !== undefined && commit >= minCommit && running.every((node) => node.lastApplied >= commit)) {
      const result = resultAt(commit);
      if (result !== null) return result;
    }
    await sleep(POLL_MS);
  }
  throw new Error(`the cluster did not converge on a commit index >= ${minCommit} within ${deadlineMs} ms (${last})`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
