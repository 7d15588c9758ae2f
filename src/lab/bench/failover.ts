// Failover time: kill -9 the leader, then measure until the next write is acknowledged by the new leader.
import { KvClient } from '../client/kv-client';
import { waitForEqualCommit, waitForLeader } from '../cluster-waits';
import type { LabController } from '../controller';
import { LatencySamples, type LatencySummary } from './latency-stats';

export async function measureFailovers(controller: LabController, trials: number, onTrial: (trial: number, ms: number) => void): Promise<LatencySummary> {
  const samples = new LatencySamples();
  const client = new KvClient(controller.clientContext());
  for (let trial = 1; trial <= trials; trial += 1) {
    const leader = await waitForLeader(controller, 20_000);
    const warm = await client.request({ op: 'put', key: 'failover', value: `before-${trial}`, timeoutMs: 10_000 });
    if (warm.status !== 'ok') throw new Error(`trial ${trial}: the cluster did not accept a write before the kill (${warm.error ?? ''})`);
    const killedAtMs = performance.now();
    await controller.crashNode(leader);
    const result = await client.request({ op: 'put', key: 'failover', value: `after-${trial}`, timeoutMs: 20_000 });
    if (result.status !== 'ok') throw new Error(`trial ${trial}: no write was acknowledged after the leader died (${result.error ?? ''})`);
    const failoverMs = performance.now() - killedAtMs;
    samples.add(failoverMs);
    onTrial(trial, failoverMs);
    await controller.restartNode(leader);
    const snapshot = await controller.getSnapshot();
    await waitForEqualCommit(controller, Math.max(...snapshot.nodes.map((node) => node.commitIndex)), 20_000);
  }
  return samples.summary();
}
