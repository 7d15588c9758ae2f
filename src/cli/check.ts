// `raft-lab check FILE [--timeout-ms N]`: is the operation history in FILE (NDJSON, see src/check/history.ts)
// linearizable?
//
// Exit codes:
//   0  linearizable (one-line summary on stdout)
//   1  not linearizable (the key, the smallest failing set of operations one per line, and why, on stdout)
//   2  usage error, unreadable file, or malformed history (`FILE:LINE: message` on stderr)
//   3  undecided: the check ran out of time before deciding some key, so the answer is unknown. Not 0 (that would
//      claim a guarantee nobody checked) and not 1 (nothing wrong was found): scripts must treat it as "rerun with a
//      larger --timeout-ms".
import { readFile, stat } from 'node:fs/promises';
import { formatHistoryOp, HistoryFormatError, parseHistory, type HistoryOp } from '../check/history';
import { checkLinearizability, type LinearizabilityResult } from '../check/linearizability';

export interface CheckCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const CHECK_EXIT_LINEARIZABLE = 0;
export const CHECK_EXIT_VIOLATION = 1;
export const CHECK_EXIT_BAD_INPUT = 2;
export const CHECK_EXIT_UNDECIDED = 3;

/** Larger files are refused rather than read into memory (a JavaScript string tops out near 512 MiB). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;
const MAX_TIMEOUT_MS = 24 * 60 * 60 * 1000;

const USAGE = [
  'usage: raft-lab check FILE [--timeout-ms N]',
  '  Checks that the operation history in FILE (one JSON operation per line) is linearizable.',
  '  Exit 0 linearizable, 1 not linearizable, 2 bad usage or malformed file, 3 undecided (timed out).',
].join('\n');

interface CheckArgs {
  readonly file: string;
  readonly timeoutMs: number | undefined;
}

/** `argv` holds the arguments after `check`. Output lines end with a newline. */
export async function runCheckCommand(argv: string[], io: CheckCommandIo): Promise<number> {
  const args = parseArgs(argv);
  if (args === 'help') {
    io.stdout(`${USAGE}\n`);
    return CHECK_EXIT_LINEARIZABLE;
  }
  if (typeof args === 'string') {
    io.stderr(`raft-lab check: ${args}\n${USAGE}\n`);
    return CHECK_EXIT_BAD_INPUT;
  }
  const text = await readHistoryFile(args.file);
  if (text.error !== null) {
    io.stderr(`${args.file}: ${text.error}\n`);
    return CHECK_EXIT_BAD_INPUT;
  }
  let history: HistoryOp[];
  try {
    history = parseHistory(text.content);
  } catch (error) {
    if (!(error instanceof HistoryFormatError)) throw error;
    io.stderr(`${args.file}:${error.line}: ${error.detail}\n`);
    return CHECK_EXIT_BAD_INPUT;
  }
  const startedMs = performance.now();
  const result = checkLinearizability(history, args.timeoutMs === undefined ? {} : { timeoutMs: args.timeoutMs });
  const elapsedMs = Math.round(performance.now() - startedMs);
  return report(args.file, history.length, result, elapsedMs, io);
}

function report(
  file: string,
  opCount: number,
  result: LinearizabilityResult,
  elapsedMs: number,
  io: CheckCommandIo,
): number {
  const keyCount = result.perKey.length;
  const size = `${plural(opCount, 'operation')} on ${plural(keyCount, 'key')}`;
  const violation = result.violation;
  if (violation !== undefined) {
    const failingKeys = result.perKey.filter((key) => key.verdict === 'violation').length;
    const smallest = violation.minimal ? 'smallest failing set' : 'failing set (shrinking ran out of time)';
    const lines = [
      `${file}: NOT linearizable (${size}, ${plural(failingKeys, 'key')} failing, ${elapsedMs} ms)`,
      `key ${JSON.stringify(violation.key)}: ${smallest} of ${plural(violation.ops.length, 'operation')}:`,
      ...violation.ops.map(formatHistoryOp),
      violation.explanation,
    ];
    io.stdout(`${lines.join('\n')}\n`);
    return CHECK_EXIT_VIOLATION;
  }
  if (result.timedOut) {
    const undecided = result.perKey.filter((key) => key.verdict === 'timeout').map((key) => JSON.stringify(key.key));
    io.stdout(
      `${file}: UNDECIDED: linearizability unknown, the check timed out after ${elapsedMs} ms on ` +
        `${undecided.length} of ${keyCount} keys (${undecided.slice(0, 10).join(', ')}` +
        `${undecided.length > 10 ? ', ...' : ''}); no violation found in the others. ` +
        'Rerun with a larger --timeout-ms.\n',
    );
    return CHECK_EXIT_UNDECIDED;
  }
  if (!result.ok) throw new Error('checker returned neither ok, a violation nor a timeout');
  io.stdout(`${file}: linearizable (${size}, ${elapsedMs} ms)\n`);
  return CHECK_EXIT_LINEARIZABLE;
}

function parseArgs(argv: readonly string[]): CheckArgs | 'help' | string {
  let file: string | undefined;
  let timeoutMs: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--timeout-ms' || arg.startsWith('--timeout-ms=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      const parsed = Number(value);
      const valid = value !== undefined && value !== '' && Number.isInteger(parsed);
      if (!valid || parsed < 1 || parsed > MAX_TIMEOUT_MS) {
        return `--timeout-ms needs a whole number of milliseconds between 1 and ${MAX_TIMEOUT_MS}`;
      }
      timeoutMs = parsed;
    } else if (arg.startsWith('-') && arg !== '-') {
      return `unknown option ${arg}`;
    } else if (file === undefined) {
      file = arg;
    } else {
      return `expected one FILE, got also ${arg}`;
    }
  }
  if (file === undefined) return 'missing FILE';
  return { file, timeoutMs };
}

type FileText = { readonly content: string; readonly error: null } | { readonly content: null; readonly error: string };

async function readHistoryFile(file: string): Promise<FileText> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return { content: null, error: 'not a regular file' };
    if (info.size > MAX_FILE_BYTES) return { content: null, error: `larger than ${MAX_FILE_BYTES} bytes` };
    return { content: await readFile(file, 'utf8'), error: null };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { content: null, error: 'no such file' };
    if (code === 'EACCES') return { content: null, error: 'permission denied' };
    return { content: null, error: `cannot read: ${(error as Error).message}` };
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
