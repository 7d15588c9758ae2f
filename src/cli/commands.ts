// Every `raft-lab` command: its spec (for the overview in `raft-lab --help`) and how to load and run it. The runners
// are loaded on demand so that `--help` and `--version` start nothing.
import type { CommandSpec } from './command-spec';
import { benchCommand } from './options/bench';
import { chaosCommand } from './options/chaos';
import { checkCommand } from './options/check';
import { experimentCommand } from './options/experiment';
import { failoverCommand } from './options/failover';
import { maelstromCommand } from './options/maelstrom';
import { fileFamilyCommands } from './options/file-family';
import { simCommand } from './options/sim';
import { webCommand } from './options/web';

/** Runs a command with the arguments after its name; resolves to the exit code. */
export type CommandRunner = (argv: string[]) => Promise<number>;

export interface CliCommand {
  readonly spec: CommandSpec;
  readonly load: () => Promise<CommandRunner>;
}

export const COMMANDS: readonly CliCommand[] = [
  { spec: webCommand, load: async () => (await import('./web')).runWebCommand },
  { spec: chaosCommand, load: async () => (await import('./chaos')).runChaosCommand },
  { spec: maelstromCommand, load: async () => (await import('./maelstrom')).runMaelstromCommand },
  {
    spec: checkCommand,
    load: async () => {
      const { runCheckCommand } = await import('./check');
      return (argv) => runCheckCommand(argv, { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) });
    },
  },
  { spec: simCommand, load: async () => (await import('./sim')).runSimCommand },
  { spec: benchCommand, load: async () => (await import('./bench')).runBenchCommand },
  { spec: failoverCommand, load: async () => (await import('./failover')).runFailoverCommand },
  { spec: experimentCommand, load: async () => (await import('./experiment')).runExperimentCommand },
  { spec: fileFamilyCommands('exercise').command, load: async () => (await import('./exercise')).runExerciseCommand },
  { spec: fileFamilyCommands('demo').command, load: async () => (await import('./demo')).runDemoCommand },
];

export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((command) => command.spec.name === name);
}
