// `raft-lab experiment fig16|clients`: their options, checks and help.
import {
  DEFAULT_CLIENT_COUNTS, MAX_FIG16_TRIALS, PAPER_RANDOMNESS_RANGES, PAPER_SCALE_RANGES, experimentSpecSchema, parseRanges, rangeLabel,
  type ExperimentSpec, type TimeoutRange,
} from '../../protocol/experiments';
import { noPositionals, parseCommandLine, UsageError } from '../args';
import { COMMON_EXIT_CODES, EXIT_FAILED, EXIT_OK, type CommandSpec, type ExitCode } from '../command-spec';

/** Every line of Figure 16 once (150-300 is in both of the paper's graphs). */
export const ALL_PAPER_RANGES: readonly TimeoutRange[] = [...PAPER_RANDOMNESS_RANGES,
  ...PAPER_SCALE_RANGES.filter((range) => !PAPER_RANDOMNESS_RANGES.some((top) => rangeLabel(top) === rangeLabel(range)))];

const EXPERIMENT_EXIT_CODES: readonly ExitCode[] = [
  { code: EXIT_OK, meaning: 'done; the files are written' },
  { code: EXIT_FAILED, meaning: 'the experiment failed (the reason on stderr); what was measured is still written' },
  ...COMMON_EXIT_CODES,
  { code: 130, meaning: 'cancelled with Ctrl-C: the nodes were stopped and what was measured so far is written' },
];

export const fig16Command = {
  name: 'experiment fig16',
  summary: 'the paper\'s Figure 16: time to a new leader after the leader is killed, per election-timeout range',
  usage: ['experiment fig16 --out DIR [--nodes N] [--trials T] [--ranges a-b,c-d] [--delay a-b] [--cap-ms MS] [--seed S]'],
  description: 'For each election-timeout range a fresh cluster of real processes whose leader is SIGKILLed T times. ' +
    'Writes fig16.csv (one row per trial), fig16.svg (the CDFs beside the paper\'s numbers), fig16-write.svg and ' +
    'fig16.json (summary, machine load) to DIR. See docs/experiments.md.',
  options: {
    out: { type: 'string', value: 'DIR', description: 'where to write the files (required)' },
    nodes: { type: 'number', value: 'N', description: 'servers (default 5)' },
    trials: { type: 'number', value: 'T', description: `leaders killed per range, up to ${MAX_FIG16_TRIALS} (default 100)` },
    ranges: { type: 'string', value: 'a-b,c-d', description: 'election-timeout ranges in ms (default: the paper\'s ten)' },
    delay: { type: 'string', value: 'a-b', description: 'network delay range in ms (default 0-0)' },
    'cap-ms': { type: 'number', value: 'MS', description: 'give a trial up after MS without a leader (default 10000)' },
    seed: { type: 'number', value: 'S', description: 'seed of the trials\' timing (default 1)' },
  },
  examples: ['raft-lab experiment fig16 --nodes 5 --trials 3 --ranges 150-300,150-151 --out /tmp/fig16'],
  exitCodes: EXPERIMENT_EXIT_CODES,
} as const satisfies CommandSpec;

export const clientsCommand = {
  name: 'experiment clients',
  summary: 'write throughput and p50/p99 latency against the number of clients (etcd beside it when installed)',
  usage: ['experiment clients --out DIR [--nodes N] [--clients 1,2,...,64] [--seconds S] [--vs-etcd]'],
  description: 'Bench\'s closed loop at each client count; writes clients.csv, clients.svg and clients.json to DIR.',
  options: {
    out: { type: 'string', value: 'DIR', description: 'where to write the files (required)' },
    nodes: { type: 'number', value: 'N', description: 'servers (default 3)' },
    clients: { type: 'string', value: 'a,b,...', description: `client counts (default ${DEFAULT_CLIENT_COUNTS.join(',')})` },
    seconds: { type: 'number', value: 'S', description: 'seconds per point (default 5)' },
    'vs-etcd': { type: 'boolean', description: 'also measure etcd at each point (needs `etcd` on PATH)' },
  },
  examples: ['raft-lab experiment clients --nodes 3 --seconds 5 --vs-etcd --out /tmp/clients'],
  exitCodes: EXPERIMENT_EXIT_CODES,
} as const satisfies CommandSpec;

export const experimentCommand = {
  name: 'experiment',
  summary: 'the paper\'s Figure 16 / the write path against client count: CSV, SVG and JSON files',
  usage: ['experiment fig16 --out DIR [options]', 'experiment clients --out DIR [options]'],
  description: 'Experiments on real processes with a progress bar; Ctrl-C cancels and still writes what was measured.',
  options: {},
  verbs: [fig16Command, clientsCommand],
  examples: [...fig16Command.examples, ...clientsCommand.examples],
  exitCodes: EXPERIMENT_EXIT_CODES,
} as const satisfies CommandSpec;

export type ExperimentCommandLine = { readonly help: CommandSpec } | { readonly help: null; readonly spec: ExperimentSpec; readonly out: string };

export function parseExperimentOptions(argv: readonly string[]): ExperimentCommandLine {
  const [kind, ...rest] = argv;
  if (kind === 'fig16') return parseFig16(rest);
  if (kind === 'clients') return parseClients(rest);
  if (kind === '--help' || kind === '-h' || kind === 'help') return { help: experimentCommand };
  throw new UsageError(kind === undefined ? 'which experiment? fig16 or clients' : `unknown experiment "${kind}"`, experimentCommand);
}

function parseFig16(argv: readonly string[]): ExperimentCommandLine {
  const parsed = parseCommandLine(fig16Command, argv);
  if (parsed.help) return { help: fig16Command };
  const { flags, positional } = parsed;
  noPositionals(fig16Command, positional);
  if (!flags.out) throw new UsageError('--out DIR is required', fig16Command);
  const ranges = flags.ranges === undefined ? [...ALL_PAPER_RANGES] : attempt(() => parseRanges(flags.ranges ?? ''), fig16Command);
  const delay = flags.delay === undefined ? [0, 0] : attempt(() => parseRanges(flags.delay ?? ''), fig16Command)[0];
  return { help: null, out: flags.out, spec: validate({ kind: 'fig16', nodes: flags.nodes ?? 5, trials: flags.trials ?? 100, ranges,
    networkDelayMs: delay, capMs: flags['cap-ms'] ?? 10_000, seed: flags.seed ?? 1 }, fig16Command) };
}

function parseClients(argv: readonly string[]): ExperimentCommandLine {
  const parsed = parseCommandLine(clientsCommand, argv);
  if (parsed.help) return { help: clientsCommand };
  const { flags, positional } = parsed;
  noPositionals(clientsCommand, positional);
  if (!flags.out) throw new UsageError('--out DIR is required', clientsCommand);
  const clients = flags.clients === undefined ? [...DEFAULT_CLIENT_COUNTS] : flags.clients.split(',').map((part) => Number(part.trim()));
  return { help: null, out: flags.out, spec: validate({ kind: 'clients', nodes: flags.nodes ?? 3, clients, seconds: flags.seconds ?? 5,
    vsEtcd: flags['vs-etcd'] ?? false }, clientsCommand) };
}

function validate(spec: unknown, command: CommandSpec): ExperimentSpec {
  const parsed = experimentSpecSchema.safeParse(spec);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'spec'}: ${issue.message}`).join('; '), command);
  return parsed.data;
}

function attempt<T>(parse: () => T, command: CommandSpec): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message, command);
  }
}
