// `raft-lab failover`: its options, their checks and its help.
import { integerOption, noPositionals, parseCommandLine } from '../args';
import { COMMON_EXIT_CODES, EXIT_OK, SIGNAL_EXIT_CODES, type CommandSpec } from '../command-spec';

export const failoverCommand = {
  name: 'failover',
  summary: 'kill the leader T times; the time until the next acknowledged write',
  usage: ['failover [--trials T] [--nodes N]'],
  description: 'Starts a cluster (election timeout 150-300 ms, heartbeat 50 ms), then T times kills the leader and ' +
    'measures the time until a write is acknowledged again; prints each trial, the distribution, and a JSON summary.',
  options: {
    trials: { type: 'number', value: 'T', description: 'leaders to kill, 1..10000 (default 20)' },
    nodes: { type: 'number', value: 'N', description: 'servers, 3..9 (default 3)' },
  },
  examples: ['raft-lab failover --trials 50'],
  exitCodes: [{ code: EXIT_OK, meaning: 'the run finished' }, ...COMMON_EXIT_CODES, ...SIGNAL_EXIT_CODES],
} as const satisfies CommandSpec;

export interface FailoverOptions {
  readonly trials: number;
  readonly nodes: number;
}

export function parseFailoverOptions(argv: readonly string[]): FailoverOptions | 'help' {
  const parsed = parseCommandLine(failoverCommand, argv);
  if (parsed.help) return 'help';
  noPositionals(failoverCommand, parsed.positional);
  return {
    trials: integerOption(failoverCommand, 'trials', parsed.flags.trials ?? 20, 1, 10_000),
    // A leader must be killable with a majority left.
    nodes: integerOption(failoverCommand, 'nodes', parsed.flags.nodes ?? 3, 3, 9),
  };
}
