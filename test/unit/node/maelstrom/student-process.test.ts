// The student's process as the relay sees it: complete lines, over-long lines cut and reported, a flood of lines
// slowed to the bound (its stdout is not read meanwhile) and then stopped with a clear error, its exit with the last
// lines of its stderr. Real child processes (node -e), waited for by condition with a deadline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StudentProcess, type StudentProcessOptions } from '../../../../src/node/maelstrom/student-process';
import { MAX_MAELSTROM_LINE_BYTES } from '../../../../src/protocol/maelstrom';

const started: StudentProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const student of started.splice(0)) student.kill();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Seen {
  lines: string[];
  overlong: string[];
  flood: string[];
  exit: { code: number | null; tail: readonly string[] } | null;
}

function run(script: string, options: Partial<StudentProcessOptions> = {}): { student: StudentProcess; seen: Seen } {
  const dir = mkdtempSync(join(tmpdir(), 'student-process-'));
  dirs.push(dir);
  const seen: Seen = { lines: [], overlong: [], flood: [], exit: null };
  const student = new StudentProcess({
    command: process.execPath, args: ['-e', script], cwd: dir,
    onLine: (line) => seen.lines.push(line),
    onOverlongLine: (head) => seen.overlong.push(head),
    onFlood: (description) => seen.flood.push(description),
    onExit: (code, _signal, tail) => { seen.exit = { code, tail }; },
    ...options,
  });
  started.push(student);
  return { student, seen };
}

async function waitFor(condition: () => boolean, deadlineMs: number, what: string): Promise<void> {
  const until = performance.now() + deadlineMs;
  while (!condition()) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('StudentProcess', () => {
  it('hands over complete lines (split across writes, CRLF, blank lines skipped) and echoes stdin', async () => {
    // It echoes stdin only once its own lines are out, so the echo cannot land inside its split line.
    const { student, seen } = run(`
      process.stdout.write('{"a":');
      setTimeout(() => { process.stdout.write('1}\\r\\n\\n{"b":2}\\n'); process.stdin.on('data', (d) => process.stdout.write(d)); }, 50);`);
    expect(student.write('{"c":3}')).toBe(true);
    await waitFor(() => seen.lines.length >= 3, 10_000, 'three lines');
    expect(seen.lines.sort()).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('cuts a line longer than the bound, reports its start once, and carries on with the next line', async () => {
    const size = MAX_MAELSTROM_LINE_BYTES + 10;
    const { seen } = run(`process.stdout.write('x'.repeat(${size}) + '\\n{"after":true}\\n');`);
    await waitFor(() => seen.lines.length >= 1, 10_000, 'the line after the long one');
    expect(seen.overlong).toHaveLength(1);
    expect(seen.overlong[0]?.startsWith('xxxx')).toBe(true);
    expect(seen.lines).toEqual(['{"after":true}']);
  });

  it('a flood is slowed to the bound a second (backpressure) and then stopped with a clear error', async () => {
    const maxLinesPerWindow = 200;
    const { seen } = run(`const line = '{"spam":1}\\n'.repeat(100); const go = () => { while (process.stdout.write(line)); process.stdout.once('drain', go); }; go();`,
      { maxLinesPerWindow, floodWindowsLimit: 2 });
    const startedAt = performance.now();
    await waitFor(() => seen.flood.length > 0, 15_000, 'the flood to be reported');
    const seconds = (performance.now() - startedAt) / 1000;
    // Two windows' worth at most (plus the window in progress), however fast it writes.
    expect(seen.lines.length).toBeLessThanOrEqual(maxLinesPerWindow * (Math.ceil(seconds) + 1));
    expect(seen.flood[0]).toMatch(/more than 200 lines a second for 2 seconds in a row/);
  });

  it('reports its exit with the last lines of its stderr', async () => {
    const { seen } = run(`console.error('first'); console.error('last words'); process.exit(4);`);
    await waitFor(() => seen.exit !== null, 10_000, 'the exit');
    expect(seen.exit?.code).toBe(4);
    expect(seen.exit?.tail).toEqual(['first', 'last words']);
  });

  it('keeps a stderr line written in pieces whole (a Python traceback writes "RuntimeError" and ": why" apart), and a last line without a newline', async () => {
    const { seen } = run(`
      process.stderr.write('Traceback\\nRuntimeError');
      setTimeout(() => { process.stderr.write(': my-raft: log index out of range\\nno newline'); setTimeout(() => process.exit(1), 50); }, 100);`);
    await waitFor(() => seen.exit !== null, 10_000, 'the exit');
    expect(seen.exit?.tail).toEqual(['Traceback', 'RuntimeError: my-raft: log index out of range', 'no newline']);
  });

  it('a command that cannot be run is reported as an exit with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'student-process-'));
    dirs.push(dir);
    let tail: readonly string[] = [];
    let exited = false;
    started.push(new StudentProcess({ command: join(dir, 'missing'), args: [], cwd: dir, onLine: () => undefined,
      onOverlongLine: () => undefined, onFlood: () => undefined, onExit: (_code, _signal, lines) => { exited = true; tail = lines; } }));
    await waitFor(() => exited, 10_000, 'the failed start');
    expect(tail.join('\n')).toMatch(/could not run .*missing.*ENOENT/);
  });
});
