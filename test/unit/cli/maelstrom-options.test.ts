// `raft-lab maelstrom`'s options: the defaults, the repeatable --arg (whose values may look like flags), and what
// it refuses, parsed without starting anything.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/args';
import { parseMaelstromOptions } from '../../../src/cli/options/maelstrom';

function usageError(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('raft-lab maelstrom options', () => {
  it('reads the issue\'s command line; --arg repeats, in order, and may carry the student\'s own flags', () => {
    expect(parseMaelstromOptions(['--bin', 'python3', '--arg', 'raft.py', '--arg', '--verbose', '--arg=-x', '--nodes', '5',
      '--seconds', '30', '--clients', '4', '--keys', '5', '--faults', 'kill,pause,partition,loss', '--seed', '2', '--history', 'h.jsonl',
      '--data-dir', 'runs'])).toEqual({ bin: 'python3', args: ['raft.py', '--verbose', '-x'], nodes: 5, seconds: 30, clients: 4, keys: 5,
      faults: ['kill', 'pause', 'partition', 'loss'], seed: 2, history: 'h.jsonl', dataDir: 'runs', report: undefined });
    expect(parseMaelstromOptions(['--bin', 'x', '--history', 'h', '--report', 'grades.html'])).toMatchObject({ report: 'grades.html' });
  });

  it('defaults: 3 nodes, 10 s, 3 clients, 3 keys, no faults, a drawn seed', () => {
    expect(parseMaelstromOptions(['--bin', './node', '--history', 'h'], () => 9)).toEqual({ bin: './node', args: [], nodes: 3, seconds: 10,
      clients: 3, keys: 3, faults: [], seed: 9, history: 'h', dataDir: undefined, report: undefined });
    expect(parseMaelstromOptions(['--help'])).toBe('help');
  });

  it('refuses what it cannot run', () => {
    expect(usageError(() => parseMaelstromOptions(['--history', 'h']))).toContain('--bin PATH is required');
    expect(usageError(() => parseMaelstromOptions(['--bin', 'x']))).toContain('--history FILE is required');
    expect(usageError(() => parseMaelstromOptions(['--bin', 'x', '--bin', 'y', '--history', 'h']))).toContain('--bin given twice');
    expect(usageError(() => parseMaelstromOptions(['--bin', 'x', '--history', 'h', '--faults', 'split-vote']))).toContain('unknown fault kind(s): split-vote');
    expect(usageError(() => parseMaelstromOptions(['--bin', 'x', '--history', 'h', '--nodes', '26']))).toContain('--nodes must be an integer in [1, 25]');
    expect(usageError(() => parseMaelstromOptions(['--bin', 'x', '--history', 'h', '--bugs', 'double-vote']))).toContain('unknown option --bugs');
    expect(usageError(() => parseMaelstromOptions(['--bin', 'x', '--history', 'h', '--arg']))).toContain('--arg needs a value');
  });
});
