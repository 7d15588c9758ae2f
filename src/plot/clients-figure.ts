// The write path against the number of clients: throughput (top) and latency (bottom, p50 solid and p99 dashed),
// one colour per system, Raft Lab beside etcd when etcd was measured.
import type { ClientsRow } from '../protocol/experiments';
import { colorAt } from './palette';
import type { Figure, Panel, Point, Series } from './svg-figure';

const SYSTEMS = ['raft-lab', 'etcd'] as const;

export function clientsFigure(rows: readonly ClientsRow[], subtitle: readonly string[]): Figure {
  const present = SYSTEMS.filter((system) => rows.some((row) => row.system === system));
  const pointsOf = (system: string, pick: (row: ClientsRow) => number): Point[] => rows
    .filter((row) => row.system === system && Number.isFinite(pick(row))).sort((a, b) => a.clients - b.clients)
    .map((row) => [row.clients, pick(row)]);
  const clientCounts = rows.map((row) => row.clients);
  const xDomain: [number, number] = [Math.min(1, ...clientCounts) / 1.25, Math.max(2, ...clientCounts) * 1.25];
  const throughput: Series[] = present.map((system, index) =>
    ({ name: `${system} writes/s`, color: colorAt(index), points: pointsOf(system, (row) => row.opsPerSecond), shape: 'line' }));
  const latency: Series[] = present.flatMap((system, index) => [
    { name: `${system} p50`, color: colorAt(index), points: pointsOf(system, (row) => row.p50Ms), shape: 'line' as const },
    { name: `${system} p99`, color: colorAt(index), points: pointsOf(system, (row) => row.p99Ms), shape: 'line' as const, dashed: true },
  ]);
  const top = (series: readonly Series[]): number => Math.max(1, ...series.flatMap((line) => line.points.map(([, y]) => y)));
  const panel = (title: string, yLabel: string, series: Series[]): Panel => ({
    title, xLabel: 'concurrent clients (closed loop; log scale)', yLabel, xScale: 'log', xDomain, xTicks: [...new Set(clientCounts)].sort((a, b) => a - b),
    yDomain: [0, top(series) * 1.1],
    yFormat: 'number', series, markers: [], notes: [],
  });
  return {
    title: 'Write path: throughput and latency against the number of clients',
    subtitle,
    panels: [panel('Throughput', 'acknowledged writes per second', throughput), panel('Latency', 'ms per write', latency)],
    footer: ['Each client issues its next put as soon as the previous one is answered (64-byte values, fsync on).'],
    width: 900,
    plotHeight: 240,
  };
}
