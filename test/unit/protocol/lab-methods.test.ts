import { describe, expect, it } from 'vitest';
import { dispatchLabCall, LabCallError, labMethodParams, type CallableLabApi, type LabMethod } from '../../../src/protocol/lab-methods';
import { DEFAULT_SETTINGS, type LabSnapshot } from '../../../src/protocol/lab-api';

function recordingApi(): { api: CallableLabApi; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const snapshot: LabSnapshot = { phase: 'stopped', settings: DEFAULT_SETTINGS, nodes: [], blockedLinks: [], linkFaults: {}, atNs: 0, nextSeq: 0 };
  const api = Object.fromEntries((Object.keys(labMethodParams) as LabMethod[]).map((method) => [
    method,
    async (...params: unknown[]) => {
      calls.push([method, ...params]);
      return snapshot;
    },
  ])) as unknown as CallableLabApi;
  return { api, calls };
}

describe('LabApi calls crossing a bridge are validated', () => {
  it('passes a valid call through', async () => {
    const { api, calls } = recordingApi();
    await dispatchLabCall(api, 'startCluster', [{ nodeCount: 5 }]);
    expect(calls).toEqual([['startCluster', { nodeCount: 5 }]]);
  });

  it('passes the lab clock and exercise calls through', async () => {
    const { api, calls } = recordingApi();
    await dispatchLabCall(api, 'startCluster', [{ networkDelayMs: [8, 15], timerSeed: 7, startPaused: true }]);
    await dispatchLabCall(api, 'freezeCluster', []);
    await dispatchLabCall(api, 'stepCluster', []);
    await dispatchLabCall(api, 'heldMessage', [2, '1.k2x9-14+1', 'duplicate']);
    await dispatchLabCall(api, 'getExercise', ['leader-crash']);
    expect(calls.map(([method]) => method)).toEqual(['startCluster', 'freezeCluster', 'stepCluster', 'heldMessage', 'getExercise']);
  });

  it('passes membership and leadership-transfer calls through', async () => {
    const { api, calls } = recordingApi();
    await dispatchLabCall(api, 'promoteServer', [4]);
    await dispatchLabCall(api, 'transferLeadership', [2]);
    expect(calls).toEqual([['promoteServer', 4], ['transferLeadership', 2]]);
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
    ['a node id out of range', 'crashNode', [0]],
    ['a partition naming a node twice as a string', 'setPartition', [[['1']]]],
    ['a put without a value', 'clientRequest', [{ op: 'put', key: 'x' }]],
    ['a cas without from', 'clientRequest', [{ op: 'cas', key: 'x', to: '2' }]],
    ['an over-long key', 'clientRequest', [{ op: 'get', key: 'k'.repeat(257) }]],
    ['a link fault probability above 1', 'setLinkFaults', [1, 2, { dropProbability: 2 }]],
    ['an unknown link fault field', 'setLinkFaults', [1, 2, { teleport: true }]],
    ['an unknown planted bug', 'startCluster', [{ bugs: ['rm-rf'] }]],
    ['a workload with an empty mix', 'startWorkload', [{ ratePerSecond: 10, clients: 1, keys: 1, mix: {} }]],
    ['an inverted network delay', 'setNetworkDelay', [[15, 8]]],
    ['a network delay beyond any election timeout', 'startCluster', [{ networkDelayMs: [0, 6000] }]],
    ['a negative timer seed', 'startCluster', [{ timerSeed: -1 }]],
    ['a step with parameters', 'stepCluster', [1]],
    ['a timeout of a node out of range', 'timeoutNode', [26]],
    ['an unknown held-message action', 'heldMessage', [1, '2.x-3', 'teleport']],
    ['an empty message id', 'heldMessage', [1, '', 'deliver']],
    ['an over-long message id', 'heldMessage', [1, 'm'.repeat(65), 'drop']],
    ['an exercise id that is a path', 'getExercise', ['../../etc/passwd']],
    ['a removal of a server id out of range', 'removeServer', [26]],
    ['a removal of a server given as text', 'removeServer', ['2']],
    ['an add with parameters (the lab picks the id)', 'addServer', [5]],
    ['a transfer to a server id out of range', 'transferLeadership', [0]],
    ['a transfer to a server given as text', 'transferLeadership', ['S2']],
    ['a transfer without a target', 'transferLeadership', []],
    ['a promotion of a fractional server id', 'promoteServer', [2.5]],
  ])('rejects %s with a clear error and calls nothing', async (_what, method, params) => {
    const { api, calls } = recordingApi();
    await expect(dispatchLabCall(api, method, params)).rejects.toBeInstanceOf(LabCallError);
    expect(calls).toEqual([]);
  });
});
