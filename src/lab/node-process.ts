// One node as an OS process, seen from the lab: spawn, signals, exit. The lab keeps our stdin pipe open for the
// node's whole life: when the lab dies, the kernel closes it and the node exits (see src/node/parent-watch.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import type { NodeLauncher } from './node-launcher';

const STDERR_TAIL_LINES = 50;

export interface NodeProcessOptions {
  readonly nodeId: number;
  readonly launcher: NodeLauncher;
  readonly env: Readonly<Record<string, string>>;
  onExit(code: number | null, signal: NodeJS.Signals | null, stderrTail: readonly string[]): void;
}

export class NodeProcess {
  private readonly child: ChildProcess;
  private readonly stderrTail: string[] = [];
  private exited = false;

  constructor(private readonly options: NodeProcessOptions) {
    this.child = spawn(options.launcher.command, [...options.launcher.args], {
      env: { ...process.env, ...options.launcher.env, ...options.env },
      stdio: ['pipe', 'ignore', 'pipe'],
      // A group of its own (see NodeLauncher.ownProcessGroup): the lab still holds its stdin, so it still dies with us.
      detached: options.launcher.ownProcessGroup === true,
    });
    this.child.stdin?.on('error', () => undefined); // EPIPE after the node died is expected
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => this.keepStderr(chunk));
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      options.onExit(code, signal, [...this.stderrTail]);
    });
    this.child.on('error', (error) => {
      this.keepStderr(`spawn failed: ${error.message}\n`);
      if (!this.exited) {
        this.exited = true;
        options.onExit(null, null, [...this.stderrTail]);
      }
    });
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  get isExited(): boolean {
    return this.exited;
  }

  signal(signal: NodeJS.Signals): boolean {
    if (this.exited) return false;
    const pid = this.child.pid;
    if (this.options.launcher.ownProcessGroup === true && pid !== undefined) {
      try {
        process.kill(-pid, signal); // the node and everything it started (a student's process)
        return true;
      } catch {
        // the group is gone already (or was never made): signal the process alone
      }
    }
    return this.child.kill(signal);
  }

  /** Resolves when the process has exited; SIGKILLs it if it has not after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.signal('SIGCONT'); // a paused node cannot handle SIGTERM
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  private keepStderr(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue;
      this.stderrTail.push(line.slice(0, 2000));
      if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
    }
  }
}
