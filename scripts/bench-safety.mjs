// `npm run bench:safety`: the live safety monitor must never fire on correct Raft. Runs `raft-lab chaos` N times
// (seeds 1..N, 3 and 5 nodes in turn, every fault kind, no planted bug) and prints one line per run with the load
// average beside it, then a summary; exit 1 if any run reported a violation or failed a check.
//   node scripts/bench-safety.mjs [--runs 20] [--seconds 10] [--first-seed 1]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const FAULTS = 'kill,pause,partition,loss,split-vote,deposed-leader,vote-reboot';
/** A run that takes this long has hung: it is stopped and counted as failed. */
const RUN_DEADLINE_MS = 180_000;

function flag(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive integer`);
  return value;
}

const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');

function chaos(args) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'raft-lab.js'), 'chaos', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => child.kill('SIGINT'), RUN_DEADLINE_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

const runs = flag('runs', 20);
const seconds = flag('seconds', 10);
const firstSeed = flag('first-seed', 1);
const dir = mkdtempSync(join(tmpdir(), 'raft-lab-bench-safety-'));
const totals = { runs: 0, passed: 0, violations: 0, ops: 0, elections: 0, faults: 0 };
process.stdout.write(`bench:safety: ${runs} chaos runs of ${seconds} s, faults ${FAULTS}, no planted bug; load average (1, 5, 15 min) at the start: ${load()}\n`);
try {
  for (let i = 0; i < runs; i += 1) {
    const seed = firstSeed + i;
    const nodes = i % 2 === 0 ? 3 : 5;
    const startedMs = performance.now();
    const run = await chaos(['--nodes', String(nodes), '--seconds', String(seconds), '--clients', '4', '--keys', '4',
      '--faults', FAULTS, '--seed', String(seed), '--history', join(dir, `history-${seed}.txt`)]);
    const lastLine = run.stdout.trim().split('\n').pop() ?? '';
    let summary = null;
    try {
      summary = JSON.parse(lastLine);
    } catch {
      summary = null;
    }
    const violations = summary?.invariantViolations ?? ['(no summary)'];
    const faults = summary ? Object.values(summary.faults).reduce((sum, count) => sum + count, 0) : 0;
    totals.runs += 1;
    totals.passed += run.code === 0 ? 1 : 0;
    totals.violations += violations.length;
    totals.ops += summary?.ops ?? 0;
    totals.elections += summary?.elections ?? 0;
    totals.faults += faults;
    process.stdout.write(`seed ${seed}: ${nodes} nodes, exit ${run.code}, ${summary?.ops ?? '?'} ops, ${summary?.elections ?? '?'} elections, ` +
      `${faults} faults, violations ${JSON.stringify(violations)}, ${((performance.now() - startedMs) / 1000).toFixed(1)} s, load ${load()}\n`);
    if (run.code !== 0) process.stdout.write(`${run.stdout.split('\n').filter((line) => /VIOLATION|FAILED|LOST|NOT LINEARIZABLE/.test(line)).join('\n')}\n${run.stderr.slice(-2000)}\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const ok = totals.passed === totals.runs && totals.violations === 0;
process.stdout.write(`bench:safety: ${totals.passed}/${totals.runs} runs passed, ${totals.violations} violations, ${totals.ops} ops, ` +
  `${totals.elections} elections, ${totals.faults} faults; load average now ${load()}\n`);
process.exit(ok ? 0 : 1);
