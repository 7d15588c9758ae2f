// The exercise and demo commands' contract: list as JSON, check with file:line and exit 2, run a file on a real
// cluster (exit 0), a failing goal names its step (exit 1), the JSON Schema for editors.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, stopRunningCli } from './cli-runner';

afterEach(stopRunningCli);

const dir = mkdtempSync(join(tmpdir(), 'raft-lab-exercise-cli-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const TINY = `id: tiny
title: Tiny
level: 1
minutes: 1
paper: "§5.2"
cluster: {nodes: 3, timeScale: 1, networkDelayMs: [0, 0]}
intro: A leader, then another.
steps:
  - id: elect
    text: Wait.
    goal: {leader: {}}
    solution: [{wait: {until: {leader: {}}}}]
    withinMs: 15000
`;

describe('raft-lab exercise', () => {
  it('lists the built-in exercises as JSON: id, title, level, minutes, paper', async () => {
    const run = await runCli(['exercise', 'list', '--json'], 20_000);
    expect(run.code).toBe(0);
    const items = JSON.parse(run.stdout.trim()) as { id: string; title: string; level: number; minutes: number; paper: string }[];
    expect(items.length).toBeGreaterThanOrEqual(16);
    expect(items.map((item) => item.id)).toEqual(expect.arrayContaining(['first-election', 'leader-crash', 'split-vote', 'replication',
      'follower-catch-up', 'minority-leader', 'log-rollback', 'figure-8', 'crash-recovery', 'stale-read', 'snapshot-install', 'pre-vote',
      'check-quorum', 'find-the-bug-1', 'find-the-bug-2', 'find-the-bug-3']));
    for (const item of items) expect(Object.keys(item).sort()).toEqual(['id', 'level', 'minutes', 'paper', 'title']);
  });

  it('check: exit 0 for a valid file, 2 with file:line:column and the field for a broken one', async () => {
    expect((await runCli(['exercise', 'check', file('tiny.yaml', TINY)], 20_000)).code).toBe(0);
    const broken = file('broken.yaml', TINY.replace('minutes: 1', 'minutes: 1\ncolour: red'));
    const run = await runCli(['exercise', 'check', broken], 20_000);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${broken}:1:1: (file): unknown key "colour"`);
    expect(run.stderr.endsWith('\n')).toBe(true);
  });

  it('run: plays a file on a real cluster (exit 0); an unreachable goal names its step (exit 1)', async () => {
    const ok = await runCli(['exercise', 'run', file('tiny.yaml', TINY)], 60_000);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('1 passed, 0 failed');
    const never = file('never.yaml', TINY.replace('goal: {leader: {}}', 'goal: {leader: {termAtLeast: 99}}').replace('withinMs: 15000', 'withinMs: 2000'));
    const failed = await runCli(['exercise', 'run', never], 60_000);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('tiny: step "elect" not achieved: a server is the leader in term 99 or later');
    expect(failed.stdout).toContain('last relevant events:');
  });

  it('schema: a JSON Schema an editor can use', async () => {
    const run = await runCli(['exercise', 'schema'], 20_000);
    expect(run.code).toBe(0);
    const schema = JSON.parse(run.stdout) as { type?: string; properties?: Record<string, unknown> };
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties ?? {})).toEqual(expect.arrayContaining(['id', 'title', 'level', 'cluster', 'steps']));
  });
});

describe('raft-lab demo', () => {
  it('lists the built-in demos as JSON: id, title, minutes; and plays one headless', async () => {
    const list = await runCli(['demo', 'list', '--json'], 20_000);
    expect(list.code).toBe(0);
    const items = JSON.parse(list.stdout.trim()) as { id: string }[];
    // Teaching order, not file-name order: a first election, replication, a leader crash, ...
    expect(items.slice(0, 3).map((item) => item.id)).toEqual(['first-election', 'log-replication', 'leader-crash']);
    const text = await runCli(['demo', 'list'], 20_000);
    expect(text.stdout.trim().split('\n').map((line) => line.split(' ')[0])).toEqual(items.map((item) => item.id));
    for (const item of items) expect(Object.keys(item).sort()).toEqual(['id', 'minutes', 'title']);
    const run = await runCli(['demo', 'run', 'first-election'], 60_000);
    expect(run.code, run.stdout + run.stderr).toBe(0);
  });
});
