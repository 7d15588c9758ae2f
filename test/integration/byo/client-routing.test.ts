// In Maelstrom any node may answer a client. Here the lab's clients (MaelstromConnections) and two relays' client
// sockets, over real ZeroMQ sockets on loopback: n1 answers a request that was sent to n2, although no client ever
// wrote to n1 (a new leader answering a client of the old one), even before the lab's clients connected to n1, and
// the client waiting on n2 gets that answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import { afterEach, describe, expect, it } from 'vitest';
import { bindClientSocket, type ClientSocket } from '../../../src/node/maelstrom/client-socket';
import { MaelstromConnections } from '../../../src/lab/maelstrom/maelstrom-connections';
import type { MaelstromMessage } from '../../../src/protocol/maelstrom';

const DEADLINE_MS = 10_000;
let sockets: ClientSocket[] = [];
let connections: MaelstromConnections | null = null;
let routers: zmq.Router[] = [];
let tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs = [];
  for (const socket of sockets) socket.close();
  sockets = [];
  for (const router of routers) router.close();
  routers = [];
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

    // Sent while ZeroMQ is still connecting: it waits for the connection.
    const reply = connections.request(2, { src: 'c3', dest: 'n2', body: { type: 'write', msg_id: connections.nextMsgId('c3'), key: 1, value: 5 } }, DEADLINE_MS);
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

  it('a request made while ZeroMQ is still connecting waits for the connection: it is answered, not refused', async () => {
    // The node's socket is bound only after the requests were made (a relay a moment late): ZeroMQ connects when it
    // comes up. Before, each request was refused at once (the workload recorded it failed).
    // An ipc endpoint of its own: a loopback port freed for the test may be taken meanwhile by anything on the machine.
    const dir = mkdtempSync(join(tmpdir(), 'raft-lab-routing-'));
    tempDirs.push(dir);
    const endpoint = `ipc://${join(dir, 'n1.sock')}`;
    connections = new MaelstromConnections();
    connections.setEndpoint(1, endpoint);
    const lab = connections;
    const outcomes = Promise.all(['c1', 'c2', 'c3'].map((client) => lab.request(1, { src: client, dest: 'n1',
      body: { type: 'read', msg_id: lab.nextMsgId(client), key: 0 } }, DEADLINE_MS)));
    const node = new zmq.Router({ linger: 0 });
    routers.push(node);
    await node.bind(endpoint);
    void (async () => {
      for await (const [routingId, payload] of node) {
        const message = JSON.parse(String(payload)) as MaelstromMessage;
        if (message.body.type !== 'read' || !routingId) continue; // the lab's greeting
        await node.send([routingId, JSON.stringify({ src: 'n1', dest: message.src, body: { type: 'read_ok', in_reply_to: message.body.msg_id, value: 7 } })]);
      }
    })().catch(() => undefined);
    expect((await outcomes).map((outcome) => outcome.kind)).toEqual(['reply', 'reply', 'reply']);
    expect(await lab.whenConnected([1], DEADLINE_MS)).toEqual([]);
  });

  it('whenConnected names the nodes the lab\'s clients cannot reach by the deadline, and a request to one is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'raft-lab-routing-'));
    tempDirs.push(dir);
    const deadEndpoint = `ipc://${join(dir, 'nobody.sock')}`; // nothing ever listens there
    connections = new MaelstromConnections();
    connections.setEndpoint(1, deadEndpoint);
    const started = performance.now();
    expect(await connections.whenConnected([1, 2], 300)).toEqual([1, 2]);
    expect(performance.now() - started).toBeLessThan(DEADLINE_MS);
    const outcome = await connections.request(1, { src: 'c1', dest: 'n1', body: { type: 'read', msg_id: connections.nextMsgId('c1'), key: 0 } }, 200);
    expect(outcome.kind, 'it never left: certainly not done').toBe('refused');
  });
});
