// `raft-lab exercise run --example` / `--bin PATH --arg A`: an exercise whose goals need only what the lab sees of a
// student's nodes (messages, client results, statuses, the workload's verdict) runs on the example Raft behind relay
// nodes and is checked by the same evaluator as on the lab's own Raft; one that needs the lab's own Raft is skipped
// with the reason, never run half-blind.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeRun, PROJECT_ROOT, runCli, stopRunningCli } from '../cluster/cli-runner';

const RUN_DEADLINE_MS = 240_000;

afterEach(async () => {
  await stopRunningCli();
});

beforeAll(() => {
  expect(existsSync(join(PROJECT_ROOT, 'out', 'node', 'maelstrom-relay.js')), 'the relay bundle is built (npm run build:node)').toBe(true);
});

describe('raft-lab exercise run on a student\'s own Raft', () => {
  it('from-outside passes on the example Raft: every step achieved, the workload linearizable', async () => {
    const run = await runCli(['exercise', 'run', 'from-outside', '--example'], RUN_DEADLINE_MS);
    const output = describeRun(run);
    expect(run.code, output).toBe(0);
    for (const step of ['talk', 'write-read', 'one-down', 'two-down', 'back-up', 'many-clients']) {
      expect(run.stdout, output).toContain(`ok   from-outside / ${step}:`);
    }
    expect(run.stdout, output).toMatch(/^1 passed, 0 failed$/m);
  }, RUN_DEADLINE_MS + 10_000);

  it('skips an exercise that needs the lab\'s own Raft, with why; nothing left to run is exit 2', async () => {
    const run = await runCli(['exercise', 'run', 'first-election', '--bin', 'python3', '--arg', 'never-started.py'], 30_000);
    const output = describeRun(run);
    expect(run.code, output).toBe(2);
    expect(run.stdout, output).toContain('skip first-election: needs the lab\'s own Raft: it times a server out');
    expect(run.stdout, output).toMatch(/^0 passed, 0 failed, 1 skipped/m);
    expect(run.stderr, output).toContain('none of these exercises runs on that Raft');
  }, 40_000);
});
