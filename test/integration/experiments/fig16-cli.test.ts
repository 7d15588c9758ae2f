// `raft-lab experiment fig16` end to end on real processes: a small run writes the CSV (one row per trial), the SVG
// plot and the JSON summary; Ctrl-C cancels a run, stops every node process it started, and still writes what was
// measured. Times are not asserted (speed lives in the benchmarks and docs/experiments.md); the contract is.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessAlive, waitFor } from '../../helpers/lab-process';
import { describeRun, lastJsonLine, PROJECT_ROOT, runCli, stopRunningCli } from '../cluster/cli-runner';

/** Two ranges × 3 trials take ~10 s on the 2-core CI machine; the deadline leaves room for a loaded machine. */
const RUN_DEADLINE_MS = 150_000;
const dirs: string[] = [];

function outDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'raft-lab-fig16-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  await stopRunningCli();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('raft-lab experiment fig16', () => {
  it('kills the leader of a 5-node cluster 3 times per range and writes CSV, SVG and JSON', { timeout: 180_000 }, async () => {
    const out = outDir();
    const run = await runCli(['experiment', 'fig16', '--nodes', '5', '--trials', '3', '--ranges', '150-300,150-151', '--out', out],
      RUN_DEADLINE_MS);
    const output = describeRun(run);
    expect(run.code, output).toBe(0);
    expect(readdirSync(out).sort(), output).toEqual(['fig16-write.svg', 'fig16.csv', 'fig16.json', 'fig16.svg']);

    const [header, ...lines] = readFileSync(join(out, 'fig16.csv'), 'utf8').trim().split('\n');
    expect(header?.split(',').slice(0, 4)).toEqual(['range', 'trial', 'electionMs', 'writeMs']);
    const rows = lines.map((line) => line.split(','));
    expect(rows.map((row) => `${row[0]}#${row[1]}`)).toEqual(['150-300#1', '150-300#2', '150-300#3', '150-151#1', '150-151#2', '150-151#3']);
    for (const row of rows) {
      // Each trial either has a time or is censored (empty) at the 10 s cap; a time is positive.
      for (const cell of [row[2], row[3]]) if (cell !== '') expect(Number(cell), output).toBeGreaterThan(0);
    }

    const svg = readFileSync(join(out, 'fig16.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('data-series="150-300 ms (3 trials)"');
    expect(svg).toContain('data-series="150-151 ms (3 trials)"');

    const summary = JSON.parse(readFileSync(join(out, 'fig16.json'), 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ experiment: 'fig16', status: 'done', trials: 6,
      spec: { nodes: 5, trials: 3, ranges: [[150, 300], [150, 151]], networkDelayMs: [0, 0] } });
    const ranges = summary['ranges'] as { range: string; election: { count: number }; heartbeatMs: number }[];
    expect(ranges.map((range) => [range.range, range.election.count, range.heartbeatMs])).toEqual([['150-300', 3, 75], ['150-151', 3, 75]]);
    expect((summary['loadAtStart'] as { loadAverage: number[] }).loadAverage).toHaveLength(3);
    expect(lastJsonLine(run), output).toMatchObject({ status: 'done', rows: 6 });
  });

  it('Ctrl-C cancels a run: its node processes are gone and the trials so far are written', { timeout: 120_000 }, async () => {
    const out = outDir();
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'raft-lab.js'), 'experiment', 'fig16', '--nodes', '3',
      '--trials', '200', '--ranges', '150-300', '--out', out], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { output += chunk; });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor(() => /150-300 trial 1:/.test(output), 60_000, `a first trial\n${output}`);
      // Between trials the killed leader is restarting: wait until all three node processes run.
      await waitFor(() => childPids(child.pid ?? -1).length >= 3, 20_000, `three node processes\n${output}`);
      const nodes = childPids(child.pid ?? -1);
      child.kill('SIGINT');
      expect(await exited, output).toBe(130);
      await waitFor(() => nodes.every((pid) => !isProcessAlive(pid)), 5000, `node processes ${nodes.join(', ')} to be gone`);
      const summary = JSON.parse(readFileSync(join(out, 'fig16.json'), 'utf8')) as { status: string; trials: number };
      expect(summary.status).toBe('cancelled');
      expect(summary.trials).toBeGreaterThanOrEqual(1);
      expect(readFileSync(join(out, 'fig16.csv'), 'utf8').trim().split('\n').length).toBe(summary.trials + 1);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

/** Processes whose parent is `parent` (Linux /proc). */
function childPids(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === parent) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
