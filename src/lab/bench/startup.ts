// Start-up cost: time from "start the cluster" to an elected leader, and each node process's resident memory.
import { readFileSync } from 'node:fs';
import type { LabController } from '../controller';
import { waitForLeader } from '../cluster-waits';

export interface StartupResult {
  readonly startToLeaderMs: number;
  readonly rssMbByNode: Record<number, number | null>;
}

export async function measureStartup(controller: LabController, nodes: number): Promise<StartupResult> {
  const startedMs = performance.now();
  await controller.startCluster({ nodeCount: nodes });
  await waitForLeader(controller, 20_000);
  const startToLeaderMs = performance.now() - startedMs;
  const snapshot = await controller.getSnapshot();
  const rssMbByNode: Record<number, number | null> = {};
  for (const node of snapshot.nodes) rssMbByNode[node.id] = node.pid === null ? null : residentMb(node.pid);
  return { startToLeaderMs, rssMbByNode };
}

/** VmRSS from /proc (Linux), in MB; null elsewhere. */
export function residentMb(pid: number): number | null {
  return procStatusMb(pid, 'VmRSS');
}

/** VmHWM from /proc (Linux): the most the process has ever held resident, in MB; null elsewhere. */
export function peakResidentMb(pid: number): number | null {
  return procStatusMb(pid, 'VmHWM');
}

function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}
