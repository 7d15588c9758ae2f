// In Maelstrom any node may answer a client. Here the lab's clients (MaelstromConnections) and two relays' client
// sockets, over real ZeroMQ sockets on loopback: n1 answers a request that was sent to n2, although no client ever
// wrote to n1 (a new leader answering a client of the old one), even before the lab's clients connected to n1, and
// the client waiting on n2 gets that answer.
import { afterEach, describe, expect, it } from 'vitest';
import { bindClientSocket, type ClientSocket } from '../../../src/node/maelstrom/client-socket';
import { MaelstromConnections, type RequestOutcome } from '../../../src/lab/maelstrom/maelstrom-connections';
import type { MaelstromMessage } from '../../../src/protocol/maelstrom';

const DEADLINE_MS = 10_000;
let sockets: ClientSocket[] = [];
let connections: MaelstromConnections | null = null;
afterEach(() => {
  for (const socket of sockets) socket.close();
  sockets = [];
  connections?.close();
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > DEADLINE_MS) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('client replies between relays and the lab\'s clients', () => {
  it('a node no client wrote to can answer a client waiting on another node', async () => {
    const toN2: MaelstromMessage[] = [];
    const problems: string[] = [];
    const n1 = await bindClientSocket({ nodeName: 'n1', onRequest: () => problems.push('n1 got a request'), onInvalid: (error) => problems.push(error) });
    const n2 = await bindClientSocket({ nodeName: 'n2', onRequest: (message) => toN2.push(message), onInvalid: (error) => problems.push(error) });
    sockets = [n1, n2];
    connections = new MaelstromConnections();
    connections.setEndpoint(2, n2.endpoint);

    // Until ZeroMQ has connected, a request is refused at once (it never left): send again until one is under way.
    const lab = connections;
    const send = (): Promise<RequestOutcome> => lab.request(2, { src: 'c3', dest: 'n2', body: { type: 'write', msg_id: lab.nextMsgId('c3'), key: 1, value: 5 } }, DEADLINE_MS);
    let reply = send();
    const started = performance.now();
    while ((await Promise.race([reply, new Promise<null>((resolve) => setTimeout(() => resolve(null), 100))]))?.kind === 'refused') {
      if (performance.now() - started > DEADLINE_MS) throw new Error('the lab\'s clients never connected to n2');
      reply = send();
    }
    await until(() => toN2.length === 1, 'n2 to receive the write');
    const request = toN2[0] as MaelstromMessage;
    // n1 answers it before the lab's clients have even connected to n1: the answer waits for them, and goes out once
    // their greeting (or any request) tells n1's relay where they are.
    expect(n1.reply({ src: 'n1', dest: 'c3', body: { type: 'write_ok', in_reply_to: request.body.msg_id } })).toBe(true);
    connections.setEndpoint(1, n1.endpoint);
    const outcome = await reply;
    expect(outcome).toMatchObject({ kind: 'reply', message: { src: 'n1', body: { type: 'write_ok' } } });
    expect(problems, 'the greeting is not a request, and not a problem').toEqual([]);
  });
});
