// The paper's experiments as data that crosses the LabApi: what to run (a spec, validated like every other call),
// and what the lab reports back while it runs (progress, result rows, summaries). The CLI writes the same rows and
// summaries to files, and the app draws the same figures from them (src/plot).
import { z } from 'zod';
import { MAX_HEADLESS_NODES } from './lab-api';
import type { NetworkDelayMs } from './lab-clock';
import { networkDelaySchema } from './lab-clock-schema';

/** An election-timeout range as the paper writes it, "150–155 ms": every whole millisecond from min to max. */
export type TimeoutRange = readonly [number, number];

/** Figure 16's lines: the top graph varies the randomness, the bottom graph scales the timeouts. */
export const PAPER_RANDOMNESS_RANGES: readonly TimeoutRange[] = [[150, 150], [150, 151], [150, 155], [150, 175], [150, 200], [150, 300]];
export const PAPER_SCALE_RANGES: readonly TimeoutRange[] = [[12, 24], [25, 50], [50, 100], [100, 200], [150, 300]];

export const MAX_FIG16_TRIALS = 1000;
export const MAX_FIG16_RANGES = 12;
/** Client counts of the write-path sweep (and the most any one point may use). */
export const DEFAULT_CLIENT_COUNTS: readonly number[] = [1, 2, 4, 8, 16, 32, 64];
export const MAX_SWEEP_CLIENTS = 64;
export const MAX_SWEEP_POINTS = 16;

export function rangeLabel([min, max]: TimeoutRange): string {
  return `${min}-${max}`;
}

/** "150-300,150-151" → [[150, 300], [150, 151]]; throws with the offending text. */
export function parseRanges(text: string): TimeoutRange[] {
  return text.split(',').map((part) => {
    const match = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(part);
    if (!match) throw new Error(`"${part}" is not a range like 150-300`);
    const range: TimeoutRange = [Number(match[1]), Number(match[2])];
    if (range[0] > range[1]) throw new Error(`range ${part}: min must not exceed max`);
    return range;
  });
}

const timeoutRangeSchema = z.tuple([z.number().int().min(10).max(10_000), z.number().int().min(10).max(10_000)])
  .refine(([min, max]) => min <= max, 'a timeout range needs min <= max');

export const fig16SpecSchema = z.strictObject({
  kind: z.literal('fig16'),
  nodes: z.number().int().min(3).max(9),
  trials: z.number().int().min(1).max(MAX_FIG16_TRIALS),
  ranges: z.array(timeoutRangeSchema).min(1).max(MAX_FIG16_RANGES),
  /** Lab ms added to every peer message (the paper's cluster had a ~15 ms broadcast time); [0, 0] by default. */
  networkDelayMs: networkDelaySchema,
  /** A trial with no leader (or no acknowledged write) this long after the kill is recorded as censored. */
  capMs: z.number().int().min(1000).max(120_000),
  /** Seeds the nodes' timers and the moment of each kill, so a run can be repeated. */
  seed: z.number().int().min(0).max(2 ** 31 - 1),
});

export const clientsSpecSchema = z.strictObject({
  kind: z.literal('clients'),
  nodes: z.number().int().min(1).max(MAX_HEADLESS_NODES),
  clients: z.array(z.number().int().min(1).max(MAX_SWEEP_CLIENTS)).min(1).max(MAX_SWEEP_POINTS),
  seconds: z.number().min(0.5).max(120),
  /** Also measure etcd (when an `etcd` binary is installed) at every client count. */
  vsEtcd: z.boolean(),
});

export const experimentSpecSchema = z.discriminatedUnion('kind', [fig16SpecSchema, clientsSpecSchema]);

export type Fig16Spec = z.infer<typeof fig16SpecSchema>;
export type ClientsSpec = z.infer<typeof clientsSpecSchema>;
export type ExperimentSpec = Fig16Spec | ClientsSpec;

export const DEFAULT_FIG16_SPEC: Fig16Spec = {
  kind: 'fig16', nodes: 5, trials: 20, ranges: [[150, 300], [150, 155]], networkDelayMs: [0, 0], capMs: 10_000, seed: 1,
};
export const DEFAULT_CLIENTS_SPEC: ClientsSpec = { kind: 'clients', nodes: 3, clients: [...DEFAULT_CLIENT_COUNTS], seconds: 3, vsEtcd: false };

/** One Figure 16 trial: the leader was killed; how long until a new leader, and until the next acknowledged write. */
export interface Fig16Row {
  readonly range: string;
  readonly trial: number;
  /** null: no new leader within the cap (censored). */
  readonly electionMs: number | null;
  /** null: no write acknowledged within the cap (censored). */
  readonly writeMs: number | null;
  /** Terms the election took (1: the first candidate won; more: split votes or lost elections); null if censored. */
  readonly terms: number | null;
}

/** One point of the write-path sweep. */
export interface ClientsRow {
  readonly system: 'raft-lab' | 'etcd';
  readonly clients: number;
  readonly opsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

export interface Distribution {
  readonly count: number;
  /** Trials without a value within the cap. */
  readonly censored: number;
  readonly minMs: number | null;
  readonly p50Ms: number | null;
  readonly meanMs: number | null;
  readonly p90Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
}

export interface Fig16RangeSummary {
  readonly range: string;
  readonly electionTimeoutMs: TimeoutRange;
  readonly heartbeatMs: number;
  readonly election: Distribution;
  readonly write: Distribution;
}

export type ExperimentStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

export interface ExperimentProgress {
  /** Work done and to do, in the experiment's units (trials, or seconds of load). */
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
  /** Estimated time left; null until something is done. */
  readonly etaMs: number | null;
  /** What runs now, in words. */
  readonly current: string;
}

/** The 1-, 5- and 15-minute load averages (os.loadavg()) and the machine's core count. */
export interface MachineLoad {
  readonly loadAverage: readonly [number, number, number];
  readonly cpus: number;
}

export interface ExperimentState {
  readonly status: ExperimentStatus;
  readonly spec: ExperimentSpec | null;
  readonly progress: ExperimentProgress;
  /** Rows from `fromRow` on (the caller asks for what it has not seen yet), and how many there are in all. */
  readonly fromRow: number;
  readonly rowCount: number;
  readonly fig16Rows: readonly Fig16Row[];
  readonly clientsRows: readonly ClientsRow[];
  /** Per range, once the range is done. */
  readonly fig16Summary: readonly Fig16RangeSummary[];
  /** Why the clients sweep has no etcd line, when it was asked for one. */
  readonly notes: readonly string[];
  readonly loadAtStart: MachineLoad | null;
  readonly loadAtEnd: MachineLoad | null;
  readonly error: string | null;
}

/** 75 s → "1:15", an hour and more → "1:02:03": elapsed time and ETA, on the terminal and in the app alike. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function idleExperimentState(): ExperimentState {
  return { status: 'idle', spec: null, progress: { done: 0, total: 0, elapsedMs: 0, etaMs: null, current: '' }, fromRow: 0,
    rowCount: 0, fig16Rows: [], clientsRows: [], fig16Summary: [], notes: [], loadAtStart: null, loadAtEnd: null, error: null };
}

export type { NetworkDelayMs };
