// What the Raft paper reports about Figure 16 in its text (Ongaro & Ousterhout, "In Search of an Understandable
// Consensus Algorithm (Extended Version)", §9.3), word for word where it gives a number. Only these numbers are drawn
// as "reported": the paper's CDF curves themselves are not published as data, so we do not invent them.

export type ReportedStat = 'median' | 'mean' | 'max' | 'all-above';

export interface ReportedNumber {
  /** The election-timeout range, as in our rows ("150-155"). */
  readonly range: string;
  readonly stat: ReportedStat;
  readonly ms: number;
  /** The paper's words. */
  readonly quote: string;
}

export const PAPER_SOURCE = 'Ongaro & Ousterhout, In Search of an Understandable Consensus Algorithm (Extended Version), §9.3, Figure 16';

export const PAPER_SETUP = [
  '5 servers, broadcast time ~15 ms; heartbeat interval = half the minimum election timeout',
  'leader crashed at a uniformly random time within its heartbeat interval, after a synchronized heartbeat broadcast; servers had different log lengths',
  '1000 trials per line (100 for 150-150)',
] as const;

export const PAPER_REPORTED: readonly ReportedNumber[] = [
  { range: '150-150', stat: 'all-above', ms: 10_000,
    quote: 'In the absence of randomness, leader election consistently took longer than 10 seconds in our tests due to many split votes.' },
  { range: '150-155', stat: 'median', ms: 287,
    quote: 'Adding just 5ms of randomness helps significantly, resulting in a median downtime of 287ms.' },
  { range: '150-200', stat: 'max', ms: 513,
    quote: 'with 50ms of randomness the worst-case completion time (over 1000 trials) was 513ms.' },
  { range: '12-24', stat: 'mean', ms: 35,
    quote: 'With an election timeout of 12–24ms, it takes only 35ms on average to elect a leader' },
  { range: '12-24', stat: 'max', ms: 152, quote: '(the longest trial took 152ms)' },
];

export function describeReported(reported: ReportedNumber): string {
  const range = reported.range.replace('-', '–');
  switch (reported.stat) {
    case 'all-above': return `${range}: every election > ${reported.ms / 1000} s`;
    case 'median': return `${range}: median ${reported.ms} ms`;
    case 'mean': return `${range}: mean ${reported.ms} ms`;
    case 'max': return `${range}: longest ${reported.ms} ms`;
  }
}
