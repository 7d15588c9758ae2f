// Term colours (theme.css) are read by everyone who looks at a log: the term number written on each colour must be
// readable (WCAG contrast >= 4.5:1, on committed boxes and on the lighter stripes of uncommitted ones), and a term's
// colour must not be mistaken for a role's (leader, candidate, follower), in both themes.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const THEME_CSS = readFileSync(resolve(import.meta.dirname, '../../../renderer/src/styles/theme.css'), 'utf8');
const TERM_COLOURS = 8;
/** LogRow.vue hatches an uncommitted entry with stripes of its colour mixed 35% into --entry-hatch-base. */
const HATCH_SHARE = 0.35;
/** CIE76 distance below which two colours read as "the same colour" at a glance. */
const MIN_DELTA_E = 25;

function block(selector: string): Record<string, string> {
  const start = THEME_CSS.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no ${selector} block in theme.css`);
  const body = THEME_CSS.slice(start, THEME_CSS.indexOf('}', start));
  return Object.fromEntries([...body.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)].map((m) => [m[1] as string, (m[2] as string).toLowerCase()]));
}

const LIGHT = block(':root');
const THEMES: Record<string, Record<string, string>> = { light: LIGHT, dark: { ...LIGHT, ...block(":root[data-theme='dark']") } };

function channels(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

function linear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG 2 relative luminance. */
function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map(linear) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function lab(hex: string): [number, number, number] {
  const [r, g, b] = channels(hex).map(linear) as [number, number, number];
  const f = (t: number): number => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

function deltaE(a: string, b: string): number {
  const [l1, a1, b1] = lab(a);
  const [l2, a2, b2] = lab(b);
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
}

function mix(a: string, b: string, share: number): string {
  const [x, y] = [channels(a), channels(b)];
  return `#${x.map((v, i) => Math.round(v * share + (y[i] as number) * (1 - share)).toString(16).padStart(2, '0')).join('')}`;
}

describe('the contrast helper', () => {
  it('matches WCAG\'s reference values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
});

describe.each(Object.entries(THEMES))('term colours, %s theme', (_theme, vars) => {
  const terms = Array.from({ length: TERM_COLOURS }, (_, i) => [i, vars[`term-${i}`]] as const);
  const text = vars['entry-fg'] as string;

  it('defines every term colour and the text and hatch colours', () => {
    for (const [i, colour] of terms) expect(colour, `--term-${i}`).toMatch(/^#[0-9a-f]{6}$/);
    expect(text).toBeDefined();
    expect(vars['entry-hatch-base']).toBeDefined();
  });

  it.each(terms)('term %i: its number is readable on it (>= 4.5:1), solid and hatched', (_i, colour) => {
    expect(contrastRatio(text, colour as string)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(text, mix(colour as string, vars['entry-hatch-base'] as string, HATCH_SHARE))).toBeGreaterThanOrEqual(4.5);
  });

  it.each(terms)('term %i is not a role colour', (_i, colour) => {
    for (const role of ['leader', 'candidate', 'follower']) {
      expect(deltaE(colour as string, vars[role] as string), `--term vs --${role}`).toBeGreaterThanOrEqual(MIN_DELTA_E);
    }
  });

  it('neighbouring terms look different', () => {
    for (const [i, colour] of terms) {
      const next = terms[(i + 1) % TERM_COLOURS]?.[1] as string;
      expect(deltaE(colour as string, next), `term ${i} vs ${(i + 1) % TERM_COLOURS}`).toBeGreaterThanOrEqual(MIN_DELTA_E);
    }
  });
});
