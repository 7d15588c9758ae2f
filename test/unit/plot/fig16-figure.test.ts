// Our Figure 16 as drawn: the paper's two graphs, CDFs that count censored trials, and the paper's reported numbers
// on the lines they belong to, labelled as reported.
import { describe, expect, it } from 'vitest';
import type { Fig16Row } from '../../../src/protocol/experiments';
import { cdfPoints } from '../../../src/plot/cdf';
import { fig16Figure, panelsOf } from '../../../src/plot/fig16-figure';
import { renderFigureSvg, logTicks } from '../../../src/plot/svg-figure';
import { fig16Csv, toCsv } from '../../../src/plot/csv';
import { clientsFigure } from '../../../src/plot/clients-figure';

function rows(range: string, values: readonly (number | null)[]): Fig16Row[] {
  return values.map((value, index) => ({ range, trial: index + 1, electionMs: value, writeMs: value === null ? null : value + 20, terms: value === null ? null : 1 }));
}

describe('cdfPoints', () => {
  it('is a staircase over all trials: a censored trial keeps the line below 100%', () => {
    expect(cdfPoints([300, 100, null, 200])).toEqual([[100, 0], [100, 0.25], [200, 0.5], [300, 0.75]]);
    expect(cdfPoints([null, null])).toEqual([]);
  });
});

describe('fig16Figure', () => {
  it('puts randomness ranges on the top graph, scaled ranges on the bottom one, and 150-300 on both', () => {
    expect(panelsOf([150, 155])).toEqual(['top']);
    expect(panelsOf([12, 24])).toEqual(['bottom']);
    expect(panelsOf([150, 300])).toEqual(['top', 'bottom']);
    expect(panelsOf([150, 400])).toEqual(['top']);
    expect(panelsOf([30, 90])).toEqual(['bottom']);
  });

  it('draws the paper\'s reported numbers only for ranges that ran, at the quantile they state', () => {
    const figure = fig16Figure({ ranges: [[150, 155], [12, 24], [150, 300]], metric: 'electionMs', subtitle: ['5 nodes'],
      rows: [...rows('150-155', [250, 290, 310]), ...rows('12-24', [30, 40, null]), ...rows('150-300', [200, 220, 260])] });
    const [top, bottom] = figure.panels;
    expect(top?.markers).toEqual([expect.objectContaining({ x: 287, y: 0.5, label: '150–155: median 287 ms' })]);
    expect(bottom?.markers.map((marker) => [marker.x, marker.y])).toEqual([[35, null], [152, 1]]);
    expect(top?.xScale).toBe('log');
    expect(bottom?.notes.join(' ')).toContain('12-24 ms: 1 of 3 trials reached no result within the cap');
    const svg = renderFigureSvg(figure);
    expect(svg).toContain('data-series="150-155 ms (3 trials)"');
    expect(svg).toContain('paper, as reported:');
    expect(svg).toContain('data-reported="12–24: mean 35 ms"');
  });

  it('says so when the paper gives no number for the ranges shown, and draws no reported numbers for the write times', () => {
    const input = { ranges: [[150, 300]] as const, rows: rows('150-300', [200]), subtitle: [] };
    expect(fig16Figure({ ...input, metric: 'electionMs' }).panels[0]?.notes.join(' ')).toContain('reports no number for 150-300');
    const write = fig16Figure({ ...input, ranges: [[150, 155]], rows: rows('150-155', [250]), metric: 'writeMs' });
    expect(write.panels.flatMap((panel) => panel.markers)).toEqual([]);
  });

  it('escapes text and labels a log axis with 1-2-5 steps', () => {
    const svg = renderFigureSvg({ title: 'a <b> & "c"', subtitle: [], footer: [], width: 600, plotHeight: 100, panels: [] });
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(logTicks([100, 20_000])).toEqual([100, 200, 500, 1000, 2000, 5000, 10_000, 20_000]);
  });
});

describe('CSV', () => {
  it('writes one row per trial with the four columns first and an empty cell for a censored value', () => {
    expect(fig16Csv(rows('150-150', [null, 12.3456]))).toBe('range,trial,electionMs,writeMs,terms\n150-150,1,,,\n150-150,2,12.35,32.35,1\n');
    expect(toCsv(['a'], [['x,"y"']])).toBe('a\n"x,""y"""\n');
  });
});

describe('clientsFigure', () => {
  it('draws throughput and p50/p99 latency per system, labelled at the client counts measured', () => {
    const row = (system: 'raft-lab' | 'etcd', clients: number, opsPerSecond: number) => ({ system, clients, opsPerSecond, p50Ms: 2, p99Ms: 9, errors: 0 });
    const figure = clientsFigure([row('raft-lab', 4, 500), row('raft-lab', 1, 300), row('etcd', 1, 600), row('etcd', 4, 450)], []);
    const [throughput, latency] = figure.panels;
    expect(throughput?.xTicks).toEqual([1, 4]);
    expect(throughput?.series.map((series) => [series.name, series.points])).toEqual([
      ['raft-lab writes/s', [[1, 300], [4, 500]]], ['etcd writes/s', [[1, 600], [4, 450]]]]);
    expect(latency?.series.map((series) => `${series.name}${series.dashed ? ' (dashed)' : ''}`))
      .toEqual(['raft-lab p50', 'raft-lab p99 (dashed)', 'etcd p50', 'etcd p99 (dashed)']);
  });
});
