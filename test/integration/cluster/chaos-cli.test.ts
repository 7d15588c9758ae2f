// A short `raft-lab chaos` run: real processes, a client workload and a seeded schedule of kills, pauses,
// partitions and loss; the run must end healthy, linearizable and without losing an acknowledged write.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CasStats } from '../../../src/lab/chaos/cas-stats';
import { describeRun, lastJsonLine, PROJECT_ROOT, runCli, stopRunningCli } from './cli-runner';

const RUN_DEADLINE_MS = 45_000;

let tempDirs: string[] = [];
afterEach(async () => {
  await stopRunningCli();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs = [];
});

describe('raft-lab chaos', () => {
  it('a short seeded run with every fault kind passes every check', async () => {
    expect(existsSync(join(PROJECT_ROOT, 'out', 'cli', 'raft-lab.js')), 'the CLI bundle is built (npm run build:node)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'raft-lab-chaos-test-'));
    tempDirs.push(dir);
    const history = join(dir, 'history.txt');

    const run = await runCli(['chaos', '--nodes', '3', '--seconds', '8', '--clients', '3', '--keys', '3',
      '--faults', 'kill,pause,partition,loss', '--seed', '1', '--history', history], RUN_DEADLINE_MS);
    const output = describeRun(run);
    expect(run.code, output).toBe(0);
    const summary = lastJsonLine(run);
    expect(summary, output).toMatchObject({ linearizable: true, lostAcknowledgedWrites: 0, seed: 1, invariantViolations: [] });
    expect(summary.ops, output).toBeGreaterThan(0);
    // Clients cas from what they last read or wrote: a good share of the cas take effect (3 of 494 did from guesses).
    const cas = summary.cas as CasStats;
    expect(cas.attempts, output).toBeGreaterThan(20);
    expect(cas.okShare, output).toBeGreaterThan(1 / 3);
    expect(cas.ok + cas.fail + cas.unknown, output).toBe(cas.attempts);
    expect(run.stdout, output).toMatch(/^chaos: cas: \d+ attempts, \d+ ok \(\d+%\), \d+ failed, \d+ unknown$/m);
    expect(readFileSync(history, 'utf8').trim().length, 'history file written').toBeGreaterThan(0);
  });

  it('--bugs double-vote: the live safety monitor catches the planted bug, the run fails and its last line names the invariant', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'raft-lab-chaos-test-'));
    tempDirs.push(dir);
    // Split votes (two followers time out at once) let a server hear two candidates of one term.
    const run = await runCli(['chaos', '--nodes', '3', '--seconds', '20', '--clients', '2', '--keys', '2',
      '--faults', 'split-vote', '--seed', '3', '--bugs', 'double-vote', '--history', join(dir, 'history.txt')], RUN_DEADLINE_MS);
    const output = describeRun(run);
    expect(run.code, output).toBe(1);
    const summary = lastJsonLine(run);
    expect(summary.bugs, output).toEqual(['double-vote']);
    expect(summary.invariantViolations, output).toContain('one-vote-per-term');
    const lastLine = run.stdout.trim().split('\n').pop() ?? '';
    expect(lastLine).toContain('one-vote-per-term');
    expect(run.stdout, output).toMatch(/SAFETY VIOLATION: one-vote-per-term \(planted bug double-vote\)/);
  });
});
