// Starts the real lab (`raft-lab web`) as a child process for tests and reads the URL it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface RunningLab {
  readonly process: ChildProcess;
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');

export async function startLab(args: readonly string[] = [], deadlineMs = 30_000): Promise<RunningLab> {
  const child = spawn(process.execPath, [resolve(PROJECT_ROOT, 'bin/raft-lab.js'), 'web', '--port', '0', ...args], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => { output += chunk; });
  child.stderr.on('data', (chunk: string) => { output += chunk; });
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`lab did not print its URL within ${deadlineMs} ms:\n${output}`)), deadlineMs);
    const onData = (): void => {
      const match = /web mode: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (match?.[1] && /cluster running/.test(output)) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`lab exited early with ${String(code)}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return {
    process: child,
    url,
    port: Number(parsed.port),
    token: parsed.searchParams.get('token') ?? '',
    output: () => output,
    stop: async (signal: NodeJS.Signals = 'SIGINT') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill(signal);
      await exited;
    },
  };
}

/** Node pids the lab printed at start ("S1 pid 123, ..."). */
export function printedNodePids(output: string): number[] {
  return [...output.matchAll(/S\d+ pid (\d+)/g)].map((match) => Number(match[1]));
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie waiting to be reaped has already exited.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return true;
  }
}

export async function waitFor(condition: () => boolean, deadlineMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > deadlineMs) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}
