// The node's client endpoint over a real ZeroMQ socket: each request's answer callback (a function bound to that
// request, src/node/client-server.ts) answers that request, and only once.
import { Dealer } from 'zeromq';
import { afterEach, describe, expect, it } from 'vitest';
import { startClientServer, type ClientServer } from '../../../src/node/client-server';
import type { ClientReplyFrame, ClientRequestFrame } from '../../../src/protocol/client';

type Answer = (frame: Omit<ClientReplyFrame, 'v' | 'requestId' | 'node'>) => void;

const open: { server: ClientServer; dealer: Dealer }[] = [];

afterEach(() => {
  for (const { server, dealer } of open.splice(0)) {
    dealer.close();
    server.close();
  }
});

async function connect(onRequest: (request: ClientRequestFrame, answer: Answer) => void): Promise<Dealer> {
  const server = await startClientServer({ nodeId: 2, onRequest, onInvalid: () => undefined });
  const dealer = new Dealer({ linger: 0, receiveTimeout: 5_000 });
  dealer.connect(server.endpoint);
  open.push({ server, dealer });
  return dealer;
}

function put(requestId: string, seq: number): ClientRequestFrame {
  return { v: 1, requestId, clientId: 'c', session: 1, seq, op: 'put', key: 'k', value: String(seq) };
}

function ok(index: number): Omit<ClientReplyFrame, 'v' | 'requestId' | 'node'> {
  return { status: 'ok', value: null, leaderHint: null, index, error: null };
}

async function replies(dealer: Dealer, count: number): Promise<ClientReplyFrame[]> {
  const received: ClientReplyFrame[] = [];
  while (received.length < count) {
    for (const part of await dealer.receive()) received.push(JSON.parse(part.toString()) as ClientReplyFrame);
  }
  return received;
}

describe('the client server', () => {
  it('answers a request once, however often its answer is called', async () => {
    const dealer = await connect((_request, answer) => {
      answer(ok(7));
      answer({ status: 'retry', value: null, leaderHint: null, index: null, error: 'a second answer' });
    });
    await dealer.send(JSON.stringify(put('r1', 1)));
    await dealer.send(JSON.stringify(put('r2', 2)));
    const [first, second] = await replies(dealer, 2);
    expect(first).toMatchObject({ requestId: 'r1', node: 2, status: 'ok', index: 7 });
    expect(second).toMatchObject({ requestId: 'r2', node: 2, status: 'ok', index: 7 });
    // Nothing else follows: the second answer of each request was dropped.
    dealer.receiveTimeout = 200;
    await expect(dealer.receive()).rejects.toThrow();
  });

  it('gives each answer the id of its own request, whatever order they are answered in', async () => {
    const waiting: { request: ClientRequestFrame; answer: Answer }[] = [];
    const dealer = await connect((request, answer) => {
      waiting.push({ request, answer });
      if (waiting.length < 3) return;
      for (const { request: held, answer: answerHeld } of waiting.reverse()) answerHeld(ok(held.seq));
    });
    await dealer.send([JSON.stringify(put('a', 1)), JSON.stringify(put('b', 2)), JSON.stringify(put('c', 3))]);
    const received = await replies(dealer, 3);
    expect(received.map((reply) => [reply.requestId, reply.index])).toEqual([['c', 3], ['b', 2], ['a', 1]]);
  });
});
