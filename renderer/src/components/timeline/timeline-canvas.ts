// The dense part of the timeline (axis, lanes, bands, arrows, client operations, labels) painted on a canvas. As SVG
// markup the same thousands of segments were re-parsed, re-painted and re-rasterized tile by tile on every redraw; a
// canvas is painted once per redraw and composited as one texture. The look is the SVG's: each shape's style comes
// from `styleFor` (the same function the SVG export uses), parsed here into canvas state.
import type { TimelineLayout } from './timeline-layout';
import { TEXT_STYLES, denseStyle, styleFor, type Paint } from './timeline-svg';

/**
 * Where the timeline is painted: the page's canvas, or (in a browser) the OffscreenCanvas it handed its drawing to. A
 * document canvas resolves every new `font` against the page's style, which forces a style recalculation and layout
 * of the whole document (measured at 5,000 events/s: the largest single cost of a frame); an OffscreenCanvas resolves
 * fonts on its own.
 */
export type TimelineCanvas = HTMLCanvasElement | OffscreenCanvas;
type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** The canvas to paint `element` through: its OffscreenCanvas where the browser has one, else the element itself. */
export function paintTarget(element: HTMLCanvasElement): TimelineCanvas {
  return typeof element.transferControlToOffscreen === 'function' ? element.transferControlToOffscreen() : element;
}

/** The CSS properties our timeline styles use, as parsed from a `style` string. */
export interface ShapeStyle {
  readonly fill: string | null;
  readonly fillOpacity: number;
  readonly stroke: string | null;
  readonly strokeOpacity: number;
  readonly strokeWidth: number;
  readonly dash: readonly number[];
  readonly fontSizePx: number;
  readonly fontWeight: string;
}

export function parseShapeStyle(style: string): ShapeStyle {
  const props = new Map<string, string>();
  for (const part of style.split(';')) {
    const colon = part.indexOf(':');
    if (colon > 0) props.set(part.slice(0, colon).trim(), part.slice(colon + 1).trim());
  }
  const number = (name: string, fallback: number): number => {
    const value = Number.parseFloat(props.get(name) ?? '');
    return Number.isFinite(value) ? value : fallback;
  };
  const paint = (name: string): string | null => {
    const value = props.get(name);
    return value === undefined || value === 'none' ? null : value;
  };
  const dash = (props.get('stroke-dasharray') ?? '').split(/[\s,]+/).map(Number).filter((n) => Number.isFinite(n) && n > 0);
  return {
    fill: paint('fill'), fillOpacity: number('fill-opacity', 1), stroke: paint('stroke'), strokeOpacity: number('stroke-opacity', 1),
    strokeWidth: number('stroke-width', 1), dash, fontSizePx: number('font-size', 10), fontWeight: props.get('font-weight') ?? 'normal',
  };
}

/** The SVG's fill patterns (candidate hatching, pre-candidate dots, paused stripes, crashed crosses) as canvas patterns. */
function patternFor(context: Context2D, id: string, paint: Paint): CanvasPattern | null {
  const tile = (size: number, draw: (tileContext: CanvasRenderingContext2D) => void): CanvasPattern | null => {
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    const tileContext = canvas.getContext('2d');
    if (!tileContext) return null;
    draw(tileContext);
    return context.createPattern(canvas, 'repeat');
  };
  const line = (tileContext: CanvasRenderingContext2D, colour: string, width: number, alpha: number, d: string): void => {
    tileContext.strokeStyle = colour;
    tileContext.lineWidth = width;
    tileContext.globalAlpha = alpha;
    tileContext.stroke(new Path2D(d));
  };
  const ink = paint('fg');
  switch (id) {
    case 'tl-hatch': {
      const pattern = tile(5, (c) => line(c, ink, 1.4, 0.55, 'M0.5 0V5'));
      pattern?.setTransform(new DOMMatrix().rotate(45));
      return pattern;
    }
    case 'tl-dots':
      return tile(4, (c) => {
        c.fillStyle = ink;
        c.globalAlpha = 0.6;
        c.beginPath();
        c.arc(2, 2, 0.9, 0, Math.PI * 2);
        c.fill();
      });
    case 'tl-paused': return tile(6, (c) => line(c, paint('panel'), 1.5, 0.9, 'M1.5 0V6M4.5 0V6'));
    case 'tl-crashed': return tile(6, (c) => line(c, ink, 1, 0.7, 'M0 0L6 6M6 0L0 6'));
    default: return null;
  }
}

/** Resolves `url(#id)` fills to patterns, once per painter (they depend on the theme only). */
class FillResolver {
  private readonly patterns = new Map<string, CanvasPattern | null>();
  constructor(private readonly context: Context2D, private readonly paint: Paint) {}
  resolve(fill: string): string | CanvasPattern | null {
    const url = /^url\(#([\w-]+)\)$/.exec(fill);
    if (!url) return fill;
    const id = url[1] as string;
    if (!this.patterns.has(id)) this.patterns.set(id, patternFor(this.context, id, this.paint));
    return this.patterns.get(id) ?? null;
  }
}

/** Past this many subpaths, a stroke wider than 1 px is drawn as hairlines (see drawShape). */
const WIDE_STROKE_MAX_SUBPATHS = 32;

/**
 * Software canvas strokes of 1 px or less take a fast hairline path; a wider stroke of one path of thousands of
 * segments is outlined and scan-converted as a whole (measured: 2,000 arrows at 1.4 px cost 40 ms, at 1 px 2 ms).
 * So a wide stroke of many segments is drawn as side-by-side 1 px passes, across the segments' direction: `across`
 * is 'x' for the near-vertical message arrows, 'y' for the horizontal client-operation bars.
 */
function strokeWide(context: Context2D, path: Path2D, width: number, across: 'x' | 'y'): void {
  const passes = Math.max(2, Math.round(width));
  const spread = width - 1;
  context.lineWidth = 1;
  for (let pass = 0; pass < passes; pass += 1) {
    const offset = -spread / 2 + (spread * pass) / (passes - 1);
    context.save();
    context.translate(across === 'x' ? offset : 0, across === 'y' ? offset : 0);
    context.stroke(path);
    context.restore();
  }
}

interface ManySegments {
  readonly subpaths: number;
  /** Direction across the segments (see strokeWide). */
  readonly across: 'x' | 'y';
  /** The dense view (hundreds of arrows, see TimelineLayout.dense): wide arrows are drawn as hairlines too. */
  readonly thin: boolean;
}

function drawShape(context: Context2D, path: Path2D, style: ShapeStyle, fills: FillResolver,
  wide: ManySegments = { subpaths: 1, across: 'x', thin: false }): void {
  if (style.fill !== null) {
    const fill = fills.resolve(style.fill);
    if (fill !== null) {
      context.globalAlpha = style.fillOpacity;
      context.fillStyle = fill;
      context.fill(path);
    }
  }
  if (style.stroke !== null) {
    context.globalAlpha = style.strokeOpacity;
    context.strokeStyle = style.stroke;
    context.lineWidth = style.strokeWidth;
    context.setLineDash(style.dash as number[]);
    const many = wide.subpaths > WIDE_STROKE_MAX_SUBPATHS;
    if (many && wide.thin) context.lineWidth = Math.min(1, style.strokeWidth);
    if (style.strokeWidth > 1 && many && !wide.thin) strokeWide(context, path, style.strokeWidth, wide.across);
    else context.stroke(path);
    context.setLineDash([]);
  }
}

/** Draws labels, setting `font` only when it changes: the setter parses it each time (the canvas' costliest call). */
class TextPainter {
  private font = '';
  constructor(private readonly context: Context2D) {}
  draw(x: number, y: number, text: string, style: ShapeStyle, anchor: 'start' | 'middle' | 'end' | undefined): void {
    const context = this.context;
    context.globalAlpha = style.fillOpacity;
    context.fillStyle = style.fill ?? '#808080';
    const font = `${style.fontWeight} ${style.fontSizePx}px system-ui, sans-serif`;
    if (font !== this.font) context.font = this.font = font;
    context.textAlign = anchor === 'middle' ? 'center' : anchor ?? 'start';
    context.fillText(text, x, y);
  }
}

function countSubpaths(d: string): number {
  let count = 0;
  for (let i = d.indexOf('M'); i !== -1; i = d.indexOf('M', i + 1)) count += 1;
  return count;
}

/** The canvas' 2D context, or null where there is none (a DOM without canvas support may also throw here). */
function context2d(canvas: TimelineCanvas): Context2D | null {
  try {
    return canvas.getContext('2d');
  } catch {
    return null;
  }
}

/**
 * Paints everything of `layout` except the markers and the cursor (those stay SVG elements over the canvas: they carry
 * titles and test hooks, and there are few of them). `paint` must give real colours (a canvas knows no CSS variables).
 */
export function paintTimelineCanvas(canvas: TimelineCanvas, layout: TimelineLayout, paint: Paint, pixelRatio: number): boolean {
  const width = Math.round(layout.widthPx * pixelRatio);
  const height = Math.round(layout.heightPx * pixelRatio);
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const context = context2d(canvas);
  if (!context) return false;
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.clearRect(0, 0, width, height);
  context.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  context.lineCap = 'butt';
  context.lineJoin = 'miter';
  context.textBaseline = 'alphabetic';
  const fills = new FillResolver(context, paint);
  const texts = new TextPainter(context);
  const bottom = layout.heightPx - 4;

  const tickLine = parseShapeStyle(`stroke:${paint('border')};stroke-opacity:0.45;stroke-width:1`);
  const tickText = parseShapeStyle(`fill:${paint('muted')};font-size:10px`);
  const ticks = new Path2D();
  for (const tick of layout.ticks) {
    ticks.moveTo(tick.x, 16);
    ticks.lineTo(tick.x, bottom);
  }
  drawShape(context, ticks, tickLine, fills);
  for (const tick of layout.ticks) texts.draw(tick.x, 12, tick.label, tickText, 'middle');

  for (const shape of layout.paths) {
    const style = styleFor(shape.styleKey, paint);
    const bar = shape.styleKey.startsWith('op-');
    // Thousands of arrows are a texture more than lines: in the dense view their widths do not show, their cost does.
    const wide = { subpaths: countSubpaths(shape.d), across: bar ? 'y' as const : 'x' as const, thin: layout.dense && !bar };
    drawShape(context, new Path2D(shape.d), parseShapeStyle(layout.dense ? denseStyle(shape.styleKey, style) : style), fills, wide);
  }
  for (const text of layout.texts) {
    const style = TEXT_STYLES[text.styleKey]?.(paint) ?? '';
    texts.draw(text.x, text.y, text.text, parseShapeStyle(style), text.anchor);
  }
  context.globalAlpha = 1;
  return true;
}
