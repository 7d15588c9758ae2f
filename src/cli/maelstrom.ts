// `raft-lab maelstrom`: a student's own Raft (any executable speaking Maelstrom's protocol, docs/byo-raft.md) as real
// processes, Maelstrom's lin-kv workload and the chaos fault schedule; then heal, check and summarise. The last
// stdout line is a JSON summary. Exit 0 only if every check passed, 1 if a check failed (the smallest failing set of
// operations is printed), 2 if the binary could not be run or broke the protocol (with its stderr).
import { runMaelstrom } from '../lab/maelstrom/maelstrom-run';
import { formatCommandHelp } from './command-spec';
import { maelstromCommand, parseMaelstromOptions } from './options/maelstrom';

export async function runMaelstromCommand(argv: readonly string[]): Promise<number> {
  const options = parseMaelstromOptions(argv);
  if (options === 'help') {
    process.stdout.write(formatCommandHelp(maelstromCommand));
    return 0;
  }
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const result = await runMaelstrom({ ...options, ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }), historyFile: options.history, log });
  log(JSON.stringify(result.summary));
  return result.exitCode;
}
