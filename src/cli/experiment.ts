// `raft-lab experiment fig16|clients ...`: the paper's experiments on real processes, with a progress bar, written
// to DIR as CSV (one row per trial or point), SVG (the figure) and JSON (summary). Ctrl-C cancels: the nodes are
// stopped and what was measured so far is still written.
import { LabController } from '../lab/controller';
import { ExperimentRunner } from '../lab/experiments/experiment-runner';
import { writeExperimentOutputs } from '../lab/experiments/outputs';
import { describeLoad } from '../lab/experiments/machine-load';
import { installShutdownHooks } from '../lab/shutdown-hooks';
import {
  DEFAULT_CLIENT_COUNTS, PAPER_RANDOMNESS_RANGES, PAPER_SCALE_RANGES, experimentSpecSchema, parseRanges, rangeLabel,
  type ExperimentSpec, type ExperimentState, type Fig16Row, type TimeoutRange,
} from '../protocol/experiments';
import { MAX_HEADLESS_NODES } from '../protocol/lab-api';
import { parseFlags, UsageError } from './args';
import { ProgressBar } from './progress-bar';

const USAGE = 'usage: raft-lab experiment fig16 --out DIR [--nodes N] [--trials T] [--ranges a-b,c-d] [--delay a-b] [--cap-ms MS] [--seed S]\n' +
  '       raft-lab experiment clients --out DIR [--nodes N] [--clients 1,2,4,...] [--seconds S] [--vs-etcd]';

/** Every line of Figure 16 once (150-300 is in both of the paper's graphs). */
export const ALL_PAPER_RANGES: readonly TimeoutRange[] = [...PAPER_RANDOMNESS_RANGES,
  ...PAPER_SCALE_RANGES.filter((range) => !PAPER_RANDOMNESS_RANGES.some((top) => rangeLabel(top) === rangeLabel(range)))];

export async function runExperimentCommand(argv: readonly string[]): Promise<number> {
  const [kind, ...rest] = argv;
  const { spec, out } = kind === 'fig16' ? parseFig16(rest) : kind === 'clients' ? parseClients(rest) : usage(kind);
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
  }, () => runner.killAllNow());
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

function parseFig16(argv: readonly string[]): { spec: ExperimentSpec; out: string } {
  const { flags, positional } = parseFlags(argv, { nodes: 'number', trials: 'number', ranges: 'string', delay: 'string',
    'cap-ms': 'number', seed: 'number', out: 'string' });
  if (positional.length > 0) throw new UsageError(`unexpected argument: ${positional[0]}\n${USAGE}`);
  if (!flags.out) throw new UsageError(`--out DIR is required\n${USAGE}`);
  const ranges = flags.ranges === undefined ? [...ALL_PAPER_RANGES] : attempt(() => parseRanges(flags.ranges ?? ''));
  const delay = flags.delay === undefined ? [0, 0] : attempt(() => parseRanges(flags.delay ?? ''))[0];
  return { out: flags.out, spec: validate({ kind: 'fig16', nodes: flags.nodes ?? 5, trials: flags.trials ?? 100, ranges,
    networkDelayMs: delay, capMs: flags['cap-ms'] ?? 10_000, seed: flags.seed ?? 1 }) };
}

function parseClients(argv: readonly string[]): { spec: ExperimentSpec; out: string } {
  const { flags, positional } = parseFlags(argv, { nodes: 'number', clients: 'string', seconds: 'number', 'vs-etcd': 'boolean', out: 'string' });
  if (positional.length > 0) throw new UsageError(`unexpected argument: ${positional[0]}\n${USAGE}`);
  if (!flags.out) throw new UsageError(`--out DIR is required\n${USAGE}`);
  const clients = flags.clients === undefined ? [...DEFAULT_CLIENT_COUNTS] : flags.clients.split(',').map((part) => Number(part.trim()));
  return { out: flags.out, spec: validate({ kind: 'clients', nodes: flags.nodes ?? 3, clients, seconds: flags.seconds ?? 5,
    vsEtcd: flags['vs-etcd'] ?? false }) };
}

function validate(spec: unknown): ExperimentSpec {
  const parsed = experimentSpecSchema.safeParse(spec);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'spec'}: ${issue.message}`).join('; '));
  return parsed.data;
}

function attempt<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function usage(kind: string | undefined): never {
  throw new UsageError(kind === undefined ? USAGE : `unknown experiment "${kind}"\n${USAGE}`);
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
