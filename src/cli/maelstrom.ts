// `raft-lab maelstrom`: a student's own Raft (any executable speaking Maelstrom's protocol, docs/byo-raft.md) as real
// processes, Maelstrom's lin-kv workload and the chaos fault schedule; then heal, check and summarise. The last
// stdout line is a JSON summary. Exit 0 only if every check passed, 1 if a check failed (the smallest failing set of
// operations is printed), 2 if the binary could not be run or broke the protocol (with its stderr). With --report,
// the grading scenarios run after it and count too.
import { writeFileSync } from 'node:fs';
import { runMaelstrom, type MaelstromRunResult } from '../lab/maelstrom/maelstrom-run';
import { gradingScenarios, judge, type FaultMarks, type ScenarioOutcome } from '../lab/maelstrom/grading-scenarios';
import { gradingReportHtml } from '../lab/maelstrom/grading-report';
import { formatCommandHelp } from './command-spec';
import { maelstromCommand, parseMaelstromOptions, type MaelstromOptions } from './options/maelstrom';

/** Each grading scenario runs this long at most (the run's --seconds if shorter). */
const SCENARIO_SECONDS = 4;

export async function runMaelstromCommand(argv: readonly string[]): Promise<number> {
  const options = parseMaelstromOptions(argv);
  if (options === 'help') {
    process.stdout.write(formatCommandHelp(maelstromCommand));
    return 0;
  }
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const result = await runMaelstrom({ ...options, historyFile: options.history, log });
  if (options.report === undefined) {
    log(JSON.stringify(result.summary));
    return result.exitCode;
  }
  const outcomes = await gradingRuns(options, result, log);
  writeFileSync(options.report, gradingReportHtml(`Raft Lab grading report: ${[options.bin, ...options.args].join(' ')}`, outcomes));
  const failed = outcomes.filter((outcome) => !outcome.passed);
  log(`maelstrom: report written to ${options.report}: ${outcomes.length - failed.length} of ${outcomes.length} scenarios passed` +
    (failed.length > 0 ? ` (failed: ${failed.map((outcome) => outcome.scenario.id).join(', ')})` : ''));
  log(JSON.stringify({ ...result.summary, scenarios: { passed: outcomes.length - failed.length, failed: failed.map((outcome) => outcome.scenario.id) } }));
  if (result.exitCode === 2 || outcomes.some((outcome) => outcome.result.exitCode === 2)) return 2;
  return failed.length > 0 ? 1 : 0;
}

/** The run itself first, then every scenario that fits the cluster's size (none if the nodes could not start). */
async function gradingRuns(options: MaelstromOptions, main: MaelstromRunResult, log: (line: string) => void): Promise<ScenarioOutcome[]> {
  const own: ScenarioOutcome = { scenario: { id: 'your-run', title: `Your run (faults: ${options.faults.join(', ') || 'none'}, seed ${options.seed})`,
    needsProgress: false, minNodes: 1, plan: () => async () => undefined }, passed: main.exitCode === 0,
  why: main.exitCode === 0 ? 'every check passed' : main.record.explanation ?? 'the nodes could not be run or broke the protocol', result: main };
  if (main.summary.ops === 0 && main.exitCode === 2) return [own];
  const outcomes = [own];
  const seconds = Math.min(options.seconds, SCENARIO_SECONDS);
  for (const scenario of gradingScenarios(options.seed).filter((candidate) => candidate.minNodes <= options.nodes)) {
    log(`maelstrom: scenario ${scenario.id}: ${scenario.title}`);
    const marks: FaultMarks = { faultAtNs: null };
    // Where the majority must go on, one client follows the leader the lab knows: with every client on a random node,
    // a correct Raft whose followers answer 11 got only a few writes acknowledged in the fault's seconds (2-13 in 8
    // runs of elections-partition on the example Raft at load 19), and now and then none: a failed scenario.
    const result = await runMaelstrom({ ...options, seconds, faults: [], plan: scenario.plan(seconds, marks), historyFile: undefined,
      dataDir: undefined, leaderFollowingClients: scenario.needsProgress ? 1 : 0, log: (line) => log(`  ${line}`) });
    const outcome = judge(scenario, result, marks);
    log(`maelstrom: scenario ${scenario.id}: ${outcome.passed ? 'PASS' : `FAIL: ${outcome.why}`}`);
    outcomes.push(outcome);
  }
  return outcomes;
}
