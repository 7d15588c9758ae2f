// `raft-lab bench` and `raft-lab failover` end to end, briefly: real processes, real writes, the printed summary.
// Their numbers are not asserted (speed lives in the benchmarks); that they run and report is.
import { afterEach, describe, expect, it } from 'vitest';
import { describeRun, lastJsonLine, runCli, stopRunningCli } from './cli-runner';

/** Below vitest's 60 s test timeout, so that a hung run is interrupted and its output shown. */
const RUN_DEADLINE_MS = 45_000;

afterEach(stopRunningCli);

describe('raft-lab bench and failover', () => {
  it('bench writes through a 3-node cluster and prints throughput, latency, CPU and memory', async () => {
    const run = await runCli(['bench', '--nodes', '3', '--clients', '4', '--seconds', '1'], RUN_DEADLINE_MS);
    const output = describeRun(run);
    expect(run.code, output).toBe(0);
    const summary = lastJsonLine(run);
    expect(summary, output).toMatchObject({ nodes: 3, clients: 4, raftLab: { errors: 0 }, invariantViolations: [] });
    const raftLab = summary['raftLab'] as { opsPerSecond: number; latency: { count: number; p50Ms: number } };
    expect(raftLab.latency.count, output).toBeGreaterThan(0);
    expect(raftLab.latency.p50Ms, output).toBeGreaterThan(0);
    for (const field of ['rssAfterMb', 'peakRssMb']) {
      const byNode = summary[field] as Record<string, number>;
      expect(Object.keys(byNode), output).toEqual(['1', '2', '3']);
      // Linux (/proc): the peak is at least what the node holds after the load
      for (const id of ['1', '2', '3']) expect(byNode[id], `${field} ${id}\n${output}`).toBeGreaterThan(0);
    }
    const after = summary['rssAfterMb'] as Record<string, number>;
    const peak = summary['peakRssMb'] as Record<string, number>;
    for (const id of ['1', '2', '3']) expect(peak[id], output).toBeGreaterThanOrEqual(after[id] ?? Infinity);
  });

  it('failover kills the leader in each trial and times the next acknowledged write', async () => {
    const run = await runCli(['failover', '--trials', '3'], RUN_DEADLINE_MS);
    const output = describeRun(run);
    expect(run.code, output).toBe(0);
    expect(run.stdout.match(/^trial \d+: [\d.]+ ms$/gm), output).toHaveLength(3);
    const summary = lastJsonLine(run);
    expect(summary, output).toMatchObject({ trials: 3, count: 3 });
    expect(summary['p50Ms'], output).toBeGreaterThan(0);
  });
});
