// The workload panel's spec run as lin-kv against a student's nodes: the mix maps to read/write/cas (no delete), every
// request goes to the node the lab last heard lead when there is one, an error 11 is unknown and never retried
// elsewhere, and the report built from it is checked for linearizability like the built-in workload's.
import { describe, expect, it } from 'vitest';
import { LinKvPanelWorkload } from '../../../../src/lab/maelstrom/lin-kv-panel-workload';
import type { MaelstromConnections, RequestOutcome } from '../../../../src/lab/maelstrom/maelstrom-connections';
import { workloadReport } from '../../../../src/lab/client/workload-report';
import type { MaelstromMessage } from '../../../../src/protocol/maelstrom';
import type { WorkloadSpec } from '../../../../src/protocol/lab-api';
import type { NodeId } from '../../../../src/raft/types';

const reply = (request: MaelstromMessage, body: Record<string, unknown>): RequestOutcome =>
  ({ kind: 'reply', message: { src: request.dest, dest: request.src, body: { in_reply_to: request.body.msg_id, ...body } as MaelstromMessage['body'] } });

/** One atomic store answering every node: linearizable by construction. */
function atomicStore(): (request: MaelstromMessage) => RequestOutcome {
  const store = new Map<number, number>();
  return (request) => {
    const body = request.body as Record<string, unknown> & { type: string };
    const key = body['key'] as number;
    switch (body.type) {
      case 'read': return store.has(key) ? reply(request, { type: 'read_ok', value: store.get(key) }) : reply(request, { type: 'error', code: 20 });
      case 'write': store.set(key, body['value'] as number); return reply(request, { type: 'write_ok' });
      default:
        if (!store.has(key)) return reply(request, { type: 'error', code: 20 });
        if (store.get(key) !== body['from']) return reply(request, { type: 'error', code: 22 });
        store.set(key, body['to'] as number);
        return reply(request, { type: 'cas_ok' });
    }
  };
}

interface Sent { readonly node: NodeId; readonly message: MaelstromMessage }

function connections(sent: Sent[], answer: (request: MaelstromMessage) => RequestOutcome,
  lastMsgIds = new Map<string, number>()): MaelstromConnections {
  return {
    request: async (node: NodeId, message: MaelstromMessage) => {
      sent.push({ node, message });
      return answer(message);
    },
    nextMsgId: (client: string) => {
      lastMsgIds.set(client, (lastMsgIds.get(client) ?? 0) + 1);
      return lastMsgIds.get(client) ?? 0;
    },
  } as unknown as MaelstromConnections;
}

const SPEC: WorkloadSpec = { ratePerSecond: 400, clients: 2, keys: 2, mix: { get: 0.4, put: 0.3, cas: 0.2, delete: 0.1 } };

async function run(spec: WorkloadSpec, answer: (request: MaelstromMessage) => RequestOutcome, leader: NodeId | null,
  enough: (sent: readonly Sent[]) => boolean, lastMsgIds = new Map<string, number>()) {
  const sent: Sent[] = [];
  const workload = new LinKvPanelWorkload(spec, 1, { connections: connections(sent, answer, lastMsgIds), runningNodes: () => [1, 2, 3],
    preferredNode: () => leader, random: Math.random, publish: () => undefined, onProtocolProblem: () => undefined });
  workload.start();
  expect(workload.isRunning).toBe(true);
  const until = performance.now() + 10_000;
  while (!enough(sent) && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
  await workload.stop();
  return { sent, workload };
}

describe('the workload panel on a student\'s nodes (lin-kv)', () => {
  it('a second run on the same connections never reuses a msg_id of the first (a late reply cannot answer the wrong run)', async () => {
    const lastMsgIds = new Map<string, number>();
    const first = await run(SPEC, atomicStore(), 1, (sent) => sent.length >= 10, lastMsgIds);
    const second = await run(SPEC, atomicStore(), 1, (sent) => sent.length >= 10, lastMsgIds);
    const idsOf = (sent: readonly Sent[]) => new Set(sent.map(({ message }) => `${message.src}/${String(message.body.msg_id)}`));
    const reused = [...idsOf(second.sent)].filter((id) => idsOf(first.sent).has(id));
    expect(second.sent.length).toBeGreaterThanOrEqual(10);
    expect(reused).toEqual([]);
  });

  it('sends read, write and cas (never a delete) to the leader, and the history checks linearizable', async () => {
    const { sent, workload } = await run(SPEC, atomicStore(), 2, (all) => all.length >= 60);
    const types = new Set(sent.map(({ message }) => message.body.type));
    expect([...types].sort()).toEqual(['cas', 'read', 'write']);
    expect(sent.every(({ node }) => node === 2)).toBe(true);
    expect(sent.every(({ message }) => /^c[12]$/.test(message.src))).toBe(true);
    const report = workloadReport(workload, true);
    expect(report.running).toBe(false);
    expect(report.spec).toEqual(SPEC);
    expect(report.ok).toBeGreaterThan(0);
    // Keys nothing wrote before: a fresh block per run, since the checker takes every key to start absent.
    expect(workload.firstKey).toBeGreaterThanOrEqual(1000);
    expect(new Set(report.history.map((op) => op.key))).toEqual(new Set([String(workload.firstKey), String(workload.firstKey + 1)]));
    expect(report.verdict).toMatchObject({ linearizable: true, timedOut: false, violation: null });
  });

  it('takes keys that nothing wrote before: a key written earlier does not fail a correct store\'s history', async () => {
    const answer = atomicStore();
    // The client box (or an exercise) wrote keys 0 and 1 before the workload.
    for (const key of [0, 1]) answer({ src: 'c999', dest: 'n1', body: { type: 'write', msg_id: 1, key, value: 7 } as MaelstromMessage['body'] });
    const { workload } = await run(SPEC, answer, 1, (all) => all.length >= 40);
    expect(workloadReport(workload, true).verdict?.linearizable).toBe(true);
  });

  it('records error 11 as unknown, asking no other node for that operation', async () => {
    const { sent, workload } = await run({ ...SPEC, mix: { put: 1 } }, (request) => reply(request, { type: 'error', code: 11 }), 3,
      (all) => all.length >= 10);
    expect(sent.every(({ node }) => node === 3)).toBe(true);
    const report = workloadReport(workload, true);
    expect(report.ops).toBe(sent.length);
    expect(report.unknown).toBe(report.ops);
    expect(report.verdict?.linearizable).toBe(true);
  });

  it('spreads requests over the running nodes while no leader is known', async () => {
    const { sent } = await run(SPEC, atomicStore(), null, (all) => new Set(all.map(({ node }) => node)).size === 3);
    expect(new Set(sent.map(({ node }) => node))).toEqual(new Set([1, 2, 3]));
  });

  it('refuses a mix of deletes only: lin-kv has none', () => {
    expect(() => new LinKvPanelWorkload({ ...SPEC, mix: { delete: 1 } }, 1, { connections: connections([], atomicStore()),
      runningNodes: () => [1], random: Math.random, publish: () => undefined, onProtocolProblem: () => undefined }))
      .toThrow(/no delete/);
  });
});
