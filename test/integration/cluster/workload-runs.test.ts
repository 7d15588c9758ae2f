// The workload panel run twice on one cluster, after the client box wrote one of its keys: each run is checked on
// keys nothing wrote before, so a correct cluster is linearizable every time (the checker takes every key of a
// history to start absent; on shared keys the second run's first read of a key saw the first run's value).
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkloadSpec } from '../../../src/protocol/lab-api';
import { closeAllLabs, CLUSTER_DEADLINE_MS, ClusterLab, eventually, putRetryingUnknown } from './cluster-harness';

afterEach(closeAllLabs);

const SPEC: WorkloadSpec = { ratePerSecond: 150, clients: 3, keys: 2, mix: { get: 0.4, put: 0.3, cas: 0.2, delete: 0.1 } };

async function runOnce(lab: ClusterLab, atLeastOps: number) {
  await lab.controller.startWorkload(SPEC);
  await eventually(async () => ((await lab.controller.getWorkload()).ok >= atLeastOps ? true : null), CLUSTER_DEADLINE_MS,
    `${atLeastOps} acknowledged workload operations`);
  return lab.controller.stopWorkload();
}

describe('the workload panel, run after run on one cluster', () => {
  it('is linearizable every run, whatever the client box or an earlier run wrote', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    await lab.waitForLeader();
    await putRetryingUnknown(lab, 'k0', 'from the client box');
    const first = await runOnce(lab, 40);
    const second = await runOnce(lab, 40);
    for (const report of [first, second]) {
      expect(report.verdict, JSON.stringify(report.verdict)).toMatchObject({ linearizable: true, timedOut: false });
    }
    const keysOf = (report: typeof first) => new Set(report.history.map((op) => op.key));
    const shared = [...keysOf(second)].filter((key) => keysOf(first).has(key) || key === 'k0');
    expect(shared).toEqual([]);
  });
});
