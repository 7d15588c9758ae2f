// The lab's live safety monitor: the invariant checks of src/check run over the merged event stream of the real node
// processes, in every event detail. It follows cluster runs (a new cluster starts a fresh check), publishes one
// `violation` event per broken invariant per run, and keeps the lab running. See monitor-run.ts for how events map to
// the checks.
import type { EventDetail } from '../../protocol/control';
import type { LabEvent, UnsequencedLabEvent } from '../../protocol/events';
import type { ClientResult } from '../../protocol/lab-api';
import { monotonicNowNs } from '../../shared/monotonic-clock';
import { MonitorRun } from './monitor-run';

export interface SafetyMonitorOptions {
  /** What the nodes report; in quiet detail their log entries come without commands. */
  readonly eventDetail: EventDetail;
  /** Publishes the monitor's own events (violations, and a note if it had to stop) into the lab's stream. */
  readonly publish: (event: UnsequencedLabEvent) => void;
}

export class SafetyMonitor {
  private run: MonitorRun | null = null;

  constructor(private readonly o: SafetyMonitorOptions) {}

  /** Events in the lab's merged order (a subscriber of the event hub). Never throws. */
  observe(events: readonly LabEvent[]): void {
    for (const event of events) {
      if (event.type === 'cluster-phase') this.phaseChanged(event);
      else this.safely(() => this.run?.observe(event), undefined);
    }
  }

  /**
   * A client operation completed (called before its client-op event is published): a read is checked against what
   * was committed when it was called. Returns true when its value is proven stale.
   */
  clientOpCompleted(op: string, key: string, callNs: number, result: ClientResult, atNs: number): boolean {
    const run = this.run;
    if (run === null || op !== 'get' || result.status !== 'ok' || result.servedBy === null || result.index === null) return false;
    const servedBy = result.servedBy;
    const index = result.index;
    return this.safely(() => run.judgeRead({ key, callNs, value: result.value, servedBy, index }, atNs), false);
  }

  /**
   * The monitor watches; it must never break what it watches. A fault of its own (not a violation: those are
   * reported) stops it for this cluster run, said once.
   */
  private safely<T>(work: () => T, fallback: T): T {
    try {
      return work();
    } catch (error) {
      this.run = null;
      this.o.publish({ type: 'error', atNs: monotonicNowNs(), node: null,
        message: `the safety monitor stopped: ${error instanceof Error ? error.message : String(error)}`.slice(0, 4000) });
      return fallback;
    }
  }

  private phaseChanged(event: Extract<LabEvent, { type: 'cluster-phase' }>): void {
    if (event.phase === 'stopped') this.run = null;
    if (event.phase !== 'starting' || event.settings === undefined) return;
    const settings = event.settings;
    this.run = new MonitorRun({
      nodeCount: settings.nodeCount, bugs: settings.bugs, preVote: settings.preVote, commands: this.o.eventDetail !== 'quiet',
      onViolation: (violation) => this.o.publish(violation),
      onStopped: (why) => this.o.publish({ type: 'error', atNs: monotonicNowNs(), node: null, message: why }),
    });
  }
}
