import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHistory, parseHistory, type HistoryOp } from '../../../src/check/history';
import { runCheckCommand } from '../../../src/cli/check';
import { get, put } from './support/ops';

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'raft-lab-check-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function historyFile(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCheckCommand(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

describe('raft-lab check FILE', () => {
  it('exits 0 with a one-line summary for a linearizable history', async () => {
    const file = await historyFile('ok.ndjson', formatHistory([put(0, '1', 0, 10), get(1, '1', 20, 30, 'x')]));
    const { code, stdout, stderr } = await run([file]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^.*ok\.ndjson: linearizable \(2 operations on 1 key, \d+ ms\)\n$/);
    expect(stderr).toBe('');
  });

  it('exits 1 and prints the key and the smallest failing operations, one per line', async () => {
    const culprit: HistoryOp[] = [put(0, 'a', 0, 10), put(1, 'b', 20, 30), get(2, 'a', 40, 50)];
    const noise = [put(3, 'n', 0, 10, 'y'), get(3, 'n', 20, 30, 'y')];
    const file = await historyFile('stale.ndjson', formatHistory([...noise, ...culprit]));
    const { code, stdout } = await run([file]);
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/stale\.ndjson: NOT linearizable \(5 operations on 2 keys, 1 key failing, \d+ ms\)/);
    expect(lines[1]).toBe('key "x": smallest failing set of 3 operations:');
    // The operation lines are in the history format, so they can be saved and checked again.
    expect(parseHistory(lines.slice(2, 5).join('\n'))).toEqual(culprit);
    expect(lines.slice(5).join('\n')).toContain('Stuck at client 2 get -> "a"');
  });

  it('exits 2 with FILE:LINE: message for a malformed line', async () => {
    const backwards = '{"client":0,"op":"get","key":"x","call":5,"ret":4,"status":"ok","value":null}';
    const text = `${formatHistory([put(0, '1', 0, 10)])}\n${backwards}\n`;
    const file = await historyFile('bad.ndjson', text);
    const { code, stdout, stderr } = await run([file]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${file}:3: "ret" (4) is before "call" (5)\n`);
  });

  it('exits 2 for a missing file, a directory, and usage errors', async () => {
    const missing = join(dir, 'missing.ndjson');
    expect(await run([missing])).toEqual({ code: 2, stdout: '', stderr: `${missing}: no such file\n` });
    expect((await run([dir])).stderr).toBe(`${dir}: not a regular file\n`);
    for (const argv of [[], ['a', 'b'], ['--frobnicate', 'a'], ['a', '--timeout-ms'], ['a', '--timeout-ms=0']]) {
      const { code, stderr } = await run(argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(stderr, argv.join(' ')).toMatch(/^raft-lab check: .*\nusage: raft-lab check FILE/);
    }
  });

  it('exits 3, saying the answer is unknown, when the check times out', async () => {
    // 16 concurrent writes, then a stale read: proving it stale takes ~10^6 search steps (every order of the 16),
    // far more than 1 ms allows (the clock is read every 4096 steps).
    const ops: HistoryOp[] = [];
    for (let i = 0; i < 16; i++) ops.push(put(i, `${i}`, 0, 1_000));
    ops.push(put(98, 'z', 1_100, 1_200), get(99, '0', 1_300, 1_400));
    const file = await historyFile('hard.ndjson', formatHistory(ops));
    const { code, stdout } = await run([file, '--timeout-ms', '1']);
    expect(code).toBe(3);
    expect(stdout).toMatch(/hard\.ndjson: UNDECIDED: linearizability unknown, the check timed out after \d+ ms/);
    expect(stdout).toContain('on 1 of 1 keys ("x")');
  });

  it('accepts --timeout-ms=N and prints usage for --help', async () => {
    const file = await historyFile('one.ndjson', formatHistory([put(0, '1', 0, 10)]));
    expect((await run([`--timeout-ms=5000`, file])).code).toBe(0);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('3 undecided (timed out)');
  });
});
