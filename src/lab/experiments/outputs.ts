// What a finished (or cancelled) run leaves in its output folder: the rows as CSV, the figure as SVG, and a JSON
// summary with the spec, the machine's load, per-range statistics and the paper's reported numbers beside them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentState } from '../../protocol/experiments';
import { clientsCsv, fig16Csv } from '../../plot/csv';
import { figureOfState } from '../../plot/experiment-figures';
import { PAPER_REPORTED, PAPER_SETUP, PAPER_SOURCE } from '../../plot/paper-figure16';
import { renderFigureSvg } from '../../plot/svg-figure';

export interface WrittenFiles {
  readonly csv: string;
  readonly svg: string;
  readonly json: string;
  /** Figure 16 only: the same CDFs for the time to the next acknowledged write. */
  readonly writeSvg?: string;
}

export function writeExperimentOutputs(dir: string, state: ExperimentState): WrittenFiles {
  const spec = state.spec;
  if (!spec) throw new Error('nothing has run: no outputs to write');
  mkdirSync(dir, { recursive: true });
  const name = spec.kind;
  const files: WrittenFiles = { csv: join(dir, `${name}.csv`), svg: join(dir, `${name}.svg`), json: join(dir, `${name}.json`),
    ...(spec.kind === 'fig16' ? { writeSvg: join(dir, 'fig16-write.svg') } : {}) };
  writeFileSync(files.csv, spec.kind === 'fig16' ? fig16Csv(state.fig16Rows) : clientsCsv(state.clientsRows));
  const figure = figureOfState(state);
  if (figure) writeFileSync(files.svg, renderFigureSvg(figure));
  const writeFigure = figureOfState(state, 'writeMs');
  if (files.writeSvg && writeFigure) writeFileSync(files.writeSvg, renderFigureSvg(writeFigure));
  writeFileSync(files.json, `${JSON.stringify(summaryJson(state), null, 2)}\n`);
  return files;
}

export function summaryJson(state: ExperimentState): Record<string, unknown> {
  const spec = state.spec;
  const common = { experiment: spec?.kind ?? null, status: state.status, error: state.error, spec,
    elapsedMs: Math.round(state.progress.elapsedMs), loadAtStart: state.loadAtStart, loadAtEnd: state.loadAtEnd, notes: state.notes };
  if (spec?.kind !== 'fig16') return { ...common, points: state.clientsRows };
  return {
    ...common,
    trials: state.fig16Rows.length,
    ranges: state.fig16Summary.map((summary) => ({
      ...summary,
      paperReported: PAPER_REPORTED.filter((reported) => reported.range === summary.range),
    })),
    paper: { source: PAPER_SOURCE, setup: PAPER_SETUP, reported: PAPER_REPORTED,
      note: 'reported: numbers the paper states in its text; everything else here is measured by this run' },
  };
}
