// A figure of stacked line-chart panels, rendered to one standalone SVG document (a string). d3-scale picks the
// scales and ticks and d3-shape draws the lines; nothing here touches a DOM, so the command line (Node) and the app
// (the browser) produce the same bytes from the same data, and the app's export is exactly what it shows.
import { scaleLinear, scaleLog } from 'd3-scale';
import { curveLinear, curveStepAfter, line } from 'd3-shape';

export type Point = readonly [number, number];

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly Point[];
  /** A CDF is a staircase (it jumps at each sample); a sweep is joined by straight segments with a dot per point. */
  readonly shape: 'step' | 'line';
  readonly dashed?: boolean;
}

/** A number someone reported (the paper), drawn over our lines: a diamond at (x, y), or a tick for a mean (no y). */
export interface Marker {
  readonly x: number;
  readonly y: number | null;
  readonly label: string;
  readonly color: string;
}

export interface Panel {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xScale: 'linear' | 'log';
  readonly xDomain: readonly [number, number];
  /** Where to label the x axis, when the data has its own natural values (client counts); else chosen by the scale. */
  readonly xTicks?: readonly number[];
  readonly yDomain: readonly [number, number];
  readonly yFormat: 'percent' | 'number';
  readonly series: readonly Series[];
  readonly markers: readonly Marker[];
  /** Lines of small print under the panel title (what is reported vs measured, censored trials). */
  readonly notes: readonly string[];
}

export interface Figure {
  readonly title: string;
  readonly subtitle: readonly string[];
  readonly panels: readonly Panel[];
  readonly footer: readonly string[];
  readonly width: number;
  readonly plotHeight: number;
}

const MARGIN = { left: 64, right: 230, top: 12, bottom: 44 };
const LINE_HEIGHT = 15;
const FONT = 'font-family="Helvetica, Arial, sans-serif"';
const INK = '#1c1c1c';
const MUTED = '#5a5a5a';
const GRID = '#e3e3e3';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Height of the whole document for a figure (the app sizes its frame with it). */
export function figureHeight(figure: Figure): number {
  const header = 28 + figure.subtitle.length * LINE_HEIGHT;
  const panels = figure.panels.reduce((sum, panel) => sum + panelHeight(figure, panel), 0);
  return header + panels + figure.footer.length * LINE_HEIGHT + 10;
}

function panelHeight(figure: Figure, panel: Panel): number {
  return 22 + panel.notes.length * LINE_HEIGHT + MARGIN.top + figure.plotHeight + MARGIN.bottom;
}

export function renderFigureSvg(figure: Figure): string {
  const height = figureHeight(figure);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${figure.width}" height="${height}" viewBox="0 0 ${figure.width} ${height}" ${FONT}>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    text(12, 20, figure.title, { size: 15, weight: 'bold' }),
  ];
  let y = 28;
  for (const line of figure.subtitle) {
    y += LINE_HEIGHT;
    parts.push(text(12, y - 3, line, { size: 11, fill: MUTED }));
  }
  figure.panels.forEach((panel, index) => {
    parts.push(renderPanel(figure, panel, y, index));
    y += panelHeight(figure, panel);
  });
  for (const line of figure.footer) {
    y += LINE_HEIGHT;
    parts.push(text(12, y - 3, line, { size: 10, fill: MUTED }));
  }
  parts.push('</svg>');
  return parts.join('\n');
}

function renderPanel(figure: Figure, panel: Panel, top: number, index: number): string {
  const out: string[] = [`<g class="panel" data-panel="${index}">`];
  out.push(text(12, top + 16, panel.title, { size: 13, weight: 'bold' }));
  let y = top + 22;
  for (const note of panel.notes) {
    y += LINE_HEIGHT;
    out.push(text(12, y - 3, note, { size: 10.5, fill: MUTED }));
  }
  const plotTop = y + MARGIN.top;
  const plotLeft = MARGIN.left;
  const plotWidth = figure.width - MARGIN.left - MARGIN.right;
  const plotBottom = plotTop + figure.plotHeight;
  const x = panel.xScale === 'log'
    ? scaleLog().domain([Math.max(1e-3, panel.xDomain[0]), panel.xDomain[1]]).range([plotLeft, plotLeft + plotWidth])
    : scaleLinear().domain([...panel.xDomain]).range([plotLeft, plotLeft + plotWidth]);
  const yScale = scaleLinear().domain([...panel.yDomain]).range([plotBottom, plotTop]);
  const clipId = `clip-${index}`;
  out.push(`<clipPath id="${clipId}"><rect x="${plotLeft}" y="${plotTop - 4}" width="${plotWidth}" height="${figure.plotHeight + 8}"/></clipPath>`);
  // Grid and axes.
  const xTicks = panel.xTicks ?? (panel.xScale === 'log' ? logTicks(panel.xDomain) : scaleLinear().domain([...panel.xDomain]).ticks(8));
  for (const tick of xTicks) {
    const px = round(x(tick));
    out.push(`<line x1="${px}" x2="${px}" y1="${plotTop}" y2="${plotBottom}" stroke="${GRID}"/>`);
    out.push(text(px, plotBottom + 15, formatNumber(tick), { size: 10.5, anchor: 'middle', fill: MUTED }));
  }
  for (const tick of yScale.ticks(5)) {
    const py = round(yScale(tick));
    out.push(`<line x1="${plotLeft}" x2="${plotLeft + plotWidth}" y1="${py}" y2="${py}" stroke="${GRID}"/>`);
    out.push(text(plotLeft - 6, py + 3.5, panel.yFormat === 'percent' ? `${Math.round(tick * 100)}%` : formatNumber(tick),
      { size: 10.5, anchor: 'end', fill: MUTED }));
  }
  out.push(`<rect x="${plotLeft}" y="${plotTop}" width="${plotWidth}" height="${figure.plotHeight}" fill="none" stroke="${MUTED}"/>`);
  out.push(text(plotLeft + plotWidth / 2, plotBottom + 34, panel.xLabel, { size: 11.5, anchor: 'middle' }));
  out.push(`<text x="16" y="${round(plotTop + figure.plotHeight / 2)}" font-size="11.5" fill="${INK}" text-anchor="middle" ` +
    `transform="rotate(-90 16 ${round(plotTop + figure.plotHeight / 2)})">${escapeXml(panel.yLabel)}</text>`);
  // Lines, then the reported numbers on top.
  out.push(`<g clip-path="url(#${clipId})">`);
  for (const series of panel.series) {
    const path = line<Point>().x((p) => round(x(p[0]))).y((p) => round(yScale(p[1])))
      .curve(series.shape === 'step' ? curveStepAfter : curveLinear)(visible(series.points, panel));
    if (!path) continue;
    out.push(`<path class="series" data-series="${escapeXml(series.name)}" d="${path}" fill="none" stroke="${series.color}" ` +
      `stroke-width="2"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    if (series.shape === 'line') {
      for (const point of visible(series.points, panel)) {
        out.push(`<circle cx="${round(x(point[0]))}" cy="${round(yScale(point[1]))}" r="3" fill="${series.color}"/>`);
      }
    }
  }
  out.push('</g>');
  for (const marker of panel.markers) out.push(renderMarker(marker, x, yScale, plotBottom));
  out.push(renderLegend(panel, plotLeft + plotWidth + 14, plotTop));
  out.push('</g>');
  return out.join('\n');
}

function renderMarker(marker: Marker, x: (value: number) => number, y: (value: number) => number, plotBottom: number): string {
  const px = round(x(marker.x));
  const title = `<title>${escapeXml(marker.label)}</title>`;
  if (marker.y === null) {
    return `<g class="reported" data-reported="${escapeXml(marker.label)}">${title}<line x1="${px}" x2="${px}" y1="${plotBottom}" ` +
      `y2="${plotBottom - 28}" stroke="${marker.color}" stroke-width="3"/><path d="M${px - 5},${plotBottom - 34}h10l-5,7z" fill="${marker.color}"/></g>`;
  }
  const py = round(y(marker.y));
  return `<g class="reported" data-reported="${escapeXml(marker.label)}">${title}<path d="M${px},${py - 7}l7,7l-7,7l-7,-7z" ` +
    `fill="#ffffff" stroke="${marker.color}" stroke-width="2.5"/></g>`;
}

function renderLegend(panel: Panel, left: number, top: number): string {
  const out: string[] = ['<g class="legend">'];
  let y = top + 6;
  for (const series of panel.series) {
    out.push(`<line x1="${left}" x2="${left + 22}" y1="${y}" y2="${y}" stroke="${series.color}" stroke-width="2.5"` +
      `${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(text(left + 28, y + 4, series.name, { size: 11 }));
    y += 16;
  }
  if (panel.markers.length > 0) {
    y += 6;
    out.push(text(left, y + 4, 'paper, as reported:', { size: 11, weight: 'bold' }));
    for (const marker of panel.markers) {
      y += 16;
      const glyph = marker.y === null
        ? `<line x1="${left + 5}" x2="${left + 5}" y1="${y - 6}" y2="${y + 6}" stroke="${marker.color}" stroke-width="3"/>`
        : `<path d="M${left + 5},${y - 6}l6,6l-6,6l-6,-6z" fill="#ffffff" stroke="${marker.color}" stroke-width="2"/>`;
      out.push(glyph, text(left + 16, y + 4, marker.label, { size: 10.5 }));
    }
  }
  out.push('</g>');
  return out.join('\n');
}

/** Points inside the x domain, plus one at each edge so a line leaving the plot still reaches its border. */
function visible(points: readonly Point[], panel: Panel): Point[] {
  const [low, high] = panel.xDomain;
  return points.map(([px, py]): Point => [Math.min(high, Math.max(low, px)), py]);
}

/** 1, 2, 5 (and 3, 7 on a short axis) × powers of ten inside the domain: enough labels to read, few enough not to collide. */
export function logTicks([low, high]: readonly [number, number]): number[] {
  const ticks: number[] = [];
  for (let decade = 10 ** Math.floor(Math.log10(Math.max(low, 1e-3))); decade <= high; decade *= 10) {
    // Under two decades, 3 and 7 too: a short log axis with three labels is hard to read.
    const steps = Math.log10(high / Math.max(low, 1e-3)) < 2 ? [1, 2, 3, 5, 7] : [1, 2, 5];
    for (const step of steps) {
      const tick = decade * step;
      if (tick >= low && tick <= high) ticks.push(tick);
    }
  }
  return ticks;
}

export function formatNumber(value: number): string {
  if (Math.abs(value) >= 10_000) return `${Number((value / 1000).toPrecision(3))}k`;
  if (Math.abs(value) >= 100 || Number.isInteger(value)) return String(Math.round(value));
  return String(Number(value.toPrecision(2)));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function text(x: number, y: number, content: string,
  options: { size: number; anchor?: 'start' | 'middle' | 'end'; weight?: 'bold'; fill?: string }): string {
  return `<text x="${round(x)}" y="${round(y)}" font-size="${options.size}" fill="${options.fill ?? INK}"` +
    `${options.anchor && options.anchor !== 'start' ? ` text-anchor="${options.anchor}"` : ''}` +
    `${options.weight ? ` font-weight="${options.weight}"` : ''}>${escapeXml(content)}</text>`;
}
