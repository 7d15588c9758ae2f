// What the lin-kv workload records: a cas refused for its value (20, 22) is a failed cas (an observation of the
// key); a cas that never left, or was refused for another reason, is left out; a timeout is unknown; an error 20
// on a read is an ok read of an absent key.
import { describe, expect, it } from 'vitest';
import { LinKvWorkload } from '../../../../src/lab/maelstrom/lin-kv-workload';
import { logUnknowns, unknownBeforeFirstAnswer } from '../../../../src/lab/maelstrom/maelstrom-run';
import type { HistoryOp } from '../../../../src/check/history';
import type { MaelstromConnections, RequestOutcome } from '../../../../src/lab/maelstrom/maelstrom-connections';
import type { MaelstromMessage } from '../../../../src/protocol/maelstrom';
import type { UnsequencedLabEvent } from '../../../../src/protocol/events';

/** Answers each request by its type from a fixed table (per body type: an outcome, or an error code). */
function fakeConnections(answer: (request: MaelstromMessage) => RequestOutcome): MaelstromConnections {
  let lastMsgId = 0;
  return { request: async (_node: number, message: MaelstromMessage) => answer(message), nextMsgId: () => ++lastMsgId } as unknown as MaelstromConnections;
}

const reply = (request: MaelstromMessage, body: Record<string, unknown>): RequestOutcome =>
  ({ kind: 'reply', message: { src: request.dest, dest: request.src, body: { in_reply_to: request.body.msg_id, ...body } as MaelstromMessage['body'] } });

/** Runs until `enough()` (checked every 10 ms, at most 10 s), then stops the workload. */
async function runUntil(enough: () => boolean, answer: (request: MaelstromMessage) => RequestOutcome) {
  const published: UnsequencedLabEvent[] = [];
  const workload = new LinKvWorkload({ clients: 2, keys: 1 }, { connections: fakeConnections(answer), runningNodes: () => [1],
    random: Math.random, publish: (event) => published.push(event), onProtocolProblem: () => undefined });
  workload.start();
  const until = performance.now() + 10_000;
  while (!enough() && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
  await workload.stop();
  return { ops: workload.history.ops(), published, unknownCauses: workload.unknownCauses };
}

describe('LinKvWorkload records', () => {
  it('cas refused by its value as failed; cas that never left or failed otherwise not at all', async () => {
    let casCount = 0;
    const { ops, published } = await runUntil(() => casCount >= 6, (request) => {
      if (request.body.type === 'cas') {
        casCount += 1;
        if (casCount % 3 === 0) return { kind: 'refused' };
        return reply(request, { type: 'error', code: casCount % 3 === 1 ? 22 : 30 });
      }
      return request.body.type === 'read' ? reply(request, { type: 'error', code: 20 }) : reply(request, { type: 'write_ok' });
    });
    const cas = ops.filter((op) => op.op === 'cas');
    expect(casCount).toBeGreaterThanOrEqual(6);
    expect(cas.length).toBe(Math.ceil(casCount / 3)); // only the 22s
    expect(cas.every((op) => op.status === 'fail')).toBe(true);
    expect(ops.filter((op) => op.op === 'get').every((op) => op.status === 'ok' && op.value === null)).toBe(true);
    expect(published.filter((event) => event.type === 'client-op' && event.op === 'cas')).toHaveLength(casCount);
  });

  it('a timeout, error 11, another indefinite error and a reply that is no answer are unknown, each counted by its cause', async () => {
    let count = 0;
    const { ops, unknownCauses } = await runUntil(() => count >= 12, (request) => {
      count += 1;
      if (count % 4 === 0) return { kind: 'timeout' };
      if (count % 4 === 1) return reply(request, { type: 'error', code: 11 });
      if (count % 4 === 2) return reply(request, { type: 'error', code: 13 });
      return reply(request, { type: 'something_else' });
    });
    expect(ops.length).toBeGreaterThan(0);
    expect(ops.every((op) => op.status === 'unknown')).toBe(true);
    const { timeout, temporarilyUnavailable, otherIndefiniteError, notAnAnswer } = unknownCauses;
    expect(timeout + temporarilyUnavailable + otherIndefiniteError + notAnAnswer).toBe(ops.length);
    for (const counted of [timeout, temporarilyUnavailable, otherIndefiniteError, notAnAnswer]) expect(counted).toBeGreaterThan(0);
  });
});

describe('LinKvWorkload node choice', () => {
  it('a client the caller points at a node (the leader the lab knows) asks only it; the others pick at random', async () => {
    const sent: { node: number; src: string }[] = [];
    let lastMsgId = 0;
    const connections = { request: async (node: number, message: MaelstromMessage) => {
      sent.push({ node, src: message.src });
      return reply(message, { type: 'error', code: 11 });
    }, nextMsgId: () => ++lastMsgId } as unknown as MaelstromConnections;
    const workload = new LinKvWorkload({ clients: 3, keys: 1 }, { connections, runningNodes: () => [1, 2, 3], random: Math.random,
      preferredNode: (client) => (client === 1 ? 2 : null), publish: () => undefined, onProtocolProblem: () => undefined });
    workload.start();
    const until = performance.now() + 10_000;
    while (sent.filter((one) => one.src !== 'c1').length < 30 && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    await workload.stop();
    const byC1 = sent.filter((one) => one.src === 'c1');
    expect(byC1.length).toBeGreaterThan(0);
    expect(byC1.every((one) => one.node === 2)).toBe(true);
    expect(new Set(sent.filter((one) => one.src !== 'c1').map((one) => one.node))).toEqual(new Set([1, 2, 3]));
  });
});

describe('what a run says its unknowns are', () => {
  it('names each cause with its count, and says nothing when there are none', () => {
    const lines: string[] = [];
    const op = (status: 'ok' | 'unknown'): HistoryOp => (status === 'ok'
      ? { client: 1, op: 'get', key: '1', call: 1, status, ret: 2, value: null }
      : { client: 1, op: 'get', key: '1', call: 3, status, ret: null });
    logUnknowns([op('ok')], { timeout: 0, temporarilyUnavailable: 0, otherIndefiniteError: 0, notAnAnswer: 0 }, (line) => lines.push(line));
    expect(lines).toEqual([]);
    logUnknowns([op('unknown'), op('unknown'), op('unknown'), op('ok')], { timeout: 1, temporarilyUnavailable: 2, otherIndefiniteError: 0, notAnAnswer: 0 },
      (line) => lines.push(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^maelstrom: unknown 3: 2 answered error 11 .*, 1 got no answer in time .*possibly done$/);
    expect(lines[0]).not.toMatch(/another indefinite|no answer \(reported|before your cluster answered/);
  });

  it('says how many were sent before the cluster answered anything: the first operations, before a leader was elected', () => {
    const ms = 1e6;
    const unknown = (client: number, callMs: number): HistoryOp => ({ client, op: 'put', key: '1', value: String(callMs), call: callMs * ms, status: 'unknown', ret: null });
    // As the example Raft's first 0.35 s: every node answers 11 ("no leader known") until the first election is won.
    const ops: HistoryOp[] = [unknown(1, 0), unknown(2, 10), unknown(3, 120), unknown(1, 330),
      { client: 2, op: 'get', key: '1', call: 300 * ms, status: 'ok', ret: 350 * ms, value: null },
      unknown(3, 360), { client: 1, op: 'cas', key: '1', from: '1', to: '2', call: 340 * ms, status: 'fail', ret: 348 * ms }];
    const lines: string[] = [];
    logUnknowns(ops, { timeout: 0, temporarilyUnavailable: 5, otherIndefiniteError: 0, notAnAnswer: 0 }, (line) => lines.push(line));
    expect(lines).toHaveLength(1);
    // The cas refused at 348 ms is the first answer: the unknown sent at 360 ms is not one of the first.
    expect(lines[0]).toMatch(/^maelstrom: unknown 5: 5 answered error 11 .*; 4 of them were sent in the first 0\.35 s, before your cluster answered any operation: right after the start no node leads until an election timeout has passed .*; the checker takes each as possibly done$/);
    expect(unknownBeforeFirstAnswer(ops)).toEqual({ count: 4, ms: 348 });
    expect(unknownBeforeFirstAnswer(ops.filter((op) => op.status === 'unknown')), 'nothing answered: no first answer to count up to').toBeNull();
  });
});
