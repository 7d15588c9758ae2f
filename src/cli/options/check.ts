// `raft-lab check FILE`: its options, their checks and its help.
import { integerOption, parseCommandLine, UsageError } from '../args';
import { EXIT_USAGE, type CommandSpec } from '../command-spec';

export const CHECK_EXIT_LINEARIZABLE = 0;
export const CHECK_EXIT_VIOLATION = 1;
export const CHECK_EXIT_BAD_INPUT = EXIT_USAGE;
export const CHECK_EXIT_UNDECIDED = 3;

const MAX_TIMEOUT_MS = 24 * 60 * 60 * 1000;

export const checkCommand = {
  name: 'check',
  summary: 'check an operation history file for linearizability',
  usage: ['check FILE [--timeout-ms N]'],
  description: 'Checks that the operation history in FILE (one JSON operation per line, as `raft-lab chaos --history` ' +
    'writes it; format in src/check/history.ts) is linearizable. ' +
    'Exit 0 linearizable, 1 not linearizable, 2 bad usage or malformed file, 3 undecided (timed out).',
  arguments: [{ name: 'FILE', description: 'the history, NDJSON' }],
  options: {
    'timeout-ms': { type: 'number', value: 'N', description: `time budget of the search in ms, 1..${MAX_TIMEOUT_MS} (default: no limit)` },
  },
  examples: ['raft-lab check history.ndjson --timeout-ms 60000'],
  exitCodes: [
    { code: CHECK_EXIT_LINEARIZABLE, meaning: 'linearizable (a one-line summary on stdout)' },
    { code: CHECK_EXIT_VIOLATION, meaning: 'not linearizable: the key, the smallest failing set of operations and why, on stdout' },
    { code: CHECK_EXIT_BAD_INPUT, meaning: 'usage error, unreadable file, or malformed history (FILE:LINE: message on stderr)' },
    { code: CHECK_EXIT_UNDECIDED, meaning: 'undecided: the search ran out of time; rerun with a larger --timeout-ms' },
  ],
} as const satisfies CommandSpec;

export interface CheckOptions {
  readonly file: string;
  readonly timeoutMs: number | undefined;
}

export function parseCheckOptions(argv: readonly string[]): CheckOptions | 'help' {
  const parsed = parseCommandLine(checkCommand, argv);
  if (parsed.help) return 'help';
  const { flags, positional } = parsed;
  const timeout = flags['timeout-ms'];
  if (timeout !== undefined) {
    try {
      integerOption(checkCommand, 'timeout-ms', timeout, 1, MAX_TIMEOUT_MS);
    } catch {
      throw new UsageError(`--timeout-ms needs a whole number of milliseconds between 1 and ${MAX_TIMEOUT_MS}`, checkCommand);
    }
  }
  const [file, extra] = positional;
  if (file === undefined) throw new UsageError('missing FILE', checkCommand);
  if (extra !== undefined) throw new UsageError(`expected one FILE, got also ${extra}`, checkCommand);
  return { file, timeoutMs: timeout };
}
