// The `raft-lab` entry point (bundled to out/cli/raft-lab.js, which bin/raft-lab.js runs; `tsx src/cli/main.ts` from the
// sources): runs the command (run-cli.ts) and exits with its code.
import { describeFailure, runCli } from './run-cli';

/** Exits once what was written to stdout and stderr has been handed over (a pipe would otherwise cut a long output). */
function exitAfterOutput(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

runCli(process.argv.slice(2)).then(
  (code) => exitAfterOutput(code),
  (error: unknown) => {
    process.stderr.write(describeFailure(error));
    exitAfterOutput(1);
  },
);
