// Progress on the terminal: a bar with the share done, time spent and time left, redrawn in place on a terminal
// (stderr, so stdout stays the run's record), or a plain line now and then when the output is a file or a pipe.
import { formatDuration, type ExperimentProgress } from '../protocol/experiments';

const WIDTH = 28;
const PLAIN_EVERY_MS = 5000;

export function progressLine(progress: ExperimentProgress): string {
  const share = progress.total > 0 ? progress.done / progress.total : 0;
  const filled = Math.round(share * WIDTH);
  const eta = progress.etaMs === null ? '--:--' : formatDuration(progress.etaMs);
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(Math.round(share * 100)).padStart(3)}%  ` +
    `${formatDuration(progress.elapsedMs)} elapsed, ETA ${eta}  ${progress.current}`;
}

export class ProgressBar {
  private lastPlainMs = -Infinity;
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(progress: ExperimentProgress): void {
    const line = progressLine(progress);
    if (this.stream.isTTY) {
      const width = this.stream.columns ?? 100;
      this.stream.write(`\r${line.slice(0, width - 1).padEnd(width - 1)}`);
      this.shown = true;
      return;
    }
    const nowMs = performance.now();
    if (nowMs - this.lastPlainMs < PLAIN_EVERY_MS) return;
    this.lastPlainMs = nowMs;
    this.stream.write(`${line}\n`);
  }

  /** Before printing anything else: move off the bar's line. */
  clear(): void {
    if (!this.shown) return;
    this.stream.write('\n');
    this.shown = false;
  }
}
