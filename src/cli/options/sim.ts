// `raft-lab sim`: its options, their checks and its help. Parsing decides which of the four runs is meant (sweep,
// replay, KV, bench), so each run gets only options that make sense for it.
import { parseBugNames } from '../../sim/faults/bugs';
import { FAULT_PROFILES, type FaultProfileName } from '../../sim/faults/fault-schedule';
import type { FuzzOptions } from '../../sim/drivers/fuzz';
import type { KvRunOptions } from '../../sim/drivers/kv-run';
import { parseCommandLine, UsageError, type ParsedOptions } from '../args';
import { COMMON_EXIT_CODES, EXIT_FAILED, EXIT_OK, type CommandSpec } from '../command-spec';

const MAX_SEEDS = 1_000_000;

export const simCommand = {
  name: 'sim',
  summary: 'the deterministic simulator: fuzz many seeds, replay one, check KV histories, or measure its speed',
  usage: ['sim [--seeds N | --seed S] [--seconds T] [--nodes N] [--bugs a,b] [--profile P] [--pre-vote] [--check-quorum] [--joint] [--trace N]',
    'sim --kv [--seeds N | --seed S] [--no-invariants] [--snapshot-every N] ...', 'sim --bench'],
  description: 'Runs Raft cores on a simulated network and disk under a seeded fault schedule, checking every invariant ' +
    'after every event. A failing seed prints the command that replays it.',
  options: {
    seeds: { type: 'number', value: 'N', description: `run N seeds, 1..${MAX_SEEDS} (default 100; 20 with --kv)` },
    seed: { type: 'number', value: 'S', description: 'replay one seed and print its report' },
    'first-seed': { type: 'number', value: 'S', description: 'first seed of a sweep (default: derived from the clock)' },
    seconds: { type: 'number', value: 'T', description: 'simulated seconds of faults per seed, (0, 3600] (default 20; 10 with --kv)' },
    nodes: { type: 'number', value: 'N', description: 'cluster size, 1..15 (default 5)' },
    bugs: { type: 'string', value: 'a,b', description: 'planted bugs to switch on' },
    profile: { type: 'string', value: 'P', description: `fault profile: ${Object.keys(FAULT_PROFILES).join(', ')} (default mixed; partitions with --kv)` },
    'pre-vote': { type: 'boolean', description: 'the pre-vote extension (not with --kv)' },
    'check-quorum': { type: 'boolean', description: 'the check-quorum extension (not with --kv)' },
    joint: { type: 'boolean', description: 'membership changes by joint consensus (paper §6) instead of single-server changes (not with --kv)' },
    trace: { type: 'number', value: 'N', description: 'with --seed: print the last N trace records' },
    kv: { type: 'boolean', description: 'KV clients instead of raw proposals; the history must be linearizable' },
    'no-invariants': { type: 'boolean', description: 'with --kv: leave the checking to the linearizability checker alone' },
    'snapshot-every': { type: 'number', value: 'N', description: 'with --kv: compact the log every N applied entries (default 50, 0 = never)' },
    bench: { type: 'boolean', description: 'how many times faster than real time a 5-node cluster under load simulates' },
  },
  examples: ['raft-lab sim --seeds 1000', 'raft-lab sim --seed 1 --seconds 5 --bugs double-vote --trace 40', 'raft-lab sim --kv --seeds 20'],
  exitCodes: [
    { code: EXIT_OK, meaning: 'every seed passed' },
    { code: EXIT_FAILED, meaning: 'a seed failed (the output names it and how to replay it)' },
    ...COMMON_EXIT_CODES,
  ],
} as const satisfies CommandSpec;

type SimFlags = ParsedOptions<typeof simCommand.options>;
type Base = Omit<FuzzOptions, 'seed'>;

export type SimRun =
  | { readonly kind: 'bench' }
  | { readonly kind: 'kv'; readonly seeds: readonly number[]; readonly options: (seed: number) => KvRunOptions }
  | { readonly kind: 'replay'; readonly options: FuzzOptions; readonly traceRecords: number }
  | { readonly kind: 'sweep'; readonly base: Base; readonly firstSeed: number; readonly count: number };

/** `nowMs` derives the first seed of a sweep when none is given. */
export function parseSimOptions(argv: readonly string[], nowMs: () => number = Date.now): SimRun | 'help' {
  const parsed = parseCommandLine(simCommand, argv);
  if (parsed.help) return 'help';
  const { flags, positional } = parsed;
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`, simCommand);
  if (flags.bench === true) return { kind: 'bench' };
  if (flags.kv === true) return kvRun(flags, nowMs);
  if (flags['no-invariants'] === true) throw new UsageError('--no-invariants only goes with --kv', simCommand);
  if (flags['snapshot-every'] !== undefined) throw new UsageError('--snapshot-every only goes with --kv (fuzz seeds pick their own compaction)', simCommand);
  const base = baseOptions(flags);
  if (flags.seed !== undefined) {
    if (flags.seeds !== undefined) throw new UsageError('use either --seed or --seeds', simCommand);
    return { kind: 'replay', options: { ...base, seed: integer('seed', flags.seed) }, traceRecords: Math.max(0, flags.trace ?? 0) };
  }
  const count = seedCount(flags.seeds ?? 100);
  return { kind: 'sweep', base, firstSeed: integer('first-seed', flags['first-seed'] ?? nowMs() % 1_000_000_000), count };
}

function kvRun(flags: SimFlags, nowMs: () => number): SimRun {
  if (flags['pre-vote'] === true || flags['check-quorum'] === true || flags.joint === true || flags.trace !== undefined) {
    throw new UsageError('--kv runs take --seed/--seeds, --first-seed, --seconds, --nodes, --bugs, --profile, --no-invariants, --snapshot-every', simCommand);
  }
  const base = baseOptions(flags, { seconds: 10, profile: 'partitions' });
  const snapshotEvery = flags['snapshot-every'] === undefined ? undefined : integer('snapshot-every', flags['snapshot-every']);
  const options = (seed: number): KvRunOptions => ({
    seed,
    nodes: base.nodes ?? 5,
    seconds: base.seconds ?? 10,
    bugs: base.bugs ?? [],
    profile: base.profile ?? 'partitions',
    checkInvariants: flags['no-invariants'] !== true,
    ...(snapshotEvery === undefined ? {} : { snapshotEvery }),
  });
  if (flags.seed !== undefined) return { kind: 'kv', seeds: [integer('seed', flags.seed)], options };
  const count = seedCount(flags.seeds ?? 20);
  const first = integer('first-seed', flags['first-seed'] ?? nowMs() % 1_000_000_000);
  return { kind: 'kv', seeds: Array.from({ length: count }, (_, i) => first + i), options };
}

function baseOptions(flags: SimFlags, defaults: { seconds: number; profile: FaultProfileName } = { seconds: 20, profile: 'mixed' }): Base {
  const seconds = flags.seconds ?? defaults.seconds;
  if (!(seconds > 0 && seconds <= 3600)) throw new UsageError('--seconds must be in (0, 3600]', simCommand);
  const nodes = integer('nodes', flags.nodes ?? 5);
  if (nodes < 1 || nodes > 15) throw new UsageError('--nodes must be in 1..15', simCommand);
  const profile = flags.profile ?? defaults.profile;
  if (!Object.hasOwn(FAULT_PROFILES, profile)) throw new UsageError(`unknown --profile "${profile}"; known: ${Object.keys(FAULT_PROFILES).join(', ')}`, simCommand);
  let bugs;
  try {
    bugs = parseBugNames(flags.bugs === undefined || flags.bugs === '' ? [] : flags.bugs.split(',').map((name) => name.trim()));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), simCommand);
  }
  return {
    seconds,
    nodes,
    bugs,
    profile: profile as FaultProfileName,
    preVote: flags['pre-vote'] ?? false,
    checkQuorum: flags['check-quorum'] ?? false,
    ...(flags.joint === true ? { membershipMode: 'joint' as const } : {}),
  };
}

function seedCount(count: number): number {
  const checked = integer('seeds', count);
  if (checked < 1 || checked > MAX_SEEDS) throw new UsageError(`--seeds must be in 1..${MAX_SEEDS}`, simCommand);
  return checked;
}

function integer(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new UsageError(`--${name} must be a non-negative integer, got ${value}`, simCommand);
  return value;
}
