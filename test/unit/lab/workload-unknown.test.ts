// A workload client that hears nothing gives up after the spec's request timeout and records the operation as unknown
// (not retried forever), then moves on: its history holds indeterminate operations, as Jepsen's do.
import { describe, expect, it } from 'vitest';
import type { KvClientContext } from '../../../src/lab/client/kv-client';
import type { NodeConnections } from '../../../src/lab/client/node-connections';
import { Workload } from '../../../src/lab/client/workload';
import { seededRandom } from '../../../src/raft/random';
import type { ClientReplyFrame, ClientRequestFrame } from '../../../src/protocol/client';

/** A node that registers sessions and answers reads, but never answers a write (a leader cut off from its majority). */
function silentOnWrites(): KvClientContext {
  const connections = {
    request: async (_node: number, frame: ClientRequestFrame, timeoutMs: number): Promise<ClientReplyFrame | null> => {
      const base = { v: 1 as const, requestId: frame.requestId, node: 1, leaderHint: null, error: null };
      if (frame.op === 'register') return { ...base, status: 'ok', value: null, index: 1 };
      if (frame.op === 'get') return { ...base, status: 'ok', value: null, index: 1 };
      await new Promise((resolve) => setTimeout(resolve, timeoutMs));
      return null;
    },
  } as unknown as NodeConnections;
  return { connections, liveNodes: () => [1], leaderGuess: () => 1, timeScale: () => 1 };
}

describe('workload clients give up', () => {
  it('a write never answered within requestTimeoutMs is recorded unknown, and the client goes on', async () => {
    const workload = new Workload({ ratePerSecond: 200, clients: 2, keys: 2, mix: { put: 1 }, requestTimeoutMs: 40 }, silentOnWrites(),
      () => undefined, seededRandom(1));
    workload.start();
    // Two clients, one write at a time each: a fifth write means some client gave up on an earlier one and went on.
    await expect.poll(() => workload.history.size, { timeout: 4000 }).toBeGreaterThanOrEqual(5);
    // What is in flight ends by its own deadline (a client retrying forever would hang here until the test times out).
    await workload.stop();
    const ops = workload.history.ops();
    expect(ops.every((op) => op.op === 'put' && op.status === 'unknown' && op.ret === null)).toBe(true);
    expect(workload.acknowledgedWrites).toEqual([]);
  });
});
