import { describe, expect, it } from 'vitest';
import { dispatchLabCall, LabCallError, type CallableLabApi } from '../../../src/protocol/lab-methods';
import { DEFAULT_SETTINGS, type LabSnapshot } from '../../../src/protocol/lab-api';

function recordingApi(): { api: CallableLabApi; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const snapshot: LabSnapshot = { phase: 'stopped', settings: DEFAULT_SETTINGS, nodes: [], atNs: 0, nextSeq: 0 };
  const api: CallableLabApi = {
    getSnapshot: async () => { calls.push(['getSnapshot']); return snapshot; },
    startCluster: async (settings) => { calls.push(['startCluster', settings]); return snapshot; },
    stopCluster: async () => { calls.push(['stopCluster']); return snapshot; },
  };
  return { api, calls };
}

describe('LabApi calls crossing a bridge are validated', () => {
  it('passes a valid call through', async () => {
    const { api, calls } = recordingApi();
    await dispatchLabCall(api, 'startCluster', [{ nodeCount: 5 }]);
    expect(calls).toEqual([['startCluster', { nodeCount: 5 }]]);
  });

  it.each([
    ['an unknown method', 'rmrf', []],
    ['a method name that is not a string', 42, []],
    ['an inherited property name', 'constructor', []],
    ['too many nodes', 'startCluster', [{ nodeCount: 26 }]],
    ['a fractional node count', 'startCluster', [{ nodeCount: 2.5 }]],
    ['an unknown setting', 'startCluster', [{ nodeCount: 3, shell: 'rm -rf /' }]],
    ['an inverted timeout range', 'startCluster', [{ electionTimeoutMs: [300, 150] }]],
    ['a time scale above 100', 'startCluster', [{ timeScale: 1000 }]],
    ['parameters that are not an array', 'getSnapshot', { a: 1 }],
    ['extra parameters', 'stopCluster', [1]],
  ])('rejects %s with a clear error and calls nothing', async (_what, method, params) => {
    const { api, calls } = recordingApi();
    await expect(dispatchLabCall(api, method, params)).rejects.toBeInstanceOf(LabCallError);
    expect(calls).toEqual([]);
  });
});
