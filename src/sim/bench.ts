// How much faster than real time the simulator runs: a 5-node cluster with heartbeats, a steady client load and
// the invariant checker on (as every test runs it). A short warm-up run first lets the JIT compile the hot paths;
// then the measured run is timed against the wall clock and against the process's CPU time (the latter is what
// to compare when the machine is busy with other work).

import { Simulation } from './simulation';

export interface BenchOptions {
  /** Simulated seconds measured (default 600). */
  readonly seconds?: number;
  readonly nodes?: number;
  /** Client proposals per simulated second (default 10). */
  readonly proposalsPerSecond?: number;
  readonly checkInvariants?: boolean;
  readonly seed?: number;
  /** Simulated seconds of an unmeasured warm-up run (default 300). */
  readonly warmupSeconds?: number;
}

export interface BenchResult {
  readonly simulatedMs: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** simulatedMs / wallMs. */
  readonly speedup: number;
  /** simulatedMs / cpuMs. */
  readonly cpuSpeedup: number;
  readonly steps: number;
  readonly messages: number;
  readonly committed: number;
  readonly proposalsPerSecond: number;
  readonly checkInvariants: boolean;
}

export function runBench(options: BenchOptions = {}): BenchResult {
  const warmupSeconds = options.warmupSeconds ?? 300;
  if (warmupSeconds > 0) simulate({ ...options, seconds: warmupSeconds, seed: (options.seed ?? 1) + 1 });
  return simulate(options);
}

function simulate(options: BenchOptions): BenchResult {
  const simulatedMs = (options.seconds ?? 600) * 1000;
  const proposalsPerSecond = options.proposalsPerSecond ?? 10;
  const intervalMs = 1000 / proposalsPerSecond;
  const checkInvariants = options.checkInvariants ?? true;
  const simulation = new Simulation({
    seed: options.seed ?? 1,
    nodes: options.nodes ?? 5,
    traceCapacity: 0,
    checkInvariants,
  });
  let sequence = 0;
  const client = (): void => {
    const leader = simulation.leaders()[0];
    if (leader !== undefined) simulation.propose(leader, `set k${sequence % 100} ${sequence}`);
    sequence++;
    if (simulation.nowMs + intervalMs < simulatedMs) simulation.schedule(intervalMs, client);
  };
  simulation.schedule(intervalMs, client);
  const startMs = performance.now();
  const startCpuMs = processCpuMs();
  simulation.runUntil(simulatedMs);
  const wallMs = Math.max(performance.now() - startMs, 0.001);
  const cpuMs = Math.max(processCpuMs() - startCpuMs, 0.001);
  let committed = 0;
  for (const id of simulation.members) committed = Math.max(committed, simulation.status(id).commitIndex);
  return {
    simulatedMs,
    wallMs,
    cpuMs,
    speedup: simulatedMs / wallMs,
    cpuSpeedup: simulatedMs / cpuMs,
    steps: simulation.stepCount,
    messages: simulation.stats.sent,
    committed,
    proposalsPerSecond,
    checkInvariants,
  };
}

/** CPU time of this process (user + system, ms); falls back to 0 where there is no process (a browser). */
function processCpuMs(): number {
  if (typeof process === 'undefined' || typeof process.cpuUsage !== 'function') return 0;
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
