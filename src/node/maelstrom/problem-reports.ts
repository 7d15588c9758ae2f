// A student's node that writes garbage in a loop must not flood the lab: a few reports a second are sent, the rest
// counted and summed up in the next report.
const MAX_REPORTS_PER_SECOND = 10;
const WINDOW_MS = 1000;

export class ProblemReports {
  private windowStartMs = -Infinity;
  private inWindow = 0;
  private suppressed = 0;

  constructor(private readonly send: (message: string) => void) {}

  report(message: string): void {
    const nowMs = performance.now();
    if (nowMs - this.windowStartMs >= WINDOW_MS) {
      this.windowStartMs = nowMs;
      this.inWindow = 0;
    }
    if (this.inWindow >= MAX_REPORTS_PER_SECOND) {
      this.suppressed += 1;
      return;
    }
    this.inWindow += 1;
    const more = this.suppressed > 0 ? ` (and ${this.suppressed} more problems not shown)` : '';
    this.suppressed = 0;
    this.send(`${message}${more}`.slice(0, 4000));
  }
}
