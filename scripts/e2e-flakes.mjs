#!/usr/bin/env node
// Runs the Playwright e2e suite (or some of its specs) N times in a row and reports how often each spec and each test
// passed, which runs failed, and the machine's load average around each run: a flaky test shows up here, not in CI.
//
//   npm run build && npm run test:e2e:flakes -- --runs 10 [--spec test/e2e/x.spec.ts ...] [--report FILE]
//
// Playwright itself runs as in `npm run test:e2e` (playwright.config.ts, no retries), with the JSON reporter on
// stdout; each run keeps its failure artifacts in test-results/e2e-flakes/run-N. Exit 0 only when every run passed.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(import.meta.dirname, '..');
const MAX_RUNS = 200;

function usage(message) {
  process.stderr.write(`${message}\nusage: npm run test:e2e:flakes -- --runs N [--spec FILE]... [--report FILE]\n`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      runs: { type: 'string', default: '10' },
      spec: { type: 'string', multiple: true, default: [] },
      report: { type: 'string', default: 'test-results/e2e-flakes.json' },
    },
    allowPositionals: false,
  });
} catch (error) {
  usage(error.message);
}
const runs = Number(parsed.values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > MAX_RUNS) usage(`--runs must be an integer in 1..${MAX_RUNS}`);
const specs = parsed.values.spec;
const reportFile = resolve(ROOT, parsed.values.report);

/** One Playwright run; resolves with its parsed JSON report (null if none came out) and its exit code. */
function playwrightRun(index) {
  const args = ['playwright', 'test', ...specs, '--reporter=json', `--output=test-results/e2e-flakes/run-${index}`];
  return new Promise((resolveRun) => {
    const child = spawn('npx', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('close', (code) => {
      let report = null;
      try {
        report = JSON.parse(stdout.slice(stdout.indexOf('{')));
      } catch {
        report = null;
      }
      resolveRun({ code, report, stderr });
    });
  });
}

/** Every test of a report as { spec, title, status, error }, walking nested describe blocks. */
function testsOf(report) {
  const found = [];
  const walk = (suite, file, titles) => {
    const specFile = suite.file ?? file;
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        const results = test.results ?? [];
        const last = results[results.length - 1];
        const status = test.status === 'skipped' ? 'skipped' : last?.status === 'passed' ? 'passed' : 'failed';
        const error = last?.error?.message ?? last?.errors?.[0]?.message ?? null;
        found.push({ spec: specFile, title: [...titles, spec.title].join(' › '), status, error });
      }
    }
    for (const child of suite.suites ?? []) walk(child, specFile, child.title && child.title !== specFile ? [...titles, child.title] : titles);
  };
  for (const suite of report.suites ?? []) walk(suite, suite.file, []);
  return found;
}

// Playwright's messages carry terminal colours (ESC [ ... m).
const COLOURS = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const firstLine = (text) => (text ?? '').replace(COLOURS, '').split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');

const perSpec = new Map();
const perTest = new Map();
const runRecords = [];
process.stdout.write(`e2e flakes: ${runs} run(s) of ${specs.length > 0 ? specs.join(', ') : 'the whole e2e suite'}; load average ${load()}\n`);
for (let index = 1; index <= runs; index += 1) {
  const startedMs = Date.now();
  const loadBefore = load();
  const { code, report, stderr } = await playwrightRun(index);
  const seconds = Math.round((Date.now() - startedMs) / 1000);
  const tests = report === null ? [] : testsOf(report);
  const failed = tests.filter((test) => test.status === 'failed');
  const broken = report === null || (code !== 0 && failed.length === 0);
  for (const test of tests) {
    const specCount = perSpec.get(test.spec) ?? { passed: 0, failed: 0, failedRuns: new Set() };
    const testCount = perTest.get(`${test.spec} › ${test.title}`) ?? { passed: 0, failed: 0, skipped: 0 };
    testCount[test.status] += 1;
    if (test.status === 'failed') specCount.failedRuns.add(index);
    perTest.set(`${test.spec} › ${test.title}`, testCount);
    perSpec.set(test.spec, specCount);
  }
  for (const [spec, count] of perSpec) {
    if (tests.some((test) => test.spec === spec)) count[count.failedRuns.has(index) ? 'failed' : 'passed'] += 1;
  }
  const record = {
    run: index, exitCode: code, seconds, loadBefore, loadAfter: load(), passed: tests.filter((test) => test.status === 'passed').length,
    failed: failed.map((test) => ({ spec: test.spec, title: test.title, error: firstLine(test.error) })),
    ...(broken ? { problem: firstLine(stderr) || `playwright exited ${code} without a failing test in its report` } : {}),
  };
  runRecords.push(record);
  const verdict = failed.length === 0 && !broken ? 'green' : broken && failed.length === 0 ? `BROKEN (${record.problem})` : `${failed.length} FAILED`;
  process.stdout.write(`run ${index}/${runs}: ${verdict}, ${record.passed} passed, ${seconds} s, load ${loadBefore} -> ${record.loadAfter}\n`);
  for (const test of record.failed) process.stdout.write(`  ✗ ${test.spec} › ${test.title}: ${test.error}\n`);
}

process.stdout.write('\nper spec (runs in which all its tests passed / runs in which one failed):\n');
for (const [spec, count] of [...perSpec].sort((a, b) => a[0].localeCompare(b[0]))) {
  const failedRuns = [...count.failedRuns];
  process.stdout.write(`  ${spec}: ${count.passed} passed, ${count.failed} failed${failedRuns.length > 0 ? ` (runs ${failedRuns.join(', ')})` : ''}\n`);
}
const flaky = [...perTest].filter(([, count]) => count.failed > 0);
if (flaky.length > 0) {
  process.stdout.write('failing tests:\n');
  for (const [title, count] of flaky) process.stdout.write(`  ${title}: failed ${count.failed} of ${count.passed + count.failed}\n`);
}
const greenRuns = runRecords.filter((record) => record.failed.length === 0 && record.problem === undefined).length;
mkdirSync(dirname(reportFile), { recursive: true });
writeFileSync(reportFile, `${JSON.stringify({
  runs, specs, greenRuns,
  perSpec: Object.fromEntries([...perSpec].map(([spec, count]) => [spec, { passed: count.passed, failed: count.failed, failedRuns: [...count.failedRuns] }])),
  perTest: Object.fromEntries(perTest), runRecords,
}, null, 2)}\n`);
process.stdout.write(`\n${greenRuns} of ${runs} runs green; load average now ${load()}; report in ${relative(ROOT, reportFile)}\n`);
process.exit(greenRuns === runs ? 0 : 1);
