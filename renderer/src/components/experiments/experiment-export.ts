// Saving a run from the app: the rows as CSV and the figure as SVG, the same bytes `raft-lab experiment` writes;
// PNG by drawing that SVG onto a canvas at twice its size (sharp on projectors and in slides).
import { downloadBlob, downloadText, fileStamp } from '../../session/download';
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
  const url = URL.createObjectURL(new Blob([renderFigureSvg(figure)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the figure could not be drawn as an image'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(figure.width * pixelRatio);
    canvas.height = Math.ceil(figureHeight(figure) * pixelRatio);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser cannot draw on a canvas');
    context.scale(pixelRatio, pixelRatio);
    context.drawImage(image, 0, 0);
    const png = await new Promise<Blob>((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the PNG could not be encoded'))), 'image/png');
    });
    downloadBlob(exportName(spec, 'png'), png);
  } finally {
    URL.revokeObjectURL(url);
  }
}
