// The figure for an experiment's state, with the context a reader needs printed on it: cluster size, trials, the
// network delay used, and the machine's load average (a shared 2-core machine moves every number).
import type { ClientsRow, ExperimentState, Fig16Row, Fig16Spec, ClientsSpec, MachineLoad } from '../protocol/experiments';
import { clientsFigure } from './clients-figure';
import { fig16Figure, type Fig16Metric } from './fig16-figure';
import type { Figure } from './svg-figure';

export function loadText(start: MachineLoad | null, end: MachineLoad | null): string {
  const one = (load: MachineLoad): string => load.loadAverage.map((value) => value.toFixed(2)).join(' / ');
  if (!start) return '';
  return `load average (1/5/15 min) ${one(start)} at start${end ? `, ${one(end)} at end` : ''}; ${start.cpus} cores`;
}

export function fig16Subtitle(spec: Fig16Spec, rows: number, start: MachineLoad | null, end: MachineLoad | null): string[] {
  const [low, high] = spec.networkDelayMs;
  const delay = high === 0 ? 'no added network delay' : `network delay ${low === high ? low : `${low}–${high}`} ms per message`;
  return [
    `${spec.nodes} node processes on this machine, time scale 1, ${delay}, heartbeat = half the minimum timeout; ` +
      `${rows} trials (${spec.trials} per range), cap ${spec.capMs / 1000} s, seed ${spec.seed}`,
    loadText(start, end),
  ].filter((line) => line !== '');
}

export function clientsSubtitle(spec: ClientsSpec, start: MachineLoad | null, end: MachineLoad | null): string[] {
  return [`${spec.nodes} node processes, ${spec.seconds} s per point after 1 s of warm-up, fsync on`, loadText(start, end)]
    .filter((line) => line !== '');
}

export function fig16FigureFor(spec: Fig16Spec, rows: readonly Fig16Row[], metric: Fig16Metric, start: MachineLoad | null,
  end: MachineLoad | null): Figure {
  return fig16Figure({ ranges: spec.ranges, rows, metric, subtitle: fig16Subtitle(spec, rows.length, start, end) });
}

export function clientsFigureFor(spec: ClientsSpec, rows: readonly ClientsRow[], start: MachineLoad | null, end: MachineLoad | null): Figure {
  return clientsFigure(rows, clientsSubtitle(spec, start, end));
}

/** The figure of a whole state (rows from 0), or null before anything runs. */
export function figureOfState(state: ExperimentState, metric: Fig16Metric = 'electionMs'): Figure | null {
  const spec = state.spec;
  if (!spec) return null;
  return spec.kind === 'fig16'
    ? fig16FigureFor(spec, state.fig16Rows, metric, state.loadAtStart, state.loadAtEnd)
    : clientsFigureFor(spec, state.clientsRows, state.loadAtStart, state.loadAtEnd);
}
