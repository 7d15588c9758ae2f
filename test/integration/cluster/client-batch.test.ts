// Batched client requests (src/protocol/client-batch.ts) against real node processes: several requests in one
// ZeroMQ message are each validated and answered, replies to a batch come back batched, a request sent alone is
// answered alone, and a message of more parts than a batch may carry is refused whole.
import { afterEach, describe, expect, it } from 'vitest';
import { KvClient } from '../../../src/lab/client/kv-client';
import { MAX_CLIENT_FRAMES_PER_MESSAGE } from '../../../src/protocol/client-batch';
import type { ClientReplyFrame, ClientRequestFrame } from '../../../src/protocol/client';
import type { LabEvent } from '../../../src/protocol/events';
import { clientEndpointOf, closeAllLabs, CLUSTER_DEADLINE_MS, ClusterLab, eventually, putRetryingUnknown, rawDealer } from './cluster-harness';

afterEach(closeAllLabs);

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const get = (requestId: string, key: string): ClientRequestFrame => ({ v: 1, requestId, clientId: 'batcher', seq: 0, op: 'get', key });

describe('batched client requests', () => {
  it('are each answered, in messages of one reply per part; a lone request gets a lone reply', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    await lab.waitForLeader();
    // Setup, not under test: the value the batched reads find.
    await putRetryingUnknown(lab, 'batch-key', 'batch-value');
    // The leader the raw socket talks to, as agreed after the put (a put that had to be sent again went to a new one).
    const leader = await lab.waitForLeader();
    const socket = rawDealer(clientEndpointOf(lab.controller, leader.id), { receiveTimeoutMs: CLUSTER_DEADLINE_MS });
    const messages: ClientReplyFrame[][] = [];
    const received = (async () => {
      try {
        for await (const parts of socket) messages.push(parts.map((part) => JSON.parse(part.toString('utf8')) as ClientReplyFrame));
      } catch {
        // closed by closeAllLabs
      }
    })();

    // Three valid reads and one invalid frame in one message: four answers, the invalid one an error.
    await socket.send([json(get('b1', 'batch-key')), json(get('b2', 'batch-key')), Buffer.from('not json'), json(get('b3', 'absent'))]);
    const replies = await eventually(() => {
      const all = messages.flat();
      return all.length >= 4 ? all : null;
    }, CLUSTER_DEADLINE_MS, 'the four answers to the batch');
    const byId = new Map(replies.map((reply) => [reply.requestId, reply]));
    expect(byId.get('b1')).toMatchObject({ status: 'ok', value: 'batch-value', node: leader.id });
    expect(byId.get('b2')).toMatchObject({ status: 'ok', value: 'batch-value' });
    expect(byId.get('b3')).toMatchObject({ status: 'ok', value: null });
    expect(byId.get('')).toMatchObject({ status: 'error' });
    // The error reply is made at once, the reads once their ReadIndex round is done: at least the reads share a message.
    expect(Math.max(...messages.map((message) => message.length))).toBeGreaterThanOrEqual(3);

    const before = messages.length;
    await socket.send(json(get('alone', 'batch-key')));
    await eventually(() => (messages.length > before ? true : null), CLUSTER_DEADLINE_MS, 'the answer to a lone request');
    expect(messages.slice(before)).toEqual([[expect.objectContaining({ requestId: 'alone', status: 'ok', value: 'batch-value' })]]);

    // One part more than a batch may carry: refused whole, and reported.
    const startedAt = lab.mark();
    await socket.send(Array.from({ length: MAX_CLIENT_FRAMES_PER_MESSAGE + 1 }, (_, i) => json(get(`over-${i}`, 'batch-key'))));
    await lab.waitForEvent(startedAt, (event: LabEvent): event is LabEvent => event.type === 'error' && event.node === leader.id &&
      event.message.includes(`client message of ${MAX_CLIENT_FRAMES_PER_MESSAGE + 1} parts`), 'the leader to report the oversized batch');
    const afterOversize = messages.length;
    await socket.send(json(get('marker', 'batch-key')));
    await eventually(() => (messages.flat().some((reply) => reply.requestId === 'marker') ? true : null), CLUSTER_DEADLINE_MS, 'the marker answer');
    expect(messages.slice(afterOversize).flat().map((reply) => reply.requestId)).toEqual(['marker']);
    socket.close();
    await received;
  });

  it("carry the lab's concurrent requests: every one answered", async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    // Established (its no-op committed, every node knowing it): every one of these first writes must be ok as sent,
    // so none may race the term's first heartbeats (no put is sent again: that would hide a lost batched request).
    const leader = await lab.waitForLeader();
    // 40 clients with a request each at once, as the bench's clients: all but the first go batched.
    const clients = Array.from({ length: 40 }, () => new KvClient(lab.controller.clientContext()));
    const results = await Promise.all(clients.map((client, i) => client.request({ op: 'put', key: `k${i}`, value: `v${i}`, node: leader.id })));
    expect(results.map((result) => result.status)).toEqual(results.map(() => 'ok'));
    const reads = await Promise.all(clients.map((client, i) => client.request({ op: 'get', key: `k${i}`, node: leader.id })));
    expect(reads.map((read) => read.value)).toEqual(reads.map((_, i) => `v${i}`));
  });
});
