// A short `raft-lab chaos` run: real processes, a client workload and a seeded schedule of kills, pauses,
// partitions and loss; the run must end healthy, linearizable and without losing an acknowledged write.
// Needs the bundles (`npm run build:node`, done by `npm test` before the tests).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..', '..');
const CLI = join(PROJECT_ROOT, 'bin', 'raft-lab.js');
const RUN_DEADLINE_MS = 45_000;

let tempDirs: string[] = [];
let running: ChildProcess | null = null;
afterEach(async () => {
  // A run cut short by a failing test must not leave the CLI (and its nodes) behind: SIGINT makes it clean up.
  const child = running;
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGINT');
    await exited;
  }
  running = null;
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs = [];
});

interface Run { readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly stdout: string; readonly stderr: string }

function runCli(args: readonly string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    running = child;
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    // SIGINT lets the CLI stop its node processes before it exits.
    const timer = setTimeout(() => child.kill('SIGINT'), RUN_DEADLINE_MS);
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

describe('raft-lab chaos', () => {
  it('a short seeded run with every fault kind passes every check', async () => {
    expect(existsSync(join(PROJECT_ROOT, 'out', 'cli', 'raft-lab.js')), 'the CLI bundle is built (npm run build:node)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'raft-lab-chaos-test-'));
    tempDirs.push(dir);
    const history = join(dir, 'history.txt');

    const run = await runCli(['chaos', '--nodes', '3', '--seconds', '8', '--clients', '3', '--keys', '3',
      '--faults', 'kill,pause,partition,loss', '--seed', '1', '--history', history]);
    const output = `exit ${String(run.code)} ${String(run.signal)}\n${run.stdout}\n${run.stderr}`;
    expect(run.code, output).toBe(0);
    const lastLine = run.stdout.trim().split('\n').at(-1) ?? '';
    const summary = JSON.parse(lastLine) as Record<string, unknown>;
    expect(summary, output).toMatchObject({ linearizable: true, lostAcknowledgedWrites: 0, seed: 1 });
    expect(summary.ops, output).toBeGreaterThan(0);
    expect(readFileSync(history, 'utf8').trim().length, 'history file written').toBeGreaterThan(0);
  });
});
