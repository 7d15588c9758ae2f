// The student's executable as a child of the relay: it reads messages on stdin and writes them on stdout, one JSON
// object per line, and logs on stderr. Everything it writes is bounded here:
// - a line longer than MAX_MAELSTROM_LINE_BYTES is cut off and reported, never buffered whole;
// - at most MAX_LINES_PER_WINDOW lines are taken per second: past that its stdout is no longer read until the next
//   second (backpressure: the pipe fills and its writes block); a node that floods for FLOOD_WINDOWS_LIMIT seconds
//   in a row is stopped with a clear error;
// - what waits for it on stdin is bounded too: a node that does not read loses further messages (reported as drops);
// - of stderr only the last STDERR_TAIL_LINES lines are kept (shown when it exits).
// It runs in the relay's working directory for this node (the lab's data directory of the node), so a node that
// persists its state finds it again after a restart. It never outlives the relay (see relay-main.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { MAX_MAELSTROM_LINE_BYTES } from '../../protocol/maelstrom';

export const MAX_LINES_PER_WINDOW = 5000;
const WINDOW_MS = 1000;
export const FLOOD_WINDOWS_LIMIT = 5;
const MAX_STDIN_BUFFERED_BYTES = 8 * 1024 * 1024;
const STDERR_TAIL_LINES = 40;
const STDERR_LINE_CHARS = 1000;

export interface StudentProcessOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Bounds, lowered by tests. */
  readonly maxLinesPerWindow?: number;
  readonly floodWindowsLimit?: number;
  onLine(line: string): void;
  /** A line that cannot be a message because of its length (its start is given). */
  onOverlongLine(head: string): void;
  /** It wrote more than the bound for FLOOD_WINDOWS_LIMIT seconds in a row. */
  onFlood(description: string): void;
  onExit(code: number | null, signal: NodeJS.Signals | null, stderrTail: readonly string[]): void;
}

export class StudentProcess {
  private readonly child: ChildProcess;
  private readonly stderrTail: string[] = [];
  /** The start of a stderr line whose newline has not come yet (a line may come in several writes, as a traceback's does). */
  private stderrPartial = '';
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Cutting an over-long line: the rest of it, up to its newline, is skipped. */
  private skippingLine = false;
  private windowStartMs = performance.now();
  private linesInWindow = 0;
  private floodedWindows = 0;
  private resumeTimer: NodeJS.Timeout | null = null;
  private exited = false;
  private readonly maxLines: number;
  private readonly floodLimit: number;

  constructor(private readonly o: StudentProcessOptions) {
    this.maxLines = o.maxLinesPerWindow ?? MAX_LINES_PER_WINDOW;
    this.floodLimit = o.floodWindowsLimit ?? FLOOD_WINDOWS_LIMIT;
    this.child = spawn(o.command, [...o.args], { cwd: o.cwd, stdio: ['pipe', 'pipe', 'pipe'], env: studentEnv() });
    this.child.stdin?.on('error', () => undefined); // EPIPE once it died: its exit is reported
    this.child.stdout?.on('data', (chunk: Buffer) => this.onStdout(chunk));
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => this.keepStderr(chunk));
    this.child.on('error', (error) => {
      this.keepStderr(`could not run ${o.command}: ${error.message}\n`);
      this.finish(null, null);
    });
    this.child.on('exit', (code, signal) => {
      // Its last stderr may still be in the pipe: read what is there before telling.
      const stderr = this.child.stderr;
      if (stderr && !stderr.readableEnded) stderr.once('end', () => this.finish(code, signal));
      else this.finish(code, signal);
      setTimeout(() => this.finish(code, signal), 200).unref();
    });
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  get isExited(): boolean {
    return this.exited;
  }

  /** One message to its stdin; false (nothing written) when it is gone or has not read what was already sent. */
  write(line: string): boolean {
    const stdin = this.child.stdin;
    if (this.exited || !stdin || stdin.destroyed || stdin.writableLength > MAX_STDIN_BUFFERED_BYTES) return false;
    stdin.write(`${line}\n`);
    return true;
  }

  kill(): void {
    if (this.exited) return;
    this.child.kill('SIGCONT');
    this.child.kill('SIGKILL');
  }

  get lastStderrLines(): readonly string[] {
    return this.stderrPartial.trim() === '' ? [...this.stderrTail] : [...this.stderrTail, this.stderrPartial];
  }

  private finish(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exited) return;
    this.exited = true;
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    // Its last line may have no newline.
    this.keepStderrLine(this.stderrPartial);
    this.stderrPartial = '';
    this.o.onExit(code, signal, [...this.stderrTail]);
  }

  private onStdout(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.byteLength;
    this.drain();
  }

  /** Takes complete lines while the second's budget lasts; otherwise stops reading until the next second. */
  private drain(): void {
    for (;;) {
      if (this.exited) return;
      if (!this.hasBudget()) {
        this.pauseUntilNextWindow();
        return;
      }
      const line = this.nextLine();
      if (line === null) return;
      this.linesInWindow += 1;
      this.o.onLine(line);
    }
  }

  private hasBudget(): boolean {
    const nowMs = performance.now();
    if (nowMs - this.windowStartMs >= WINDOW_MS) {
      this.floodedWindows = this.linesInWindow >= this.maxLines ? this.floodedWindows + 1 : 0;
      this.windowStartMs = nowMs;
      this.linesInWindow = 0;
    }
    return this.linesInWindow < this.maxLines;
  }

  private pauseUntilNextWindow(): void {
    if (this.resumeTimer) return;
    this.child.stdout?.pause();
    if (this.floodedWindows + 1 >= this.floodLimit) {
      this.o.onFlood(`it wrote more than ${this.maxLines} lines a second for ${this.floodLimit} seconds in a row ` +
        '(is it printing in a loop, or logging to stdout instead of stderr?)');
      return;
    }
    const waitMs = Math.max(1, WINDOW_MS - (performance.now() - this.windowStartMs));
    this.resumeTimer = setTimeout(() => {
      this.resumeTimer = null;
      this.child.stdout?.resume();
      this.drain();
    }, waitMs);
  }

  /** The next complete line (without its newline), or null; cuts over-long lines. */
  private nextLine(): string | null {
    for (;;) {
      const joined = this.pending.length === 1 ? this.pending[0] as Buffer : Buffer.concat(this.pending, this.pendingBytes);
      const newline = joined.indexOf(0x0a);
      if (newline < 0) {
        if (joined.byteLength > MAX_MAELSTROM_LINE_BYTES) {
          if (!this.skippingLine) this.o.onOverlongLine(joined.subarray(0, 200).toString('utf8'));
          this.skippingLine = true;
          this.setPending([]);
        } else {
          this.setPending(joined.byteLength > 0 ? [joined] : []);
        }
        return null;
      }
      const line = joined.subarray(0, newline);
      this.setPending(newline + 1 < joined.byteLength ? [joined.subarray(newline + 1)] : []);
      if (this.skippingLine) {
        this.skippingLine = false;
        continue;
      }
      if (line.byteLength > MAX_MAELSTROM_LINE_BYTES) {
        this.o.onOverlongLine(line.subarray(0, 200).toString('utf8'));
        continue;
      }
      const text = line.toString('utf8').replace(/\r$/, '');
      if (text.trim() === '') continue;
      return text;
    }
  }

  private setPending(parts: Buffer[]): void {
    this.pending = parts;
    this.pendingBytes = parts.reduce((sum, part) => sum + part.byteLength, 0);
  }

  private keepStderr(chunk: string): void {
    const parts = chunk.split('\n');
    // The chunk's last part has no newline yet: it waits for the rest of its line (bounded like any line).
    const rest = parts.pop() ?? '';
    for (const part of parts) {
      this.keepStderrLine(this.stderrPartial + part);
      this.stderrPartial = '';
    }
    this.stderrPartial = (this.stderrPartial + rest).slice(0, STDERR_LINE_CHARS);
  }

  private keepStderrLine(line: string): void {
    if (line.trim() === '') return;
    this.stderrTail.push(line.slice(0, STDERR_LINE_CHARS));
    if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
  }
}

/**
 * The lab's own variables (its per-run secret among them) are not the student's business. ELECTRON_RUN_AS_NODE stays:
 * in the desktop app the example Raft runs on Electron's binary as Node, and other programs ignore it.
 */
function studentEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('RAFT_LAB_') && !name.startsWith('MALLOC_')) env[name] = value;
  }
  return env;
}
