// Where the lab's Maelstrom clients ("c1", "c2", ...) reach a student's node: a ROUTER socket on loopback. A client
// sends one Maelstrom message per frame; the node's replies to "cK" go back on the connection "cK" last wrote from.
// Every frame is validated; a bad one is reported and changes nothing.
import * as zmq from 'zeromq';
import { decodeClientMessage, isClientName, LAB_INIT_CLIENT, MAX_MAELSTROM_LINE_BYTES, type MaelstromMessage } from '../../protocol/maelstrom';

/** Clients remembered at once; the oldest is forgotten past this (its late replies are reported as undeliverable). */
const MAX_CLIENTS = 4096;
const MAX_QUEUED_REPLIES = 10_000;
const ignore = (): void => undefined;

export interface ClientSocket {
  readonly endpoint: string;
  /** Sends the node's message to its client; false when no client of that name has written to this node. */
  reply(message: MaelstromMessage): boolean;
  close(): void;
}

export async function bindClientSocket(options: {
  nodeName: string;
  onRequest(message: MaelstromMessage): void;
  onInvalid(error: string): void;
}): Promise<ClientSocket> {
  const socket = new zmq.Router({ linger: 0, maxMessageSize: MAX_MAELSTROM_LINE_BYTES * 2, sendHighWaterMark: MAX_QUEUED_REPLIES });
  await socket.bind('tcp://127.0.0.1:*');
  socket.sendTimeout = 0; // a ROUTER never blocks: a reply to a client that is gone is dropped (see client-server.ts)
  const routes = new Map<string, Buffer>();
  let closed = false;

  void (async () => {
    try {
      for await (const [routingId, payload, ...extra] of socket) {
        if (!routingId || !payload || extra.length > 0) {
          options.onInvalid('client frame with an unexpected number of parts');
          continue;
        }
        const decoded = decodeClientMessage(payload);
        if (!decoded.ok) {
          options.onInvalid(`client message: ${decoded.error}`);
          continue;
        }
        const message = decoded.value;
        if (!isClientName(message.src) || message.src === LAB_INIT_CLIENT || message.dest !== options.nodeName) {
          options.onInvalid(`client message from "${message.src}" to "${message.dest}" (this is ${options.nodeName})`);
          continue;
        }
        routes.delete(message.src);
        routes.set(message.src, routingId);
        if (routes.size > MAX_CLIENTS) routes.delete(routes.keys().next().value as string);
        options.onRequest(message);
      }
    } catch (error) {
      if (!closed) options.onInvalid(`client socket failed: ${(error as Error).message}`);
    }
  })();

  return {
    endpoint: socket.lastEndpoint ?? '',
    reply(message) {
      const route = routes.get(message.dest);
      if (route === undefined || closed) return false;
      socket.send([route, Buffer.from(JSON.stringify(message))]).then(ignore, ignore);
      return true;
    },
    close() {
      closed = true;
      socket.close();
    },
  };
}
