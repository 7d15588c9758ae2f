// How often a node in 'quiet' event detail (benchmarks) reports its state. The lab needs a change of role, term, vote
// or leader at once (it routes clients by it and times failovers with it), but moving indexes only now and then: at
// one report per batch, the reports cost the lab ~15% of its CPU at one client, and the nodes their encoding. So an
// index-only change is reported at most once per interval, and the last one always arrives (a trailing report).

export interface PacedState {
  readonly role: string;
  readonly term: number;
  readonly votedFor: number | null;
  readonly leaderId: number | null;
}

export const QUIET_STATE_REPORT_INTERVAL_MS = 100;

export class StateReportPacer {
  private lastReportMs = -Infinity;
  /** Role, term, vote and leader of the last report (compared field by field: this runs after every batch). */
  private last: PacedState | null = null;
  private trailing: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly nowMs: () => number,
    /** Reports the state now (the runtime's own report, which also skips an unchanged state). */
    private readonly report: () => void,
  ) {}

  /** A state change may need reporting: reports it now, or makes sure a report follows within the interval. */
  changed(state: PacedState): void {
    if (this.stopped) return;
    const last = this.last;
    const nowMs = this.nowMs();
    if (last === null || state.role !== last.role || state.term !== last.term || state.votedFor !== last.votedFor ||
      state.leaderId !== last.leaderId || nowMs - this.lastReportMs >= this.intervalMs) {
      this.last = state;
      this.reportNow(nowMs);
      return;
    }
    this.trailing ??= setTimeout(() => {
      this.trailing = null;
      this.reportNow(this.nowMs());
    }, this.intervalMs - (nowMs - this.lastReportMs));
  }

  /** No more reports after this; one still waiting goes out now (so the lab gets the node's last state). */
  stop(): void {
    if (this.trailing) this.reportNow(this.nowMs());
    this.stopped = true;
  }

  private reportNow(nowMs: number): void {
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = null;
    this.lastReportMs = nowMs;
    this.report();
  }
}
