import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { openWal } from '../../../src/node/storage';
import { makeRng, makeTempDir, makeWorkload, removeDir, testSeed } from './wal-test-support';

const CHILD_PATH = fileURLToPath(new URL('./wal-crash-child.ts', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WRITES = 400;
const ROUNDS = 3;

interface ChildRun {
  readonly ackedWrites: number;
  readonly killed: boolean;
}

/** Runs the child and SIGKILLs it once it has acknowledged `killAfterAcks` writes (or lets it finish). */
function runChildUntilKilled(dir: string, seed: number, killAfterAcks: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD_PATH, dir, String(seed), String(WRITES)], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let ackedWrites = 0;
    let partialLine = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (partialLine + chunk).split('\n');
      partialLine = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^ack (\d+)$/.exec(line);
        if (match !== null) ackedWrites = Math.max(ackedWrites, Number(match[1]));
      }
      if (ackedWrites >= killAfterAcks && child.exitCode === null) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk.slice(0, 10_000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve({ ackedWrites, killed: signal === 'SIGKILL' });
      else reject(new Error(`crash child exited with code ${code}, signal ${signal}: ${stderr}`));
    });
  });
}

let root: string;
beforeAll(async () => {
  root = await makeTempDir('process-crash');
});
afterAll(async () => {
  await removeDir(root);
});

describe('SIGKILL of a real writer process', () => {
  it('every write acknowledged before the kill is recovered', async () => {
    const baseSeed = testSeed();
    for (let round = 0; round < ROUNDS; round++) {
      const seed = (baseSeed + round) >>> 0;
      const context = `seed ${seed} (replay all with RAFT_LAB_SEED=${baseSeed})`;
      const killAfterAcks = makeRng(seed).int(1, WRITES - 1);
      const dir = join(root, `node-${seed}`);
      const run = await runChildUntilKilled(dir, seed, killAfterAcks);
      expect(run.ackedWrites, context).toBeGreaterThanOrEqual(Math.min(killAfterAcks, WRITES));

      const { states } = makeWorkload(seed, WRITES, true);
      const { wal, recovered } = await openWal(dir);
      await wal.close();
      // Writes the child had issued but not yet acknowledged may also be there, so any later state is fine too.
      const matching = states.findIndex(
        (state, written) => written >= run.ackedWrites && isDeepStrictEqual(state, recovered),
      );
      const summary = `killed after ${run.ackedWrites} acks, recovered lastIndex ${recovered.entries.length}`;
      expect(matching, `${context}: ${summary}`).toBeGreaterThanOrEqual(run.ackedWrites);
    }
  });
});
