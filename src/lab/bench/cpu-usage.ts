// CPU time spent per operation, by the lab process and by each node process. On a shared machine the latency and
// throughput of a run swing with everyone else's load; CPU time per write swings far less, so it is the number
// that shows whether a change made the write path cheaper.
import { readFileSync } from 'node:fs';

/** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every Linux we run on. */
const TICKS_PER_SECOND = 100;

export interface CpuSample {
  readonly labMs: number;
  readonly nodesMs: Readonly<Record<number, number | null>>;
}

export interface CpuPerOp {
  /** CPU ms (user + system) per 1000 operations. */
  readonly labMsPerKiloOp: number;
  readonly nodesMsPerKiloOp: Readonly<Record<number, number | null>>;
  /** All node processes together. */
  readonly allNodesMsPerKiloOp: number;
}

export function sampleCpu(nodePids: Readonly<Record<number, number | null>>): CpuSample {
  const usage = process.cpuUsage();
  const nodesMs: Record<number, number | null> = {};
  for (const [id, pid] of Object.entries(nodePids)) nodesMs[Number(id)] = pid === null ? null : processCpuMs(pid);
  return { labMs: (usage.user + usage.system) / 1000, nodesMs };
}

export function cpuPerOp(before: CpuSample, after: CpuSample, ops: number): CpuPerOp {
  const perKilo = (ms: number): number => (ops > 0 ? (ms * 1000) / ops : Number.NaN);
  const nodesMsPerKiloOp: Record<number, number | null> = {};
  let allNodesMs = 0;
  for (const [id, endMs] of Object.entries(after.nodesMs)) {
    const startMs = before.nodesMs[Number(id)];
    // A node restarted during the run (a new pid) has no comparable start: left out rather than guessed.
    const spentMs = endMs === null || startMs === null || startMs === undefined || endMs < startMs ? null : endMs - startMs;
    nodesMsPerKiloOp[Number(id)] = spentMs === null ? null : perKilo(spentMs);
    allNodesMs += spentMs ?? 0;
  }
  return { labMsPerKiloOp: perKilo(after.labMs - before.labMs), nodesMsPerKiloOp, allNodesMsPerKiloOp: perKilo(allNodesMs) };
}

/** utime + stime of a process from /proc (Linux); null when it cannot be read. */
function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; the fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? ((utime + stime) * 1000) / TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}
