// The write path against the number of clients: `raft-lab bench`'s closed loop (the same driver, the same etcd
// set-up) at each client count, on one Raft Lab cluster, and on etcd with the same node count when asked and installed.
import type { ClientsRow, ClientsSpec } from '../../protocol/experiments';
import { DEFAULT_SETTINGS } from '../../protocol/lab-api';
import type { LoadResult } from '../bench/closed-loop';
import { benchEtcd, findEtcd } from '../bench/etcd-bench';
import { benchRaftLab } from '../bench/raft-bench';
import type { LabController } from '../controller';
import { abortable, throwIfCancelled } from './cancellation';
import type { ProgressClock } from './progress';

const KEYS = 100;
/** Each point warms up for a second before it is measured (bench's warm-up). */
export const WARM_UP_SECONDS = 1;

export interface ClientsCallbacks {
  row(row: ClientsRow): void;
  note(text: string): void;
}

/** The progress units of a sweep: seconds of load, warm-up included, per system measured. */
export function sweepUnits(spec: ClientsSpec, withEtcd: boolean): number {
  return spec.clients.length * (spec.seconds + WARM_UP_SECONDS) * (withEtcd ? 2 : 1);
}

export function etcdFor(spec: ClientsSpec): string | null {
  return spec.vsEtcd ? findEtcd() : null;
}

export async function runClientsSweep(controller: LabController, spec: ClientsSpec, etcd: string | null, progress: ProgressClock,
  signal: AbortSignal, callbacks: ClientsCallbacks): Promise<void> {
  if (spec.vsEtcd && etcd === null) callbacks.note('etcd is not installed (Debian: apt-get install etcd-server): only Raft Lab was measured.');
  progress.describe(`starting ${spec.nodes} nodes`);
  await abortable(controller.startCluster({ ...DEFAULT_SETTINGS, nodeCount: spec.nodes }), signal);
  const options = (clients: number): { nodes: number; clients: number; seconds: number; keys: number } =>
    ({ nodes: spec.nodes, clients, seconds: spec.seconds, keys: KEYS });
  for (const clients of spec.clients) {
    throwIfCancelled(signal);
    progress.describe(`raft-lab, ${clients} client${clients === 1 ? '' : 's'}`);
    callbacks.row(toRow('raft-lab', clients, await abortable(benchRaftLab(controller, options(clients)), signal)));
    progress.advance(spec.seconds + WARM_UP_SECONDS);
  }
  await controller.stopCluster();
  if (etcd === null) return;
  for (const clients of spec.clients) {
    throwIfCancelled(signal);
    progress.describe(`etcd, ${clients} client${clients === 1 ? '' : 's'}`);
    callbacks.row(toRow('etcd', clients, await abortable(benchEtcd(etcd, options(clients), signal), signal)));
    progress.advance(spec.seconds + WARM_UP_SECONDS);
  }
}

function toRow(system: ClientsRow['system'], clients: number, result: LoadResult): ClientsRow {
  return { system, clients, opsPerSecond: result.opsPerSecond, p50Ms: result.latency.p50Ms, p99Ms: result.latency.p99Ms, errors: result.errors };
}
