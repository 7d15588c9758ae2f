// Export the drawn timeline: SVG as drawn (theme colours resolved, since the file has no stylesheet), PNG by drawing
// that SVG onto a canvas.
import { downloadBlob } from '../../session/download';
import type { TimelineLayout } from './timeline-layout';
import { renderTimelineSvgDocument, type Paint } from './timeline-svg';

const FALLBACK_COLOURS: Readonly<Record<string, string>> = {
  fg: '#1c1c1c', muted: '#666666', border: '#b9b9b9', panel: '#ffffff', leader: '#0a6ebd', candidate: '#b35c00',
  'error-fg': '#7a1212',
};

export function resolvedPaint(root: Element = document.documentElement): Paint {
  const style = getComputedStyle(root);
  return (variable) => style.getPropertyValue(`--${variable}`).trim() || FALLBACK_COLOURS[variable] || '#808080';
}

export function timelineSvgText(layout: TimelineLayout, title: string): string {
  return renderTimelineSvgDocument(layout, resolvedPaint(), title);
}

export function exportTimelineSvg(layout: TimelineLayout, title: string, filename: string): void {
  downloadBlob(filename, new Blob([timelineSvgText(layout, title)], { type: 'image/svg+xml' }));
}

export async function exportTimelinePng(layout: TimelineLayout, title: string, filename: string, pixelRatio = 2): Promise<void> {
  const url = URL.createObjectURL(new Blob([timelineSvgText(layout, title)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the timeline could not be drawn as an image'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(layout.widthPx * pixelRatio);
    canvas.height = Math.ceil(layout.heightPx * pixelRatio);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser cannot draw on a canvas');
    context.scale(pixelRatio, pixelRatio);
    context.drawImage(image, 0, 0);
    const png = await new Promise<Blob>((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the PNG could not be encoded'))), 'image/png');
    });
    downloadBlob(filename, png);
  } finally {
    URL.revokeObjectURL(url);
  }
}
