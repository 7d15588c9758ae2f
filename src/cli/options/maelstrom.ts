// `raft-lab maelstrom`: its options, their checks and its help.
import { MAX_HEADLESS_NODES } from '../../protocol/lab-api';
import { BYO_FAULT_KINDS } from '../../lab/maelstrom/maelstrom-run';
import { noPositionals, parseCommandLine, takeBinAndArgs, UsageError } from '../args';
import { COMMON_EXIT_CODES, EXIT_FAILED, EXIT_OK, SIGNAL_EXIT_CODES, type CommandSpec } from '../command-spec';
import { parseWorkloadRun, type WorkloadRunOptions } from './workload-run';

export const maelstromCommand = {
  name: 'maelstrom',
  summary: 'your own Raft (any executable speaking Maelstrom\'s protocol) as real processes under lin-kv and faults',
  usage: ['maelstrom --bin PATH [--arg A]... --history FILE [--nodes N] [--seconds S] [--clients C] [--keys K] ' +
    '[--faults kill,pause,partition,loss] [--seed X] [--data-dir DIR]'],
  description: 'Runs a student\'s own Raft, in any language: every node is the executable --bin (with each --arg), ' +
    'speaking Maelstrom\'s protocol on stdin and stdout (docs/byo-raft.md), behind a relay node of the lab, so every ' +
    'fault applies to it. Runs Maelstrom\'s lin-kv workload and a seeded random fault schedule; then heals the cluster, ' +
    'brings every node back, reads every key, writes the history and checks it (linearizability, no lost acknowledged ' +
    'write). The last line on stdout is a JSON summary (ops, ok, fail, unknown, linearizable, lostAcknowledgedWrites, ' +
    'messages between nodes, faults, seed, protocolErrors, nodeExits: times a node exited by itself, at start or ' +
    'during the run, not counting the kill fault, unreadKeys).',
  options: {
    bin: { type: 'string', value: 'PATH', description: 'your node\'s executable (required), e.g. ./my-raft or python3' },
    arg: { type: 'string', value: 'A', description: 'an argument for it; repeat for several, in order (values may start with --); one naming a file or folder here is passed as its absolute path (each node runs in its own directory)' },
    history: { type: 'string', value: 'FILE', description: 'where to write the operation history (required; `raft-lab check` reads it)' },
    nodes: { type: 'number', value: 'N', description: `nodes, 1..${MAX_HEADLESS_NODES} (default 3)` },
    seconds: { type: 'number', value: 'S', description: 'seconds of workload and faults, (0, 3600] (default 10)' },
    clients: { type: 'number', value: 'C', description: 'concurrent lin-kv clients, 1..64 (default 3)' },
    keys: { type: 'number', value: 'K', description: 'integer keys 0..K-1 the clients use, 1..1000 (default 3)' },
    faults: { type: 'string', value: 'a,b', description: `fault kinds (default none; known: ${BYO_FAULT_KINDS.join(', ')})` },
    seed: { type: 'number', value: 'X', description: 'seed of the fault schedule and the workload, to replay a run (default: random, printed)' },
    'data-dir': { type: 'string', value: 'DIR', description: 'the nodes\' working directories under DIR (default: a temporary directory)' },
    report: { type: 'string', value: 'FILE.html', description: 'after the run, also run the grading scenarios (elections under partitions, a crashed minority, everyone restarting, each fault kind) and write their verdicts with the timeline of each failing run' },
  },
  examples: [
    'raft-lab maelstrom --bin ./my-raft --nodes 3 --seconds 10 --clients 3 --keys 3 --seed 1 --history history.jsonl',
    'raft-lab maelstrom --bin python3 --arg raft.py --nodes 5 --seconds 30 --clients 4 --keys 5 --faults kill,pause,partition,loss --seed 2 --history h.jsonl',
  ],
  exitCodes: [
    { code: EXIT_OK, meaning: 'every check passed' },
    { code: EXIT_FAILED, meaning: 'not linearizable (the smallest failing set of operations is printed), an acknowledged write lost, or a key unreadable after healing' },
    { code: 2, meaning: 'the binary could not be run, did not answer init, exited by itself or broke the protocol (its stderr and the bad lines are printed); or a usage error' },
    ...COMMON_EXIT_CODES, ...SIGNAL_EXIT_CODES,
  ],
} as const satisfies CommandSpec;

export interface MaelstromOptions extends WorkloadRunOptions {
  readonly bin: string;
  readonly args: string[];
  readonly report: string | undefined;
}

/** `randomSeed` picks the seed when none is given (the run prints it, so it can be replayed). */
export function parseMaelstromOptions(argv: readonly string[], randomSeed: () => number = () => Math.floor(Math.random() * 2 ** 31)): MaelstromOptions | 'help' {
  const { bin, args, rest } = takeBinAndArgs(maelstromCommand, argv);
  const parsed = parseCommandLine(maelstromCommand, rest);
  if (parsed.help) return 'help';
  const { flags, positional } = parsed;
  noPositionals(maelstromCommand, positional);
  if (bin === undefined || bin === '') throw new UsageError('--bin PATH is required (your node\'s executable)', maelstromCommand);
  if (!flags.history) throw new UsageError('--history FILE is required', maelstromCommand);
  const run = parseWorkloadRun(maelstromCommand, flags, { nodes: 3, seconds: 10, clients: 3, keys: 3, faults: '', knownFaults: BYO_FAULT_KINDS },
    randomSeed);
  return { ...run, bin, args, history: flags.history, report: flags.report || undefined };
}
