// Timeline shapes -> SVG markup. `paint` turns a theme variable name into a colour: the theme's resolved colour (on
// screen and in exports, which have no stylesheet), or `var(--name)` where a stylesheet resolves it. All event text is
// escaped. Styles are written as SVG presentation attributes (fill="…"), never as style="…": the app's CSP allows no
// inline styles, and presentation attributes are not styles to it, so the same markup draws on screen and in a
// handout printed under that policy.
import type { TimelineLayout } from './timeline-layout';
import { LABEL_FONT_PX } from './timeline-scale';

export type Paint = (variable: string) => string;

export const livePaint: Paint = (variable) => `var(--${variable})`;

const ROLE_OPACITY: Readonly<Record<string, number>> = { follower: 0.45, precandidate: 0.55, candidate: 0.7, leader: 0.95 };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** The presentation attributes our styles use; any other declaration is dropped. */
const PRESENTATION_ATTRIBUTES = new Set(['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray',
  'font-size', 'font-weight']);

/**
 * `fill:red;stroke-width:2` (a style from styleFor/TEXT_STYLES) as ` fill="red" stroke-width="2"`. A property given
 * twice keeps its last value, as in CSS (an in-flight reply's dash overrides the reply's own): written twice, the
 * attribute made the document invalid XML, and the PNG export, which loads it as an image, failed.
 */
export function paintAttributes(style: string): string {
  const values = new Map<string, string>();
  for (const part of style.split(';')) {
    const colon = part.indexOf(':');
    if (colon <= 0) continue;
    const name = part.slice(0, colon).trim();
    if (PRESENTATION_ATTRIBUTES.has(name)) values.set(name, part.slice(colon + 1).trim());
  }
  let out = '';
  for (const [name, value] of values) out += ` ${name}="${escapeXml(value)}"`;
  return out;
}

/** CSS for one style key (see timeline-layout.ts for where each is used). */
export function styleFor(styleKey: string, paint: Paint): string {
  const band = /^band-(\w+)-(\d)$/.exec(styleKey);
  if (band) return `fill:${paint(`term-${band[2]}`)};fill-opacity:${ROLE_OPACITY[band[1] as string] ?? 0.5}`;
  const flight = /^(\w+)-flight$/.exec(styleKey);
  if (flight) return `${styleFor(flight[1] as string, paint)};stroke-dasharray:3 3;stroke-opacity:0.65`;
  const head = /^(\w+)-head$/.exec(styleKey);
  if (head) return `fill:${paint(arrowColour(head[1] as string))}`;
  switch (styleKey) {
    case 'lane': return `stroke:${paint('border')};stroke-width:1`;
    case 'hatch': return 'fill:url(#tl-hatch)';
    case 'dots': return 'fill:url(#tl-dots)';
    case 'paused': return 'fill:url(#tl-paused)';
    case 'status-crashed': return 'fill:url(#tl-crashed)';
    case 'status-starting':
    case 'status-stopped': return `fill:${paint('muted')};fill-opacity:0.35`;
    case 'ae': return `stroke:${paint('fg')};stroke-width:1.4;fill:none`;
    case 'hb': return `stroke:${paint('muted')};stroke-width:0.8;fill:none`;
    case 'aer': return `stroke:${paint('muted')};stroke-width:0.8;stroke-dasharray:2 2;fill:none`;
    case 'rv': return `stroke:${paint('candidate')};stroke-width:1.4;stroke-dasharray:6 3;fill:none`;
    case 'rvr': return `stroke:${paint('candidate')};stroke-width:0.9;stroke-dasharray:2 2;fill:none`;
    // InstallSnapshot (Figure 13): thick, in the accent colour, so a follower catching up from a snapshot stands out.
    case 'is': return `stroke:${paint('accent')};stroke-width:3;fill:none`;
    case 'isr': return `stroke:${paint('accent')};stroke-width:1;stroke-dasharray:2 2;fill:none`;
    case 'other': return `stroke:${paint('muted')};stroke-width:1;fill:none`;
    case 'lost': return `stroke:${paint('error-fg')};stroke-width:1.2;fill:none`;
    case 'drop-x': return `stroke:${paint('error-fg')};stroke-width:1.8;fill:none`;
    case 'selected': return `stroke:${paint('leader')};stroke-width:4;stroke-opacity:0.55;fill:none`;
    case 'op-ok': return `stroke:${paint('muted')};stroke-width:3`;
    case 'op-fail': return `stroke:${paint('candidate')};stroke-width:3`;
    case 'op-unknown': return `stroke:${paint('muted')};stroke-width:3;stroke-dasharray:2 2`;
    case 'op-highlight': return `stroke:${paint('error-fg')};stroke-width:5`;
    default: return '';
  }
}

/** Dense view: no dashes except on the rare RequestVote arrows; replies and heartbeats fainter instead. */
export function denseStyle(styleKey: string, style: string): string {
  if (styleKey.startsWith('rv') || styleKey.startsWith('is')) return style;
  const solid = style.replace(/;stroke-dasharray:[^;]*/, '');
  return styleKey === 'aer' || styleKey.endsWith('-flight') ? `${solid};stroke-opacity:0.45` : solid;
}

function arrowColour(style: string): string {
  return style === 'rv' || style === 'rvr' ? 'candidate' : style === 'is' || style === 'isr' ? 'accent' : style === 'ae' ? 'fg' : 'muted';
}

export const TEXT_STYLES: Readonly<Record<string, (paint: Paint) => string>> = {
  'lane-label': (paint) => `fill:${paint('fg')};font-size:${LABEL_FONT_PX.lane}px;font-weight:600`,
  'band-label': (paint) => `fill:${paint('fg')};font-size:${LABEL_FONT_PX.band}px;fill-opacity:0.85`,
  'op-label': (paint) => `fill:${paint('error-fg')};font-size:10px`,
  // A student's own message type, named beside its grey arrow.
  'other-label': (paint) => `fill:${paint('muted')};font-size:${LABEL_FONT_PX.other}px;font-weight:600`,
};

function defs(paint: Paint): string {
  const ink = paint('fg');
  return '<defs>' +
    `<pattern id="tl-hatch" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><path d="M0 0V5"${paintAttributes(`stroke:${ink};stroke-width:1.4;stroke-opacity:0.55`)}/></pattern>` +
    `<pattern id="tl-dots" width="4" height="4" patternUnits="userSpaceOnUse"><circle cx="2" cy="2" r="0.9"${paintAttributes(`fill:${ink};fill-opacity:0.6`)}/></pattern>` +
    `<pattern id="tl-paused" width="6" height="6" patternUnits="userSpaceOnUse"><path d="M1.5 0V6M4.5 0V6"${paintAttributes(`stroke:${paint('panel')};stroke-width:1.5;stroke-opacity:0.9`)}/></pattern>` +
    `<pattern id="tl-crashed" width="6" height="6" patternUnits="userSpaceOnUse"><path d="M0 0L6 6M6 0L0 6"${paintAttributes(`stroke:${ink};stroke-width:1;stroke-opacity:0.7`)}/></pattern>` +
    '</defs>';
}

/** The inside of the timeline's <svg> element. */
export function renderTimelineSvgBody(layout: TimelineLayout, paint: Paint): string {
  const out: string[] = [defs(paint)];
  const bottom = layout.heightPx - 4;
  for (const tick of layout.ticks) {
    out.push(`<path d="M${tick.x.toFixed(1)} 16V${bottom}"${paintAttributes(`stroke:${paint('border')};stroke-opacity:0.45;stroke-width:1`)}/>`,
      `<text x="${tick.x.toFixed(1)}" y="12" text-anchor="middle"${paintAttributes(`fill:${paint('muted')};font-size:10px`)}>${escapeXml(tick.label)}</text>`);
  }
  for (const path of layout.paths) {
    const style = styleFor(path.styleKey, paint);
    out.push(`<path d="${path.d}"${paintAttributes(layout.dense ? denseStyle(path.styleKey, style) : style)}/>`);
  }
  for (const text of layout.texts) {
    const style = TEXT_STYLES[text.styleKey]?.(paint) ?? '';
    out.push(`<text x="${text.x.toFixed(1)}" y="${text.y.toFixed(1)}"${text.anchor ? ` text-anchor="${text.anchor}"` : ''}${paintAttributes(style)}>${escapeXml(text.text)}</text>`);
  }
  out.push(renderTimelineOverlay(layout, paint));
  return out.join('');
}

/** Markers and the cursor: few elements with titles and test hooks, drawn over the canvas on screen. */
export function renderTimelineOverlay(layout: TimelineLayout, paint: Paint): string {
  const out: string[] = [];
  const bottom = layout.heightPx - 4;
  for (const marker of layout.markers) {
    const color = paint(marker.kind === 'violation' ? 'error-fg' : 'fg'); // a broken safety property stands out
    out.push(`<g data-marker="${marker.kind}"><title>${escapeXml(marker.label)}</title>` +
      `<path d="M${marker.x.toFixed(1)} ${marker.y1.toFixed(1)}V${marker.y2.toFixed(1)}"${paintAttributes(`stroke:${color};stroke-width:1;stroke-dasharray:2 3;stroke-opacity:0.8`)}/>` +
      `<text x="${marker.x.toFixed(1)}" y="${(marker.y1 + 10).toFixed(1)}" text-anchor="middle"${paintAttributes(`fill:${color};font-size:13px`)}>${marker.glyph}</text></g>`);
  }
  if (layout.cursorX !== null) {
    out.push(`<path data-cursor="1" d="M${layout.cursorX.toFixed(1)} 14V${bottom}"${paintAttributes(`stroke:${paint('leader')};stroke-width:1.5;stroke-dasharray:4 2`)}/>`,
      `<path d="M${(layout.cursorX - 5).toFixed(1)} 14h10l-5 6Z"${paintAttributes(`fill:${paint('leader')}`)}/>`);
  }
  return out.join('');
}

/** A standalone SVG document of the timeline (for export). */
export function renderTimelineSvgDocument(layout: TimelineLayout, paint: Paint, title: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.widthPx}" height="${layout.heightPx}" viewBox="0 0 ${layout.widthPx} ${layout.heightPx}" font-family="system-ui, sans-serif">` +
    `<title>${escapeXml(title)}</title><rect width="100%" height="100%"${paintAttributes(`fill:${paint('panel')}`)}/>${renderTimelineSvgBody(layout, paint)}</svg>`;
}
