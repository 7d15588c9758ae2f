// `raft-lab chaos --faults membership,...` on real processes: servers are added (new processes with empty disks,
// learners then voters) and removed (the leader too) among other faults, and the run still ends linearizable,
// without a lost acknowledged write and with the live safety monitor silent (it observes the added servers and counts
// the voters of the configurations they join: no false alarm when a majority of the new configuration commits); with
// --joint the same by joint consensus.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeRun, lastJsonLine, runCli, stopRunningCli } from './cli-runner';

const RUN_DEADLINE_MS = 60_000;

let tempDirs: string[] = [];
afterEach(async () => {
  await stopRunningCli();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs = [];
});

describe('raft-lab chaos with membership changes', () => {
  it('adds and removes servers among kills and stays linearizable with the safety monitor silent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'raft-lab-chaos-membership-'));
    tempDirs.push(dir);
    const run = await runCli(['chaos', '--nodes', '3', '--seconds', '10', '--clients', '3', '--keys', '3',
      '--faults', 'membership,kill', '--seed', '5', '--history', join(dir, 'history.txt')], RUN_DEADLINE_MS);
    const output = describeRun(run);
    expect(run.code, output).toBe(0);
    const summary = lastJsonLine(run);
    expect(summary, output).toMatchObject({ linearizable: true, lostAcknowledgedWrites: 0, seed: 5, invariantViolations: [] });
    expect((summary.faults as Record<string, number>).membership, output).toBeGreaterThan(0);
    // At least one change went through (a refused one, while another is pending, is logged and skipped).
    expect(run.stdout, output).toMatch(/S\d+ joins as a learner|S\d+ left the cluster/);
  });

  it('with --joint, the changes go through C_old,new and C_new (paper §6), and the run stays linearizable with the monitor silent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'raft-lab-chaos-joint-'));
    tempDirs.push(dir);
    const run = await runCli(['chaos', '--nodes', '3', '--seconds', '10', '--clients', '3', '--keys', '3',
      '--faults', 'membership,kill', '--seed', '5', '--joint', '--history', join(dir, 'history.txt')], RUN_DEADLINE_MS);
    const output = describeRun(run);
    expect(run.code, output).toBe(0);
    expect(run.stdout, output).toMatch(/^chaos: seed 5, .*, joint consensus$/m);
    expect(lastJsonLine(run), output).toMatchObject({ linearizable: true, lostAcknowledgedWrites: 0, seed: 5, invariantViolations: [] });
    expect(run.stdout, output).toMatch(/S\d+ joins as a learner|S\d+ left the cluster/);
  });
});
