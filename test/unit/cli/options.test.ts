// Each command's options: the defaults it runs with and the values it refuses, parsed without starting anything.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/args';
import { parseBenchOptions } from '../../../src/cli/options/bench';
import { parseChaosOptions } from '../../../src/cli/options/chaos';
import { parseCheckOptions } from '../../../src/cli/options/check';
import { ALL_PAPER_RANGES, parseExperimentOptions } from '../../../src/cli/options/experiment';
import { parseFailoverOptions } from '../../../src/cli/options/failover';
import { parseFamilyOptions } from '../../../src/cli/options/file-family';
import { parseSimOptions } from '../../../src/cli/options/sim';
import { parseWebOptions } from '../../../src/cli/options/web';

function usageError(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('raft-lab web options', () => {
  it('defaults to any free port and 3 nodes; reads every flag', () => {
    expect(parseWebOptions([])).toEqual({ port: 0, nodes: 3, record: undefined, bugs: [], open: false });
    expect(parseWebOptions(['--port', '8080', '--nodes=5', '--record', 'events.ndjson', '--bugs', 'double-vote,stale-leader-reads', '--open']))
      .toEqual({ port: 8080, nodes: 5, record: 'events.ndjson', bugs: ['double-vote', 'stale-leader-reads'], open: true });
    expect(parseWebOptions(['--help'])).toBe('help');
  });

  it('refuses a bad port, node count or bug name', () => {
    expect(usageError(() => parseWebOptions(['--port', '-1']))).toBe('--port must be an integer in [0, 65535]');
    expect(usageError(() => parseWebOptions(['--nodes', '10']))).toBe('--nodes must be an integer in [1, 9]');
    expect(usageError(() => parseWebOptions(['--bugs', 'nope']))).toMatch(/unknown planted bug "nope"; known bugs: /);
    expect(usageError(() => parseWebOptions(['extra']))).toBe('unexpected argument: extra');
  });
});

describe('raft-lab chaos options', () => {
  it('needs --history; defaults as documented; the seed is drawn when not given', () => {
    expect(parseChaosOptions(['--history', 'h.ndjson'], () => 77)).toEqual({ nodes: 5, seconds: 20, clients: 4, keys: 5,
      faults: ['kill', 'pause', 'partition', 'loss'], seed: 77, history: 'h.ndjson', dataDir: undefined, rate: 160, record: undefined, bugs: [],
      opTimeoutMs: 500, membershipMode: 'single-server' });
    expect(parseChaosOptions(['--nodes', '3', '--seconds', '8', '--clients', '3', '--keys', '3', '--faults', 'split-vote,vote-reboot',
      '--seed', '1', '--bugs', 'double-vote', '--history', 'h', '--data-dir', '/tmp/d', '--rate', '50', '--record', 'r', '--op-timeout-ms', '2500']))
      .toMatchObject({ nodes: 3, seconds: 8, clients: 3, keys: 3, faults: ['split-vote', 'vote-reboot'], seed: 1, bugs: ['double-vote'],
        dataDir: '/tmp/d', rate: 50, record: 'r', opTimeoutMs: 2500 });
    expect(parseChaosOptions(['--history', 'h', '--faults', 'membership', '--joint'])).toMatchObject({ faults: ['membership'], membershipMode: 'joint' });
  });

  it('refuses what it cannot run', () => {
    expect(usageError(() => parseChaosOptions(['--nodes', '3']))).toBe('--history FILE is required');
    expect(usageError(() => parseChaosOptions(['--history', 'h', '--faults', 'kill,meteor']))).toMatch(/^unknown fault kind\(s\): meteor \(known: kill, /);
    expect(usageError(() => parseChaosOptions(['--history', 'h', '--nodes', '26']))).toBe('--nodes must be an integer in [1, 25]');
    expect(usageError(() => parseChaosOptions(['--history', 'h', '--seconds', '0']))).toBe('--seconds must be in (0, 3600]');
    expect(usageError(() => parseChaosOptions(['--history', 'h', '--seed', '1.5']))).toBe('--seed must be an integer in [0, 2147483648]');
    expect(usageError(() => parseChaosOptions(['--history', 'h', '--op-timeout-ms', '5']))).toBe('--op-timeout-ms must be an integer in [10, 120000]');
  });
});

describe('raft-lab bench and failover options', () => {
  it('bench: 3 nodes, 1 client, 10 s, 100 keys unless told', () => {
    expect(parseBenchOptions([])).toEqual({ nodes: 3, clients: 1, seconds: 10, keys: 100, vsEtcd: false });
    expect(parseBenchOptions(['--nodes', '3', '--clients', '16', '--seconds', '10', '--vs-etcd'])).toEqual({ nodes: 3, clients: 16, seconds: 10, keys: 100, vsEtcd: true });
    expect(usageError(() => parseBenchOptions(['--clients', '0']))).toBe('--clients must be an integer in [1, 1024]');
    expect(usageError(() => parseBenchOptions(['--seconds', '601']))).toBe('--seconds must be in (0, 600]');
  });

  it('failover: 20 trials on 3 nodes unless told; a leader must be killable', () => {
    expect(parseFailoverOptions([])).toEqual({ trials: 20, nodes: 3 });
    expect(parseFailoverOptions(['--trials', '3'])).toEqual({ trials: 3, nodes: 3 });
    expect(usageError(() => parseFailoverOptions(['--nodes', '2']))).toBe('--nodes must be an integer in [3, 9]');
  });
});

describe('raft-lab check options', () => {
  it('one FILE and an optional whole --timeout-ms', () => {
    expect(parseCheckOptions(['h.ndjson'])).toEqual({ file: 'h.ndjson', timeoutMs: undefined });
    expect(parseCheckOptions(['--timeout-ms=5000', 'h.ndjson'])).toEqual({ file: 'h.ndjson', timeoutMs: 5000 });
    expect(parseCheckOptions(['-'])).toEqual({ file: '-', timeoutMs: undefined });
    expect(usageError(() => parseCheckOptions([]))).toBe('missing FILE');
    expect(usageError(() => parseCheckOptions(['a', 'b']))).toBe('expected one FILE, got also b');
    expect(usageError(() => parseCheckOptions(['a', '--timeout-ms', '0']))).toMatch(/^--timeout-ms needs a whole number of milliseconds/);
  });
});

describe('raft-lab sim options', () => {
  it('picks the run the flags describe', () => {
    expect(parseSimOptions(['--bench'])).toEqual({ kind: 'bench' });
    expect(parseSimOptions(['--seeds', '3', '--first-seed', '10', '--seconds', '2'])).toMatchObject({ kind: 'sweep', firstSeed: 10, count: 3,
      base: { seconds: 2, nodes: 5, bugs: [], profile: 'mixed', preVote: false, checkQuorum: false } });
    expect(parseSimOptions([], () => 1_234_567_890_123)).toMatchObject({ kind: 'sweep', firstSeed: 567_890_123, count: 100 });
    expect(parseSimOptions(['--seed', '1', '--trace', '20', '--pre-vote'])).toMatchObject({ kind: 'replay', traceRecords: 20,
      options: { seed: 1, preVote: true } });
    const kv = parseSimOptions(['--kv', '--seeds', '2', '--first-seed', '5', '--snapshot-every', '0', '--no-invariants']);
    if (kv === 'help' || kv.kind !== 'kv') throw new Error('expected a kv run');
    expect(kv.seeds).toEqual([5, 6]);
    expect(kv.options(5)).toEqual({ seed: 5, nodes: 5, seconds: 10, bugs: [], profile: 'partitions', checkInvariants: false, snapshotEvery: 0 });
  });

  it('refuses combinations that mean nothing', () => {
    expect(usageError(() => parseSimOptions(['--seed', '1', '--seeds', '2']))).toBe('use either --seed or --seeds');
    expect(usageError(() => parseSimOptions(['--no-invariants']))).toBe('--no-invariants only goes with --kv');
    expect(usageError(() => parseSimOptions(['--kv', '--pre-vote']))).toMatch(/^--kv runs take /);
    expect(usageError(() => parseSimOptions(['--seed', '1', '--profile', 'toString']))).toMatch(/^unknown --profile "toString"/);
    expect(usageError(() => parseSimOptions(['--seed', '-1']))).toBe('--seed must be a non-negative integer, got -1');
  });
});

describe('raft-lab experiment options', () => {
  it('fig16 and clients with their defaults; --out is required', () => {
    expect(parseExperimentOptions(['fig16', '--out', '/tmp/f'])).toEqual({ help: null, out: '/tmp/f', spec: { kind: 'fig16', nodes: 5,
      trials: 100, ranges: [...ALL_PAPER_RANGES], networkDelayMs: [0, 0], capMs: 10_000, seed: 1 } });
    expect(parseExperimentOptions(['fig16', '--trials', '3', '--ranges', '150-300,150-151', '--delay', '7-8', '--out', 'd']))
      .toMatchObject({ spec: { trials: 3, ranges: [[150, 300], [150, 151]], networkDelayMs: [7, 8] } });
    expect(parseExperimentOptions(['clients', '--clients', '1,4', '--vs-etcd', '--out', 'd']))
      .toMatchObject({ spec: { kind: 'clients', nodes: 3, clients: [1, 4], seconds: 5, vsEtcd: true } });
    expect(usageError(() => parseExperimentOptions(['fig16']))).toBe('--out DIR is required');
    expect(usageError(() => parseExperimentOptions(['fig16', '--out', 'd', '--ranges', '300-150']))).toBe('range 300-150: min must not exceed max');
    expect(usageError(() => parseExperimentOptions([]))).toBe('which experiment? fig16 or clients');
    expect(usageError(() => parseExperimentOptions(['fig17']))).toBe('unknown experiment "fig17"');
    expect(parseExperimentOptions(['--help'])).toMatchObject({ help: { name: 'experiment' } });
  });
});

describe('raft-lab exercise and demo options', () => {
  it('each verb with its own options', () => {
    expect(parseFamilyOptions('exercise', ['list', '--json'])).toEqual({ verb: 'list', json: true });
    expect(parseFamilyOptions('demo', ['check', 'a.yaml', 'b.yaml'])).toEqual({ verb: 'check', files: ['a.yaml', 'b.yaml'] });
    expect(parseFamilyOptions('exercise', ['run', '--all', '--report', 'r.json'])).toEqual({ verb: 'run', all: true, names: [], report: 'r.json' });
    expect(parseFamilyOptions('demo', ['run', 'first-election'])).toEqual({ verb: 'run', all: false, names: ['first-election'], report: undefined });
    expect(parseFamilyOptions('exercise', ['schema'])).toEqual({ verb: 'schema' });
    expect(parseFamilyOptions('demo', ['run', '--help'])).toMatchObject({ verb: 'help', spec: { name: 'demo run' } });
  });

  it('exercise run on a student\'s own Raft: --bin with its --args in order, or --example; list --own-raft', () => {
    expect(parseFamilyOptions('exercise', ['run', 'from-outside', '--bin', 'python3', '--arg', 'raft.py', '--arg', '--fast']))
      .toEqual({ verb: 'run', all: false, names: ['from-outside'], report: undefined,
        implementation: { kind: 'executable', bin: 'python3', args: ['raft.py', '--fast'] } });
    expect(parseFamilyOptions('exercise', ['run', '--all', '--example'])).toMatchObject({ all: true, implementation: { kind: 'example' } });
    expect(parseFamilyOptions('exercise', ['run', '--all'])).toMatchObject({ implementation: undefined });
    expect(parseFamilyOptions('exercise', ['list', '--own-raft', '--json'])).toEqual({ verb: 'list', json: true, ownRaft: true });
    expect(usageError(() => parseFamilyOptions('exercise', ['run', '--all', '--example', '--bin', 'x']))).toMatch(/give one/);
    expect(usageError(() => parseFamilyOptions('exercise', ['run', '--all', '--arg', 'x']))).toMatch(/--bin, which is missing/);
    expect(usageError(() => parseFamilyOptions('exercise', ['run', '--all', '--bin']))).toBe('--bin needs a value');
    // Demos step the lab's own Raft's timers: they take neither.
    expect(usageError(() => parseFamilyOptions('demo', ['run', '--all', '--bin', 'x']))).toBe('unknown option --bin');
    expect(usageError(() => parseFamilyOptions('demo', ['run', '--all', '--example']))).toBe('unknown option --example');
    expect(usageError(() => parseFamilyOptions('demo', ['list', '--own-raft']))).toBe('unknown option --own-raft');
  });

  it('refuses a missing or unknown verb and missing files', () => {
    expect(usageError(() => parseFamilyOptions('exercise', []))).toBe('which exercise command? list, check, run or schema');
    expect(usageError(() => parseFamilyOptions('demo', ['play']))).toBe('unknown demo command "play"');
    expect(usageError(() => parseFamilyOptions('exercise', ['check']))).toBe('check needs a file');
    expect(usageError(() => parseFamilyOptions('exercise', ['list', '--yaml']))).toBe('unknown option --yaml');
  });
});
