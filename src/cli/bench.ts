// `raft-lab bench --nodes N --clients C --seconds S [--vs-etcd]`: write throughput and latency over real processes
// with fsync on; with --vs-etcd, etcd with the same node count, durability and concurrency in the same run.
import { LabController } from '../lab/controller';
import { installShutdownHooks } from '../lab/shutdown-hooks';
import { benchRaftLab } from '../lab/bench/raft-bench';
import { benchEtcd, findEtcd } from '../lab/bench/etcd-bench';
import { formatMs } from '../lab/bench/latency-stats';
import { measureStartup, residentAndPeakMb, type StartupResult } from '../lab/bench/startup';
import type { LoadResult } from '../lab/bench/closed-loop';
import { MAX_HEADLESS_NODES } from '../protocol/lab-api';
import { UsageError } from './args';
import { formatCommandHelp } from './command-spec';
import { benchCommand, parseBenchOptions } from './options/bench';

export async function runBenchCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseBenchOptions(argv);
  if (parsed === 'help') {
    process.stdout.write(formatCommandHelp(benchCommand));
    return 0;
  }
  const { nodes, clients, seconds, keys } = parsed;
  const etcd = parsed.vsEtcd ? findEtcd() : null;
  if (parsed.vsEtcd && !etcd) throw new UsageError('--vs-etcd needs an `etcd` binary on PATH (Debian: apt-get install etcd-server)', benchCommand);

  const options = { nodes, clients, seconds, keys };
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
  print(`bench: ${nodes} nodes, ${clients} clients, ${seconds} s of puts (64-byte values), fsync on`);
  const controller = await LabController.create({ maxNodes: MAX_HEADLESS_NODES, windowEvents: 1000, eventDetail: 'quiet' });
  installShutdownHooks(() => controller.close(), () => controller.killAllNow());
  // The live safety monitor runs while measured too (its cost is part of the numbers): say if it saw anything.
  const invariantViolations = new Set<string>();
  controller.subscribe((events) => {
    for (const event of events) if (event.type === 'violation') invariantViolations.add(event.invariant);
  });
  let raft: LoadResult;
  let startup: StartupResult;
  let rssAfterMb: Record<number, number | null>;
  let peakRssMb: Record<number, number | null>;
  try {
    startup = await measureStartup(controller, nodes);
    print(`start to elected leader: ${formatMs(startup.startToLeaderMs)}; node RSS at start: ${formatRss(startup.rssMbByNode)}`);
    raft = await benchRaftLab(controller, options);
    const nodesAfter = (await controller.getSnapshot()).nodes;
    const memory = nodesAfter.map((node) => ({ id: node.id, read: node.pid === null ? null : residentAndPeakMb(node.pid) }));
    rssAfterMb = Object.fromEntries(memory.map(({ id, read }) => [id, read?.residentMb ?? null]));
    peakRssMb = Object.fromEntries(memory.map(({ id, read }) => [id, read?.peakMb ?? null]));
  } finally {
    await controller.close();
  }
  print(describe('raft-lab', raft));
  print(`node RSS after the load: ${formatRss(rssAfterMb)}; peak: ${formatRss(peakRssMb)}`);
  if (invariantViolations.size > 0) print(`SAFETY VIOLATION during the run: ${[...invariantViolations].join(', ')}`);
  const summary: Record<string, unknown> = { nodes, clients, seconds, startToLeaderMs: startup.startToLeaderMs, rssAfterMb, peakRssMb,
    raftLab: raft, invariantViolations: [...invariantViolations] };
  if (etcd) {
    const etcdResult = await benchEtcd(etcd, options);
    print(describe('etcd', etcdResult));
    const ratio = raft.opsPerSecond / etcdResult.opsPerSecond;
    print(`throughput ratio raft-lab / etcd: ${ratio.toFixed(2)}`);
    Object.assign(summary, { etcd: etcdResult, throughputRatio: ratio });
  }
  print(JSON.stringify(summary));
  return 0;
}

function formatRss(rss: Record<number, number | null>): string {
  return Object.entries(rss).map(([id, mb]) => `S${id} ${mb === null ? 'n/a' : `${mb.toFixed(0)} MB`}`).join(', ');
}

function describe(name: string, result: LoadResult): string {
  return `${name.padEnd(9)} ${result.opsPerSecond.toFixed(0).padStart(7)} writes/s  p50 ${formatMs(result.latency.p50Ms)}  ` +
    `p99 ${formatMs(result.latency.p99Ms)}  max ${formatMs(result.latency.maxMs)}  (${result.latency.count} ok, ${result.errors} failed)`;
}
