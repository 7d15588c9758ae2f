// The `raft-lab` command line: headless runs, checks, benchmarks and simulations, plus web mode. Every message ends
// with a newline; usage errors exit 2 with the command's usage (see `raft-lab --help` for every exit code).
import { UsageError } from './args';
import { usageLines } from './command-spec';
import { findCommand } from './commands';
import { formatMainHelp, MAIN_USAGE } from './main-help';
import { cliVersion } from './version';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: CliIo = { stdout: (text) => void process.stdout.write(text), stderr: (text) => void process.stderr.write(text) };

export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(`raft-lab: which command?\n${MAIN_USAGE}\nRun 'raft-lab --help' for the list of commands.\n`);
    return 2;
  }
  if (name === '--help' || name === '-h') {
    io.stdout(formatMainHelp());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${cliVersion()}\n`);
    return 0;
  }
  // `raft-lab help` and `raft-lab help <command> [verb]` are the same as --help.
  if (name === 'help') return rest.length === 0 ? runCli(['--help'], io) : runCli([...rest, '--help'], io);
  const command = findCommand(name);
  if (!command) {
    io.stderr(`raft-lab: unknown ${name.startsWith('-') ? 'option' : 'command'} "${name}"\n${MAIN_USAGE}\nRun 'raft-lab --help' for the list of commands.\n`);
    return 2;
  }
  try {
    return await (await command.load())(rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const spec = error.command ?? command.spec;
    io.stderr(`raft-lab ${name}: ${error.message.trimEnd()}\n${usageLines(spec)}\nRun 'raft-lab ${spec.name} --help' for every option.\n`);
    return 2;
  }
}

/** What an unexpected error prints: a system error's message alone (a busy port, a missing file), else the stack. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const text = typeof code === 'string' && /^E[A-Z]+$/.test(code) ? error.message : error.stack ?? error.message;
    return `raft-lab: ${text.trimEnd()}\n`;
  }
  return `raft-lab: ${String(error)}\n`;
}
