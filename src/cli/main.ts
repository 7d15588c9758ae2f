// The `raft-lab` command line: headless runs, checks, benchmarks and simulations, plus web mode.
import { UsageError } from './args';

const USAGE = `usage: raft-lab <command> [options]

commands:
  web [--port P] [--nodes N] [--record FILE] [--bugs a,b]   serve the lab UI on http://127.0.0.1 (web mode)
  chaos --nodes N --seconds S --clients C --keys K --faults kill,pause,partition,loss --seed X --history FILE [--data-dir DIR] [--bugs a,b]
                                  real processes, a workload and random faults (also split-vote, deposed-leader, vote-reboot);
                                  checks linearizability, lost writes and, live, Raft's invariants
  check FILE                      check a history file for linearizability (exit 0 ok, 1 not, 2 malformed)
  sim [--seeds N | --seed S] [--bench]   run the deterministic simulator
  bench --nodes N --clients C --seconds S [--vs-etcd]   write throughput and latency (fsync on)
  failover --trials T             kill the leader T times; time until the next acknowledged write
  experiment fig16 --out DIR [--nodes N] [--trials T] [--ranges a-b,c-d] [--delay a-b] [--cap-ms MS] [--seed S]
  experiment clients --out DIR [--nodes N] [--clients 1,2,...,64] [--seconds S] [--vs-etcd]
                                  the paper's Figure 16 / the write path against client count: CSV, SVG and JSON in DIR
  exercise list [--json] | check FILE | run ID|FILE [--all] | schema
                                  guided exercises: list, validate, play on a real cluster and check every goal
  demo list [--json] | check FILE | run ID|FILE [--all] | schema
                                  classroom demos: list, validate, play step by step and check every until:
`;

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  web: async () => (await import('./web')).runWebCommand,
  chaos: async () => (await import('./chaos')).runChaosCommand,
  check: async () => {
    const { runCheckCommand } = await import('./check');
    return (argv) => runCheckCommand(argv, { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) });
  },
  sim: async () => (await import('./sim')).runSimCommand,
  bench: async () => (await import('./bench')).runBenchCommand,
  failover: async () => (await import('./failover')).runFailoverCommand,
  experiment: async () => (await import('./experiment')).runExperimentCommand,
  exercise: async () => (await import('./exercise')).runExerciseCommand,
  demo: async () => (await import('./demo')).runDemoCommand,
};

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`raft-lab: unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`raft-lab ${name}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** Exits once what was written to stdout and stderr has been handed over (a pipe would otherwise cut a long output). */
function exitAfterOutput(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

runCli(process.argv.slice(2)).then(
  (code) => exitAfterOutput(code),
  (error: unknown) => {
    process.stderr.write(`raft-lab: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
