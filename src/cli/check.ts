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
import { UsageError } from './args';
import { formatCommandHelp, usageLines } from './command-spec';
import {
  CHECK_EXIT_BAD_INPUT, CHECK_EXIT_LINEARIZABLE, CHECK_EXIT_UNDECIDED, CHECK_EXIT_VIOLATION, checkCommand, parseCheckOptions, type CheckOptions,
} from './options/check';

export { CHECK_EXIT_BAD_INPUT, CHECK_EXIT_LINEARIZABLE, CHECK_EXIT_UNDECIDED, CHECK_EXIT_VIOLATION };

export interface CheckCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Larger files are refused rather than read into memory (a JavaScript string tops out near 512 MiB). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** `argv` holds the arguments after `check`. Output lines end with a newline. */
export async function runCheckCommand(argv: string[], io: CheckCommandIo): Promise<number> {
  let args: CheckOptions | 'help';
  try {
    args = parseCheckOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`raft-lab check: ${error.message}\n${usageLines(checkCommand)}\n`);
    return CHECK_EXIT_BAD_INPUT;
  }
  if (args === 'help') {
    io.stdout(formatCommandHelp(checkCommand));
    return CHECK_EXIT_LINEARIZABLE;
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
