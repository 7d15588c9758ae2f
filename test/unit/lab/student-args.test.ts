// A student's node runs in its own working directory, so the arguments naming their program's files (`--bin python3
// --arg my_raft.py`, as docs/byo-raft.md writes it) are resolved where the lab was started; nothing else is touched.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { studentArgs } from '../../../src/lab/node-launcher';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('studentArgs', () => {
  it('passes existing files and folders relative to the lab\'s working directory as absolute paths, the rest as they are', () => {
    dir = mkdtempSync(join(tmpdir(), 'raft-lab-student-args-'));
    writeFileSync(join(dir, 'my_raft.py'), 'print()\n');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'node.js'), '\n');
    expect(studentArgs(['my_raft.py', '--verbose', '-v', 'state.db', './src/node.js', 'src', '/abs/elsewhere.py', 'run', ''], dir))
      .toEqual([join(dir, 'my_raft.py'), '--verbose', '-v', 'state.db', join(dir, 'src', 'node.js'), join(dir, 'src'), '/abs/elsewhere.py', 'run', '']);
  });
});
