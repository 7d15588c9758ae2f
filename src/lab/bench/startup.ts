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
  return residentAndPeakMb(pid)?.residentMb ?? null;
}

export interface ResidentMemory {
  readonly residentMb: number;
  /** VmHWM: the most the process has ever held resident. */
  readonly peakMb: number;
}

/**
 * VmRSS and VmHWM from one read of /proc (Linux), in MB; null elsewhere. One read, because Linux (6.2 on) counts
 * resident pages in per-CPU counters that /proc reads approximately: a VmHWM read a moment after a VmRSS can come out
 * some pages below it (a CI run saw 58.19 against 58.21 MB), while within one read VmHWM is at least VmRSS.
 */
export function residentAndPeakMb(pid: number): ResidentMemory | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const residentMb = statusFieldMb(status, 'VmRSS');
  const peakMb = statusFieldMb(status, 'VmHWM');
  return residentMb === null || peakMb === null ? null : { residentMb, peakMb };
}

function statusFieldMb(status: string, field: 'VmRSS' | 'VmHWM'): number | null {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
  return match?.[1] ? Number(match[1]) / 1024 : null;
}
