// `raft-lab failover --trials T [--nodes N]`: kills the leader T times and prints the distribution of the time until
// the next acknowledged write.
import { LabController } from '../lab/controller';
import { installShutdownHooks } from '../lab/shutdown-hooks';
import { measureFailovers } from '../lab/bench/failover';
import { formatMs } from '../lab/bench/latency-stats';
import { formatCommandHelp } from './command-spec';
import { failoverCommand, parseFailoverOptions } from './options/failover';

export async function runFailoverCommand(argv: readonly string[]): Promise<number> {
  const parsed = parseFailoverOptions(argv);
  if (parsed === 'help') {
    process.stdout.write(formatCommandHelp(failoverCommand));
    return 0;
  }
  const { trials, nodes } = parsed;
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
  const controller = await LabController.create({ windowEvents: 1000, eventDetail: 'quiet' });
  installShutdownHooks(() => controller.close(), () => controller.killAllNow());
  try {
    await controller.startCluster({ nodeCount: nodes, electionTimeoutMs: [150, 300], heartbeatMs: 50 });
    print(`failover: ${nodes} nodes, election timeout 150-300 ms, heartbeat 50 ms, ${trials} trials`);
    const summary = await measureFailovers(controller, trials, (trial, ms) => print(`trial ${trial}: ${formatMs(ms)}`));
    print(`failover to next acknowledged write: p50 ${formatMs(summary.p50Ms)}  p90 ${formatMs(summary.p90Ms)}  p99 ${formatMs(summary.p99Ms)}  max ${formatMs(summary.maxMs)}`);
    print(JSON.stringify({ trials, nodes, ...summary }));
    return 0;
  } finally {
    await controller.close();
  }
}
