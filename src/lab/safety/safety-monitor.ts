// The lab's live safety monitor: the invariant checks of src/check run over the merged event stream of the real node
// processes, in every event detail. It follows cluster runs (a new cluster starts a fresh check), publishes one
// `violation` event per broken invariant per run, and keeps the lab running. See monitor-run.ts for how events map to
// the checks.
import type { EventDetail } from '../../protocol/control';
import type { LabEvent, UnsequencedLabEvent } from '../../protocol/events';
import type { ClientResult } from '../../protocol/lab-api';
import { monotonicNowNs } from '../../node/clock';
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
      else this.run?.observe(event);
    }
  }

  /**
   * A client operation completed (called before its client-op event is published): a read is checked against what
   * was committed when it was called. Returns true when its value is proven stale.
   */
  clientOpCompleted(op: string, key: string, callNs: number, result: ClientResult, atNs: number): boolean {
    if (this.run === null || op !== 'get' || result.status !== 'ok' || result.servedBy === null || result.index === null) return false;
    return this.run.judgeRead({ key, callNs, value: result.value, servedBy: result.servedBy, index: result.index }, atNs);
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
