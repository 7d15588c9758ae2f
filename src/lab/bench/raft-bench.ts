// Write throughput and latency of a Raft Lab cluster: real node processes, fsync on, puts through the real client.
import { LabController } from '../controller';
import { KvClient } from '../client/kv-client';
import { waitForLeader } from '../cluster-waits';
import { runClosedLoop, type LoadResult } from './closed-loop';
import { cpuPerOp, sampleCpu, type CpuPerOp } from './cpu-usage';

export interface RaftLabLoadResult extends LoadResult {
  /** CPU time per 1000 acknowledged writes during the measured run (see cpu-usage.ts for why). */
  readonly cpu: CpuPerOp;
}

export async function benchRaftLab(controller: LabController, options: { nodes: number; clients: number; seconds: number; keys: number }): Promise<RaftLabLoadResult> {
  if ((await controller.getSnapshot()).phase !== 'running') await controller.startCluster({ nodeCount: options.nodes });
  await waitForLeader(controller, 20_000);
  const clients = Array.from({ length: options.clients }, () => new KvClient(controller.clientContext()));
  const value = 'v'.repeat(64);
  // Warm up: connections, JIT, the leader's first no-op.
  await runClosedLoop(options.clients, 1, (worker, n) => put(clients[worker], `warm-${worker}-${n % options.keys}`, value));
  const nodePids = Object.fromEntries((await controller.getSnapshot()).nodes.map((node) => [node.id, node.pid]));
  const before = sampleCpu(nodePids);
  const result = await runClosedLoop(options.clients, options.seconds, (worker, n) => put(clients[worker], `k-${worker}-${n % options.keys}`, value));
  const after = sampleCpu(nodePids);
  return { ...result, cpu: cpuPerOp(before, after, result.latency.count) };
}

async function put(client: KvClient | undefined, key: string, value: string): Promise<boolean> {
  if (!client) return false;
  const result = await client.request({ op: 'put', key, value });
  return result.status === 'ok';
}
