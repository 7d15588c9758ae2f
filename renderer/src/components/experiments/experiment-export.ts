// Saving a run from the app: the rows as CSV and the figure as SVG, the same bytes `raft-lab experiment` writes;
// PNG by drawing that SVG onto a canvas at twice its size (sharp on projectors and in slides).
import { downloadBlob, downloadText, fileStamp } from '../../session/download';
import { svgToPng } from '../../session/svg-to-png';
import type { ClientsRow, ExperimentSpec, Fig16Row } from '../../../../src/protocol/experiments';
import { clientsCsv, fig16Csv } from '../../../../src/plot/csv';
import { figureHeight, renderFigureSvg, type Figure } from '../../../../src/plot/svg-figure';

export function exportName(spec: ExperimentSpec, extension: string, now = new Date()): string {
  return `raft-lab-${spec.kind}-${fileStamp(now)}.${extension}`;
}

export function exportCsv(spec: ExperimentSpec, fig16Rows: readonly Fig16Row[], clientsRows: readonly ClientsRow[]): void {
  downloadText(exportName(spec, 'csv'), spec.kind === 'fig16' ? fig16Csv(fig16Rows) : clientsCsv(clientsRows), 'text/csv');
}

export function exportSvg(spec: ExperimentSpec, figure: Figure): void {
  downloadText(exportName(spec, 'svg'), renderFigureSvg(figure), 'image/svg+xml');
}

export async function exportPng(spec: ExperimentSpec, figure: Figure, pixelRatio = 2): Promise<void> {
  downloadBlob(exportName(spec, 'png'), await svgToPng(renderFigureSvg(figure), figure.width, figureHeight(figure), pixelRatio));
}
