// Our Figure 16: one CDF per election-timeout range of the time without a leader after the leader is killed (or of
// the time to the next acknowledged write), in the paper's two graphs — randomness varied at a 150 ms minimum (top,
// log time axis: no randomness can take seconds) and timeouts scaled (bottom) — with the paper's reported numbers
// drawn on the lines they belong to.
import type { Fig16Row, TimeoutRange } from '../protocol/experiments';
import { PAPER_RANDOMNESS_RANGES, PAPER_SCALE_RANGES, rangeLabel } from '../protocol/experiments';
import { cdfPoints } from './cdf';
import { colorAt } from './palette';
import { describeReported, PAPER_REPORTED, PAPER_SOURCE } from './paper-figure16';
import type { Figure, Marker, Panel, Series } from './svg-figure';

export type Fig16Metric = 'electionMs' | 'writeMs';

export interface Fig16FigureInput {
  readonly ranges: readonly TimeoutRange[];
  readonly rows: readonly Fig16Row[];
  readonly metric: Fig16Metric;
  /** Lines of context: nodes, trials, network delay, load average. */
  readonly subtitle: readonly string[];
}

const TOP = new Set(PAPER_RANDOMNESS_RANGES.map(rangeLabel));
const BOTTOM = new Set(PAPER_SCALE_RANGES.map(rangeLabel));

/** Which graph a range belongs in: 150-300 is in both, as in the paper; any other range goes by its minimum. */
export function panelsOf(range: TimeoutRange): ('top' | 'bottom')[] {
  const label = rangeLabel(range);
  const panels: ('top' | 'bottom')[] = [];
  if (TOP.has(label)) panels.push('top');
  if (BOTTOM.has(label)) panels.push('bottom');
  if (panels.length === 0) panels.push(range[0] === 150 ? 'top' : 'bottom');
  return panels;
}

export function fig16Figure(input: Fig16FigureInput): Figure {
  const colors = new Map(input.ranges.map((range, index) => [rangeLabel(range), colorAt(index)]));
  const byRange = new Map<string, (number | null)[]>();
  for (const row of input.rows) {
    const values = byRange.get(row.range) ?? [];
    values.push(row[input.metric]);
    byRange.set(row.range, values);
  }
  const what = input.metric === 'electionMs' ? 'time without a leader' : 'time to the next acknowledged write';
  const panels: Panel[] = [];
  for (const which of ['top', 'bottom'] as const) {
    const ranges = input.ranges.filter((range) => panelsOf(range).includes(which));
    if (ranges.length === 0) continue;
    panels.push(panel(which, ranges, byRange, colors, input.metric, what));
  }
  return {
    title: input.metric === 'electionMs' ? 'Figure 16, measured: time to detect and replace a crashed leader'
      : 'After the leader is killed: time to the next acknowledged write',
    subtitle: input.subtitle,
    panels,
    footer: ['Lines: measured here (cumulative % of trials). Diamonds (a quantile) and ticks (a mean): numbers the paper reports in its text,',
      `not measured here: ${PAPER_SOURCE}.`],
    width: 900,
    plotHeight: 260,
  };
}

function panel(which: 'top' | 'bottom', ranges: readonly TimeoutRange[], byRange: ReadonlyMap<string, (number | null)[]>,
  colors: ReadonlyMap<string, string>, metric: Fig16Metric, what: string): Panel {
  const series: Series[] = [];
  const notes: string[] = [];
  const xs: number[] = [];
  for (const range of ranges) {
    const label = rangeLabel(range);
    const values = byRange.get(label) ?? [];
    const points = cdfPoints(values);
    for (const [x] of points) xs.push(x);
    const censored = values.filter((value) => value === null).length;
    series.push({ name: `${label} ms (${values.length} trial${values.length === 1 ? '' : 's'})`, color: colors.get(label) ?? '#000000', points, shape: 'step' });
    if (censored > 0) notes.push(`${label} ms: ${censored} of ${values.length} trials reached no result within the cap (the line stops below 100%).`);
  }
  // Reported numbers are about leader election; they are drawn only on the election graph, for ranges we ran.
  const markers: Marker[] = metric !== 'electionMs' ? [] : PAPER_REPORTED
    .filter((reported) => ranges.some((range) => rangeLabel(range) === reported.range))
    .map((reported) => ({
      x: reported.ms,
      y: reported.stat === 'median' ? 0.5 : reported.stat === 'max' ? 1 : reported.stat === 'all-above' ? 0 : null,
      label: describeReported(reported),
      color: colors.get(reported.range) ?? '#000000',
    }));
  if (metric === 'electionMs' && markers.length === 0) {
    notes.push(`The paper's text reports no number for ${ranges.map(rangeLabel).join(', ')} ms (its curves are not published as data).`);
  }
  for (const marker of markers) xs.push(marker.x);
  const low = xs.length > 0 ? Math.min(...xs) : 10;
  const high = xs.length > 0 ? Math.max(...xs) : 1000;
  const log = which === 'top';
  return {
    title: which === 'top' ? 'Randomness in the election timeout (minimum 150 ms)' : 'Scaled election timeouts',
    xLabel: `${what} (ms${log ? ', log scale' : ''})`,
    yLabel: 'cumulative % of trials',
    xScale: log ? 'log' : 'linear',
    xDomain: log ? [Math.max(1, low / 1.3), Math.max(high * 1.3, low * 4)] : [0, Math.max(10, high * 1.08)],
    yDomain: [0, 1],
    yFormat: 'percent',
    series,
    markers,
    notes,
  };
}
