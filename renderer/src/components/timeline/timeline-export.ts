// Export the drawn timeline: SVG as drawn (theme colours resolved, since the file has no stylesheet), PNG by drawing
// that SVG onto a canvas.
import { downloadBlob } from '../../session/download';
import { svgToPng } from '../../session/svg-to-png';
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
  downloadBlob(filename, await svgToPng(timelineSvgText(layout, title), layout.widthPx, layout.heightPx, pixelRatio));
}
