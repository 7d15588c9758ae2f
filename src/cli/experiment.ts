// `raft-lab experiment fig16|clients ...`: the paper's experiments on real processes, with a progress bar, written
// to DIR as CSV (one row per trial or point), SVG (the figure) and JSON (summary). Ctrl-C cancels: the nodes are
// stopped and what was measured so far is still written.
import { LabController } from '../lab/controller';
import { CANCEL_GRACE_MS, ExperimentRunner } from '../lab/experiments/experiment-runner';
import { writeExperimentOutputs } from '../lab/experiments/outputs';
import { describeLoad } from '../lab/experiments/machine-load';
import { installShutdownHooks } from '../lab/shutdown-hooks';
import { rangeLabel, type ExperimentSpec, type ExperimentState, type Fig16Row } from '../protocol/experiments';
import { MAX_HEADLESS_NODES } from '../protocol/lab-api';
import { formatCommandHelp } from './command-spec';
import { parseExperimentOptions } from './options/experiment';
import { ProgressBar } from './progress-bar';

/** After a cancel, writing the CSV, SVG and JSON of what was measured; the shutdown hook waits for both. */
const SAVE_GRACE_MS = 5000;

export async function runExperimentCommand(argv: readonly string[]): Promise<number> {
  const commandLine = parseExperimentOptions(argv);
  if (commandLine.help) {
    process.stdout.write(formatCommandHelp(commandLine.help));
    return 0;
  }
  const { spec, out } = commandLine;
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
  const bar = new ProgressBar();
  let shownRows = 0;
  const runner: ExperimentRunner = new ExperimentRunner(
    () => LabController.create({ maxNodes: MAX_HEADLESS_NODES, windowEvents: 1000, eventDetail: 'quiet' }),
    () => {
      const state = runner.state(shownRows);
      if (state.fig16Rows.length + state.clientsRows.length > 0) bar.clear();
      for (const row of state.fig16Rows) print(describeTrial(row));
      for (const row of state.clientsRows) print(`${row.system} ${row.clients} clients: ${row.opsPerSecond.toFixed(0)} writes/s, p50 ${row.p50Ms.toFixed(2)} ms, p99 ${row.p99Ms.toFixed(2)} ms`);
      shownRows = state.rowCount;
      bar.update(state.progress);
    },
  );
  const save = (state: ExperimentState): void => {
    bar.clear();
    const files = writeExperimentOutputs(out, state);
    print(`wrote ${[files.csv, files.svg, files.writeSvg, files.json].filter(Boolean).join(', ')}`);
  };
  // Ctrl-C cancels the run; the main flow below then writes what was measured, and the hook exits once it has.
  let markSaved = (): void => undefined;
  const saved = new Promise<void>((resolve) => { markSaved = resolve; });
  installShutdownHooks(async () => {
    await runner.cancel();
    await saved;
  }, () => runner.killAllNow(), CANCEL_GRACE_MS + SAVE_GRACE_MS);
  const started = runner.start(spec);
  print(`experiment ${spec.kind}: ${describeSpec(spec)}; ${started.loadAtStart ? describeLoad(started.loadAtStart) : ''}`);
  const ticker = setInterval(() => bar.update(runner.state(Number.MAX_SAFE_INTEGER).progress), 1000);
  let state: ExperimentState;
  try {
    state = await runner.finished();
  } finally {
    clearInterval(ticker);
  }
  for (const note of state.notes) print(`note: ${note}`);
  save(state);
  markSaved();
  if (state.status === 'failed') process.stderr.write(`raft-lab experiment: ${state.error ?? 'failed'}\n`);
  print(JSON.stringify({ status: state.status, rows: state.rowCount, elapsedMs: Math.round(state.progress.elapsedMs),
    loadAtStart: state.loadAtStart?.loadAverage, loadAtEnd: state.loadAtEnd?.loadAverage,
    ranges: state.fig16Summary.map((summary) => ({ range: summary.range, electionP50Ms: round(summary.election.p50Ms),
      electionMeanMs: round(summary.election.meanMs), electionMaxMs: round(summary.election.maxMs), censored: summary.election.censored,
      writeP50Ms: round(summary.write.p50Ms) })) }));
  return state.status === 'done' ? 0 : state.status === 'cancelled' ? 130 : 1;
}

function describeSpec(spec: ExperimentSpec): string {
  if (spec.kind === 'clients') return `${spec.nodes} nodes, clients ${spec.clients.join(',')}, ${spec.seconds} s per point${spec.vsEtcd ? ', vs etcd' : ''}`;
  const [low, high] = spec.networkDelayMs;
  return `${spec.nodes} nodes, ${spec.trials} trials per range, ranges ${spec.ranges.map(rangeLabel).join(',')}, ` +
    `network delay ${low}-${high} ms, cap ${spec.capMs} ms, seed ${spec.seed}`;
}

function describeTrial(row: Fig16Row): string {
  const ms = (value: number | null): string => (value === null ? 'none within the cap' : `${value.toFixed(1)} ms`);
  return `${row.range} trial ${row.trial}: new leader ${ms(row.electionMs)}, next write ${ms(row.writeMs)}` +
    `${row.terms === null ? '' : `, ${row.terms} term${row.terms === 1 ? '' : 's'}`}`;
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}
