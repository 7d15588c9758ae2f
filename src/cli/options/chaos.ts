// `raft-lab chaos`: its options, their checks and its help.
import { FAULT_KINDS } from '../../lab/chaos/fault-schedule';
import { MAX_HEADLESS_NODES } from '../../protocol/lab-api';
import type { BugName, MembershipMode } from '../../raft/types';
import { integerOption, noPositionals, parseCommandLine, UsageError } from '../args';
import { bugsFlag } from '../bugs-flag';
import { COMMON_EXIT_CODES, EXIT_FAILED, EXIT_OK, SIGNAL_EXIT_CODES, type CommandSpec } from '../command-spec';
import { parseWorkloadRun, type WorkloadRunOptions } from './workload-run';

const DEFAULT_FAULTS = 'kill,pause,partition,loss';
/**
 * A client gives up on an operation after this long (lab ms) and records it as unknown: shorter than most faults, so a
 * history holds indeterminate operations, as Jepsen's do, for the checker to reason about.
 */
export const DEFAULT_OP_TIMEOUT_MS = 500;

export const chaosCommand = {
  name: 'chaos',
  summary: 'real processes, a workload and random faults; checks linearizability, lost writes and Raft\'s invariants',
  usage: ['chaos --history FILE [--nodes N] [--seconds S] [--clients C] [--keys K] [--faults a,b] [--seed X] [--bugs a,b] [--joint] [--op-timeout-ms MS]'],
  description: 'Starts a cluster of real node processes, runs a client workload against it and a seeded random fault ' +
    'schedule; then heals the cluster, lets every client finish, writes the history and checks it (linearizability, no ' +
    'lost acknowledged write). The live safety monitor checks Raft\'s invariants meanwhile. The last line on stdout is ' +
    'a JSON summary.',
  options: {
    history: { type: 'string', value: 'FILE', description: 'where to write the operation history (required; `raft-lab check` reads it)' },
    nodes: { type: 'number', value: 'N', description: `servers, 1..${MAX_HEADLESS_NODES} (default 5)` },
    seconds: { type: 'number', value: 'S', description: 'seconds of faults, (0, 3600] (default 20)' },
    clients: { type: 'number', value: 'C', description: 'concurrent clients, 1..64 (default 4)' },
    keys: { type: 'number', value: 'K', description: 'keys the clients use, 1..1000 (default 5)' },
    faults: { type: 'string', value: 'a,b', description: `fault kinds (default ${DEFAULT_FAULTS}; known: ${FAULT_KINDS.join(', ')})` },
    seed: { type: 'number', value: 'X', description: 'seed of the fault schedule, to replay a run (default: random, printed)' },
    rate: { type: 'number', value: 'R', description: 'client operations per second in all (default 40 per client)' },
    'op-timeout-ms': { type: 'number', value: 'MS', description: `how long a client tries one operation before it gives up and records it as unknown, 10..120000 lab ms (default ${DEFAULT_OP_TIMEOUT_MS})` },
    bugs: { type: 'string', value: 'a,b', description: 'planted bugs switched on in every node' },
    joint: { type: 'boolean', description: 'membership changes by joint consensus (paper §6) instead of one server at a time' },
    'data-dir': { type: 'string', value: 'DIR', description: 'keep the nodes\' data directories under DIR (default: a temporary directory)' },
    record: { type: 'string', value: 'FILE', description: 'write every event to FILE as NDJSON' },
  },
  examples: ['raft-lab chaos --nodes 3 --seconds 20 --clients 4 --keys 5 --faults kill,pause,partition,loss --seed 1 --history history.ndjson'],
  exitCodes: [
    { code: EXIT_OK, meaning: 'every check passed and no invariant broke' },
    { code: EXIT_FAILED, meaning: 'not linearizable, an acknowledged write lost, or an invariant broke (replay with the printed --seed)' },
    ...COMMON_EXIT_CODES, ...SIGNAL_EXIT_CODES,
  ],
} as const satisfies CommandSpec;

export interface ChaosOptions extends WorkloadRunOptions {
  readonly rate: number;
  readonly record: string | undefined;
  readonly bugs: BugName[];
  /** How the cluster changes its configuration (with --faults ...,membership). */
  readonly membershipMode: MembershipMode;
  /** A client gives up on an operation after this long (lab ms): it is then unknown in the history. */
  readonly opTimeoutMs: number;
}

/** `randomSeed` picks the seed when none is given (the run prints it, so it can be replayed). */
export function parseChaosOptions(argv: readonly string[], randomSeed: () => number = () => Math.floor(Math.random() * 2 ** 31)): ChaosOptions | 'help' {
  const parsed = parseCommandLine(chaosCommand, argv);
  if (parsed.help) return 'help';
  const { flags, positional } = parsed;
  noPositionals(chaosCommand, positional);
  const run = parseWorkloadRun(chaosCommand, flags, { nodes: 5, seconds: 20, clients: 4, keys: 5, faults: DEFAULT_FAULTS, knownFaults: FAULT_KINDS },
    randomSeed);
  const bugs = bugsFlag(flags.bugs, chaosCommand);
  if (!flags.history) throw new UsageError('--history FILE is required', chaosCommand);
  const rate = flags.rate ?? 40 * run.clients;
  if (!(rate > 0 && rate <= 100_000)) throw new UsageError('--rate must be in (0, 100000]', chaosCommand);
  const opTimeoutMs = integerOption(chaosCommand, 'op-timeout-ms', flags['op-timeout-ms'] ?? DEFAULT_OP_TIMEOUT_MS, 10, 120_000);
  return { ...run, history: flags.history, rate, record: flags.record || undefined, bugs, opTimeoutMs,
    membershipMode: flags.joint === true ? 'joint' : 'single-server' };
}
