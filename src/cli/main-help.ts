// `raft-lab --help`: the commands, the global options and the exit codes every command shares.
import { COMMANDS } from './commands';
import { COMMON_EXIT_CODES, EXIT_FAILED, EXIT_OK, SIGNAL_EXIT_CODES, table } from './command-spec';

export const MAIN_USAGE = 'usage: raft-lab <command> [options]\n       raft-lab <command> --help\n       raft-lab --version';

export function formatMainHelp(): string {
  const lines = [
    MAIN_USAGE,
    '',
    'Raft Lab from the command line: web mode, headless runs on real node processes, checks, benchmarks and the',
    'deterministic simulator.',
    '',
    'commands:',
    ...table(COMMANDS.map((command) => [command.spec.name, command.spec.summary])),
    '',
    'options:',
    ...table([['-h, --help', 'show this help (after a command: that command\'s usage, options and an example)'],
      ['-v, --version', 'print the version']]),
    '',
    'exit codes (each command\'s --help lists its own):',
    ...table([
      [String(EXIT_OK), 'success'],
      [String(EXIT_FAILED), 'the run found a problem (a failed check, seed, goal or step) or an unexpected error'],
      ...COMMON_EXIT_CODES.map((exit): [string, string] => [String(exit.code), exit.meaning]),
      ['3', '`check` only: undecided, the linearizability search ran out of time'],
      ...SIGNAL_EXIT_CODES.map((exit): [string, string] => [String(exit.code), exit.meaning]),
    ]),
    '',
    'examples:',
    '  raft-lab web --port 8080',
    '  raft-lab chaos --nodes 3 --seconds 20 --seed 1 --history history.ndjson && raft-lab check history.ndjson',
    '  raft-lab chaos --help',
  ];
  return `${lines.join('\n')}\n`;
}
