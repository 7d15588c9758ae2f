// `raft-lab maelstrom` against small protocol nodes written in Python for these tests (test/fixtures/byo): a student's
// own "Raft" as real processes behind relay nodes. The contract: the last stdout line is a JSON summary; exit 0 when
// every check passed, 1 when a check failed (with the smallest failing set of operations), 2 when the binary could
// not be run or broke the protocol (with its stderr).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseHistory } from '../../../src/check/history';
import { describeRun, lastJsonLine, PROJECT_ROOT, runCli, stopRunningCli } from '../cluster/cli-runner';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'byo');
const RUN_DEADLINE_MS = 50_000;

let tempDirs: string[] = [];
afterEach(async () => {
  await stopRunningCli();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs = [];
});

beforeAll(() => {
  expect(existsSync(join(PROJECT_ROOT, 'out', 'node', 'maelstrom-relay.js')), 'the relay bundle is built (npm run build:node)').toBe(true);
});

function historyFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'raft-lab-byo-test-'));
  tempDirs.push(dir);
  return join(dir, 'history.jsonl');
}

/** Processes still running one of the fixtures (none may outlive the lab). */
function fixtureProcesses(): string[] {
  const lines = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n');
  return lines.filter((line) => line.includes(FIXTURES));
}

describe('raft-lab maelstrom', () => {
  it('a linearizable node that forwards to n1 passes: exit 0, a JSON summary with node-to-node messages, a checkable history', async () => {
    const history = historyFile();
    // The script's path relative to where the lab runs, as docs/byo-raft.md writes it (each node runs in its own directory).
    const run = await runCli(['maelstrom', '--bin', 'python3', '--arg', relative(PROJECT_ROOT, join(FIXTURES, 'forward_to_n1.py')), '--nodes', '3',
      '--seconds', '4', '--clients', '3', '--keys', '3', '--seed', '7', '--history', history], RUN_DEADLINE_MS);
    const output = describeRun(run);
    expect(run.code, output).toBe(0);
    const summary = lastJsonLine(run);
    expect(summary, output).toMatchObject({ linearizable: true, lostAcknowledgedWrites: 0, seed: 7, protocolErrors: 0 });
    expect(summary['ops'], output).toBeGreaterThan(20);
    expect(summary['ok'], output).toBeGreaterThan(0);
    expect(summary['messages'], 'forwarding needs messages between nodes').toBeGreaterThan(0);
    const ops = parseHistory(readFileSync(history, 'utf8'));
    expect(ops.length).toBe(summary['ops']);
    expect(ops.every((op) => /^\d+$/.test(op.key)), 'keys are the integers Maelstrom sends, as decimal strings').toBe(true);
    const check = await runCli(['check', history], RUN_DEADLINE_MS);
    expect(check.code, describeRun(check)).toBe(0);
    expect(fixtureProcesses(), 'no student process outlives the lab').toEqual([]);
  });

  it('a node may answer a client that wrote to another node (n1 answers what n2 and n3 forward): the client gets it', async () => {
    const run = await runCli(['maelstrom', '--bin', 'python3', '--arg', join(FIXTURES, 'forward_to_n1.py'), '--arg', '--answer-directly',
      '--nodes', '3', '--seconds', '3', '--clients', '3', '--keys', '3', '--seed', '8', '--history', historyFile()], RUN_DEADLINE_MS);
    const output = describeRun(run);
    expect(run.code, output).toBe(0);
    const summary = lastJsonLine(run);
    expect(summary, output).toMatchObject({ linearizable: true, protocolErrors: 0 });
    expect(summary['ok'], output).toBeGreaterThan(20);
    // Before n1's answers reached the clients, two thirds of the operations (those sent to n2 and n3) ended unknown; a
    // loaded machine may still let one miss its 1 s.
    expect((summary['unknown'] as number) * 10, output).toBeLessThan(summary['ops'] as number);
  });

  it('a run without faults fails nothing it did not send: the workload starts once the lab\'s clients reach every node', async () => {
    const history = historyFile();
    const run = await runCli(['maelstrom', '--bin', process.execPath, '--arg', join(PROJECT_ROOT, 'assets', 'byo', 'example-raft.mjs'),
      '--nodes', '3', '--seconds', '3', '--clients', '3', '--keys', '3', '--seed', '1', '--history', history], RUN_DEADLINE_MS);
    const output = describeRun(run);
    expect(run.code, output).toBe(0);
    const summary = lastJsonLine(run);
    const ops = parseHistory(readFileSync(history, 'utf8'));
    // The only failure a healthy run has is the node's own definite answer: a cas whose key did not hold `from` (20, 22).
    // Before, the first requests went out while ZeroMQ was still connecting, were refused and recorded failed.
    const failed = ops.filter((op) => op.status === 'fail');
    expect(failed.filter((op) => op.op !== 'cas'), output).toEqual([]);
    expect(summary['fail'], output).toBe(failed.length);
    expect(summary, output).toMatchObject({ linearizable: true, protocolErrors: 0, nodeExits: 0 });
    // The first operations go out before the first election is won (the example's timeout is 300-600 ms after init) and
    // end unknown: every node answers 11, "no leader known". The run says how many, the ones the history shows sent
    // before the first answer.
    const firstAnswerNs = Math.min(...ops.flatMap((op) => (op.status !== 'unknown' && op.ret !== null ? [op.ret] : [])));
    const early = ops.filter((op) => op.status === 'unknown' && op.call < firstAnswerNs).length;
    if (early > 0) expect(run.stdout, output).toContain(`; ${early} of them were sent in the first `);
    else expect(run.stdout, output).not.toContain('before your cluster answered any operation');
  });

  it('the example Raft shipped in assets/byo (JavaScript) stays linearizable under kill, pause, partition and loss', async () => {
    const run = await runCli(['maelstrom', '--bin', process.execPath, '--arg', join(PROJECT_ROOT, 'assets', 'byo', 'example-raft.mjs'),
      '--nodes', '3', '--seconds', '8', '--clients', '3', '--keys', '3', '--faults', 'kill,pause,partition,loss', '--seed', '2',
      '--history', historyFile()], RUN_DEADLINE_MS);
    const output = describeRun(run);
    expect(run.code, output).toBe(0);
    const summary = lastJsonLine(run);
    expect(summary, output).toMatchObject({ linearizable: true, lostAcknowledgedWrites: 0, protocolErrors: 0, nodeExits: 0, unreadKeys: 0 });
    expect(summary['ok'], output).toBeGreaterThan(0);
    const faults = summary['faults'] as Record<string, number>;
    expect(Object.values(faults).reduce((sum, count) => sum + count, 0), output).toBeGreaterThan(0);
  });

  it('a node that keeps its own copy is reported not linearizable, with the failing operations: exit 1', async () => {
    const run = await runCli(['maelstrom', '--bin', join(FIXTURES, 'local_copy.py'), '--nodes', '3', '--seconds', '3',
      '--clients', '3', '--keys', '2', '--seed', '2', '--history', historyFile()], RUN_DEADLINE_MS);
    const output = describeRun(run);
    expect(run.code, output).toBe(1);
    expect(lastJsonLine(run), output).toMatchObject({ linearizable: false, messages: 0, protocolErrors: 0 });
    expect(run.stdout, output).toMatch(/NOT LINEARIZABLE on key \d+/);
    const failing = run.stdout.split('\n').filter((line) => line.startsWith('  {"client"'));
    expect(failing.length, output).toBeGreaterThanOrEqual(2);
  });

  it('--report writes the grading report: every scenario fails for a node that keeps its own copy, each with its timeline', async () => {
    const report = join(mkdtempSync(join(tmpdir(), 'raft-lab-byo-report-')), 'report.html');
    tempDirs.push(join(report, '..'));
    const run = await runCli(['maelstrom', '--bin', join(FIXTURES, 'local_copy.py'), '--nodes', '3', '--seconds', '1', '--clients', '3',
      '--keys', '2', '--seed', '5', '--history', historyFile(), '--report', report], 120_000);
    const output = describeRun(run);
    expect(run.code, output).toBe(1);
    const summary = lastJsonLine(run);
    expect((summary['scenarios'] as { failed: string[] }).failed, output).toEqual(expect.arrayContaining(['your-run', 'no-faults',
      'elections-partition', 'crashed-minority', 'everyone-restarts', 'linearizable-kill', 'linearizable-pause', 'linearizable-partition',
      'linearizable-loss']));
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('0 of 9 scenarios passed');
    expect(html).toContain('FAIL: Agreement with a crashed minority');
    expect(html).toContain('The smallest failing set of operations');
    expect(html.match(/<svg /g)?.length ?? 0, 'a timeline per failing run').toBeGreaterThanOrEqual(9);
    expect(html).not.toMatch(/<script/i);
  }, 150_000);

  it('a node that crashes at start: exit 2, and its stderr is shown', async () => {
    const run = await runCli(['maelstrom', '--bin', join(FIXTURES, 'crash_at_start.py'), '--nodes', '3', '--seconds', '2',
      '--clients', '1', '--keys', '1', '--seed', '1', '--history', historyFile()], RUN_DEADLINE_MS);
    const output = describeRun(run);
    expect(run.code, output).toBe(2);
    expect(run.stdout, output).toContain('FileNotFoundError: my-raft.conf');
    expect(run.stdout, output).toMatch(/exited with code 3/);
    expect(lastJsonLine(run), output).toMatchObject({ ops: 0, linearizable: null });
    // nodeExits counts every node whose stderr says it exited by itself (before: only the exit the lab heard of before
    // it stopped the others, and only if its event had arrived: 0 or 1 while the output showed all 3 exits).
    const exits = run.stdout.match(/^ {2}n\d \(your node\) exited with code 3/gm)?.length ?? 0;
    expect(exits, output).toBeGreaterThanOrEqual(1);
    expect(lastJsonLine(run)['nodeExits'], output).toBe(exits);
  });

  it('a node that crashes during the run: exit 2, and its stderr is printed from the traceback\'s first line', async () => {
    const run = await runCli(['maelstrom', '--bin', join(FIXTURES, 'crash_mid_run.py'), '--nodes', '1', '--seconds', '2',
      '--clients', '1', '--keys', '1', '--seed', '1', '--history', historyFile()], RUN_DEADLINE_MS);
    const output = describeRun(run);
    expect(run.code, output).toBe(2);
    expect(run.stdout, output).toMatch(/S1 failed \(exited with code 1\); last lines of stderr:\n {4}n1 \(your node\) exited with code 1/);
    expect(run.stdout, output).toContain('    Traceback (most recent call last):');
    expect(run.stdout, output).toContain('RuntimeError: my-raft: log index out of range');
    expect(lastJsonLine(run), output).toMatchObject({ nodeExits: 1, protocolErrors: 0 });
  });

  it('a binary that does not exist: exit 2 with the reason', async () => {
    const run = await runCli(['maelstrom', '--bin', join(FIXTURES, 'no-such-node'), '--nodes', '1', '--seconds', '1',
      '--clients', '1', '--keys', '1', '--seed', '1', '--history', historyFile()], RUN_DEADLINE_MS);
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stdout, describeRun(run)).toMatch(/could not run .*no-such-node.*ENOENT/);
  });

  it('malformed lines are reported with the line and dropped; the node carries on; the run exits 2 for the broken protocol', async () => {
    const run = await runCli(['maelstrom', '--bin', join(FIXTURES, 'malformed.py'), '--nodes', '1', '--seconds', '2',
      '--clients', '2', '--keys', '2', '--seed', '3', '--history', historyFile()], RUN_DEADLINE_MS);
    const output = describeRun(run);
    expect(run.code, output).toBe(2);
    expect(run.stdout, output).toMatch(/protocol error: dropped a malformed line \(not JSON\): this is not json/);
    expect(run.stdout, output).toMatch(/protocol error: dropped a malformed line \(missing field "body"\)/);
    expect(run.stdout, output).toMatch(/protocol error: dropped a message to unknown dest "n9"/);
    const summary = lastJsonLine(run);
    expect(summary, output).toMatchObject({ protocolErrors: 3, linearizable: true, nodeExits: 0 });
    expect(summary['ok'], 'the node kept serving').toBeGreaterThan(0);
  });

  it('rejects unknown fault kinds and a missing --bin with exit 2 and a usage message', async () => {
    const noBin = await runCli(['maelstrom', '--history', historyFile()], RUN_DEADLINE_MS);
    expect(noBin.code).toBe(2);
    expect(noBin.stderr).toContain('--bin PATH is required');
    const badFault = await runCli(['maelstrom', '--bin', 'x', '--faults', 'split-vote', '--history', historyFile()], RUN_DEADLINE_MS);
    expect(badFault.code).toBe(2);
    expect(badFault.stderr).toContain('unknown fault kind(s): split-vote');
  });
});
