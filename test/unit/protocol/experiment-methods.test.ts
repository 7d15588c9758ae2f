// The experiments' LabApi methods are validated like the others; a fixed election timeout (min == max) is a legal
// cluster setting now, an inverted one still is not.
import { describe, expect, it, vi } from 'vitest';
import { dispatchLabCall, type CallableLabApi } from '../../../src/protocol/lab-methods';
import { DEFAULT_FIG16_SPEC, DEFAULT_CLIENTS_SPEC, parseRanges } from '../../../src/protocol/experiments';
import { clusterSpecSchema } from '../../../src/protocol/exercise/schema';

function api(): CallableLabApi {
  return new Proxy({}, { get: () => vi.fn(async () => 'called') }) as CallableLabApi;
}

describe('experiment methods', () => {
  it('accept a Figure 16 spec, a client sweep, a row offset and a cancel', async () => {
    await expect(dispatchLabCall(api(), 'startExperiment', [DEFAULT_FIG16_SPEC])).resolves.toBe('called');
    await expect(dispatchLabCall(api(), 'startExperiment', [{ ...DEFAULT_FIG16_SPEC, ranges: [[150, 150]] }])).resolves.toBe('called');
    await expect(dispatchLabCall(api(), 'startExperiment', [DEFAULT_CLIENTS_SPEC])).resolves.toBe('called');
    await expect(dispatchLabCall(api(), 'getExperiment', [0])).resolves.toBe('called');
    await expect(dispatchLabCall(api(), 'cancelExperiment', [])).resolves.toBe('called');
  });

  it.each([
    ['no trials', { ...DEFAULT_FIG16_SPEC, trials: 0 }],
    ['too many trials', { ...DEFAULT_FIG16_SPEC, trials: 1001 }],
    ['an inverted range', { ...DEFAULT_FIG16_SPEC, ranges: [[300, 150]] }],
    ['no range', { ...DEFAULT_FIG16_SPEC, ranges: [] }],
    ['a 2-node cluster (no leader left to elect)', { ...DEFAULT_FIG16_SPEC, nodes: 2 }],
    ['an unknown experiment', { ...DEFAULT_FIG16_SPEC, kind: 'fig7' }],
    ['an extra field', { ...DEFAULT_FIG16_SPEC, shell: 'rm -rf /' }],
    ['65 clients', { ...DEFAULT_CLIENTS_SPEC, clients: [65] }],
  ])('refuse %s', async (_name, spec) => {
    await expect(dispatchLabCall(api(), 'startExperiment', [spec])).rejects.toThrow(/invalid parameters for startExperiment/);
  });

  it('refuse a negative row offset', async () => {
    await expect(dispatchLabCall(api(), 'getExperiment', [-1])).rejects.toThrow(/invalid parameters/);
  });
});

describe('fixed election timeouts', () => {
  it('startCluster and exercises accept min == max and refuse min > max', async () => {
    await expect(dispatchLabCall(api(), 'startCluster', [{ electionTimeoutMs: [150, 150] }])).resolves.toBe('called');
    await expect(dispatchLabCall(api(), 'startCluster', [{ electionTimeoutMs: [151, 150] }])).rejects.toThrow(/min must not exceed max/);
    expect(clusterSpecSchema.safeParse({ nodes: 3, electionTimeoutMs: [150, 150] }).success).toBe(true);
    expect(clusterSpecSchema.safeParse({ nodes: 3, electionTimeoutMs: [151, 150] }).success).toBe(false);
  });
});

describe('parseRanges', () => {
  it('reads the command line\'s ranges and says which one is wrong', () => {
    expect(parseRanges('150-300, 150-151')).toEqual([[150, 300], [150, 151]]);
    expect(() => parseRanges('150-300,abc')).toThrow(/"abc" is not a range/);
    expect(() => parseRanges('300-150')).toThrow(/min must not exceed max/);
  });
});
