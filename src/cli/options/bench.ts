// `raft-lab bench`: its options, their checks and its help.
import { MAX_HEADLESS_NODES } from '../../protocol/lab-api';
import { integerOption, noPositionals, parseCommandLine, UsageError } from '../args';
import { COMMON_EXIT_CODES, EXIT_OK, SIGNAL_EXIT_CODES, type CommandSpec } from '../command-spec';

export const benchCommand = {
  name: 'bench',
  summary: 'write throughput and latency over real processes, fsync on (optionally against etcd)',
  usage: ['bench [--nodes N] [--clients C] [--seconds S] [--keys K] [--vs-etcd]'],
  description: 'Closed-loop puts of 64-byte values from C clients against a cluster of real node processes with fsync ' +
    'on; prints throughput, p50/p99/max latency, the time from start to an elected leader and the nodes\' memory, ' +
    'then one JSON summary line. See docs/benchmarks.md.',
  options: {
    nodes: { type: 'number', value: 'N', description: `servers, 1..${MAX_HEADLESS_NODES} (default 3)` },
    clients: { type: 'number', value: 'C', description: 'concurrent clients, 1..1024 (default 1)' },
    seconds: { type: 'number', value: 'S', description: 'seconds of load, (0, 600] (default 10)' },
    keys: { type: 'number', value: 'K', description: 'keys written, 1..1000000 (default 100)' },
    'vs-etcd': { type: 'boolean', description: 'also run etcd (an `etcd` binary on PATH) with the same load in the same run' },
  },
  examples: ['raft-lab bench --nodes 3 --clients 16 --seconds 10 --vs-etcd'],
  exitCodes: [{ code: EXIT_OK, meaning: 'the run finished (the numbers are the result)' }, ...COMMON_EXIT_CODES, ...SIGNAL_EXIT_CODES],
} as const satisfies CommandSpec;

export interface BenchOptions {
  readonly nodes: number;
  readonly clients: number;
  readonly seconds: number;
  readonly keys: number;
  readonly vsEtcd: boolean;
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions | 'help' {
  const parsed = parseCommandLine(benchCommand, argv);
  if (parsed.help) return 'help';
  const { flags, positional } = parsed;
  noPositionals(benchCommand, positional);
  const seconds = flags.seconds ?? 10;
  if (!(seconds > 0 && seconds <= 600)) throw new UsageError('--seconds must be in (0, 600]', benchCommand);
  return {
    nodes: integerOption(benchCommand, 'nodes', flags.nodes ?? 3, 1, MAX_HEADLESS_NODES),
    clients: integerOption(benchCommand, 'clients', flags.clients ?? 1, 1, 1024),
    seconds,
    keys: integerOption(benchCommand, 'keys', flags.keys ?? 100, 1, 1_000_000),
    vsEtcd: flags['vs-etcd'] ?? false,
  };
}
