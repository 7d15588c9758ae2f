// Runs the built CLI (`bin/raft-lab.js`) as a child process, as a user would, for the command-line contract tests.
// Needs the bundles (`npm run build:node`, done by `npm test` before the tests).
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..', '..');
const CLI = join(PROJECT_ROOT, 'bin', 'raft-lab.js');

export interface CliRun { readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly stdout: string; readonly stderr: string }

let running: ChildProcess | null = null;

/** Runs `raft-lab ...args`; after `deadlineMs` it is interrupted (SIGINT makes it stop its node processes first). */
export function runCli(args: readonly string[], deadlineMs: number): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    running = child;
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const timer = setTimeout(() => child.kill('SIGINT'), deadlineMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}

/** For afterEach: a run cut short by a failing test must not leave the CLI (and its nodes) behind. */
export async function stopRunningCli(): Promise<void> {
  const child = running;
  running = null;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
    child.kill('SIGINT');
    await exited;
  }
}

/** The run's outcome and output, for assertion messages. */
export function describeRun(run: CliRun): string {
  return `exit ${String(run.code)} ${String(run.signal)}\n${run.stdout}\n${run.stderr}`;
}

/** The last stdout line, parsed as the JSON object the commands end with. */
export function lastJsonLine(run: CliRun): Record<string, unknown> {
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
}
