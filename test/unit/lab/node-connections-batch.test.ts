// The lab's client connections batch (src/protocol/client-batch.ts): a request made alone goes at once in a message
// of its own; requests made while others wait on the same connection go together, one message per event-loop turn;
// replies that come batched reach each waiting request. Against a real in-process ZeroMQ ROUTER standing in for a node.
import { afterEach, describe, expect, it } from 'vitest';
import { Router } from 'zeromq';
import { NodeConnections } from '../../../src/lab/client/node-connections';
import type { ClientReplyFrame, ClientRequestFrame } from '../../../src/protocol/client';

const opened: { close(): void }[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.close();
});

const get = (requestId: string): ClientRequestFrame => ({ v: 1, requestId, clientId: 'c', seq: 0, op: 'get', key: 'k' });
const reply = (requestId: string): Buffer => Buffer.from(JSON.stringify(
  { v: 1, requestId, status: 'ok', value: requestId, leaderHint: null, index: 1, node: 1, error: null } satisfies ClientReplyFrame));

/**
 * Until ZeroMQ's handshake is done a request is refused at once (the sockets are `immediate`): probe until one
 * reaches the router, and answer it.
 */
async function connected(connections: NodeConnections, router: Router): Promise<void> {
  router.receiveTimeout = 50;
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const probe = connections.request(1, get(`probe-${attempt}`), 1000);
    try {
      // Answer every probe that arrives (an earlier one may come late), until this attempt's own has.
      for (;;) {
        const [routingId, payload] = await router.receive();
        const { requestId } = JSON.parse(payload?.toString('utf8') ?? '{}') as ClientRequestFrame;
        await router.send([routingId as Buffer, reply(requestId)]);
        if (requestId === `probe-${attempt}`) {
          await probe;
          router.receiveTimeout = -1;
          return;
        }
      }
    } catch {
      await probe; // refused before the handshake (or not here yet): try again
    }
  }
  throw new Error('the DEALER never connected to the test ROUTER');
}

describe('NodeConnections batching', () => {
  it('sends a lone request alone, and the requests of one turn made meanwhile in one message', async () => {
    const router = new Router({ linger: 0 });
    opened.push(router);
    await router.bind('tcp://127.0.0.1:*');
    const connections = new NodeConnections();
    opened.push(connections);
    connections.setEndpoint(1, router.lastEndpoint as string);
    await connected(connections, router);

    const pending = ['a', 'b', 'c', 'd', 'e'].map((id) => connections.request(1, get(id), 5000));
    const idsOf = (parts: Buffer[]): string[] => parts.slice(1).map((part) => (JSON.parse(part.toString('utf8')) as ClientRequestFrame).requestId);
    // The first was made with nothing else waiting: alone, at once. The other four wait for the end of the turn.
    expect(idsOf(await router.receive())).toEqual(['a']);
    const second = await router.receive();
    expect(idsOf(second)).toEqual(['b', 'c', 'd', 'e']);

    // Replies: one alone, then the other four in one message.
    const routingId = second[0] as Buffer;
    await router.send([routingId, reply('a')]);
    await router.send([routingId, reply('b'), reply('c'), reply('d'), reply('e')]);
    const answers = await Promise.all(pending);
    expect(answers.map((answer) => answer?.value)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
