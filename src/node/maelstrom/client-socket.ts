// Where the lab's Maelstrom clients ("c1", "c2", ...) reach a student's node: a ROUTER socket on loopback. A client
// sends one Maelstrom message per frame; the node's replies to "cK" go back on the connection "cK" last wrote from.
// In Maelstrom any node may message any client (a leader answering a request a follower forwarded to it, or one it
// took before it was cut off); the lab's clients reach each node over one connection, shared by all of them, and
// match replies by client and in_reply_to whichever node answers, so a reply to a client that never wrote to this node
// goes back on the connection a client last wrote from, or the one the lab's clients greeted this node on
// (LAB_CLIENTS_HELLO). Every frame is validated; a bad one is reported and changes nothing.
import {
  decodeClientMessage, isClientName, LAB_CLIENTS_HELLO, LAB_INIT_CLIENT, MAX_MAELSTROM_LINE_BYTES, type MaelstromMessage,
} from '../../protocol/maelstrom';
import { bindLoopbackRouter } from '../transport/loopback-router';

/** Clients remembered at once; the oldest is forgotten past this (its late replies are reported as undeliverable). */
const MAX_CLIENTS = 4096;
/**
 * Messages to clients kept while no client has reached this node yet (the lab's greeting may come a moment after a
 * request another node forwarded here); sent once one has. Past this many, a message is refused.
 */
const MAX_WAITING_FOR_ROUTE = 1000;

export interface ClientSocket {
  readonly endpoint: string;
  /**
   * Sends the node's message to its client, or keeps it until a client (or the lab's greeting) has reached this node;
   * false when MAX_WAITING_FOR_ROUTE messages already wait so.
   */
  reply(message: MaelstromMessage): boolean;
  close(): void;
}

export async function bindClientSocket(options: {
  nodeName: string;
  onRequest(message: MaelstromMessage): void;
  onInvalid(error: string): void;
}): Promise<ClientSocket> {
  const routes = new Map<string, Buffer>();
  let lastRoute: Buffer | undefined;
  let waitingForRoute: Buffer[] = [];
  let closed = false;
  const learnRoute = (routingId: Buffer): void => {
    lastRoute = routingId;
    for (const payload of waitingForRoute) router.send(routingId, payload);
    waitingForRoute = [];
  };
  const router = await bindLoopbackRouter({
    maxFrameBytes: MAX_MAELSTROM_LINE_BYTES * 2,
    onInvalid: options.onInvalid,
    onFrame(routingId, payload) {
      const decoded = decodeClientMessage(payload);
      if (!decoded.ok) {
        options.onInvalid(`client message: ${decoded.error}`);
        return;
      }
      const message = decoded.value;
      if (message.src === LAB_INIT_CLIENT && message.dest === options.nodeName && message.body.type === LAB_CLIENTS_HELLO) {
        learnRoute(routingId);
        return;
      }
      if (!isClientName(message.src) || message.src === LAB_INIT_CLIENT || message.dest !== options.nodeName) {
        options.onInvalid(`client message from "${message.src}" to "${message.dest}" (this is ${options.nodeName})`);
        return;
      }
      routes.delete(message.src);
      routes.set(message.src, routingId);
      learnRoute(routingId);
      if (routes.size > MAX_CLIENTS) routes.delete(routes.keys().next().value as string);
      options.onRequest(message);
    },
  });

  return {
    endpoint: router.endpoint,
    reply(message) {
      if (closed) return false;
      const route = routes.get(message.dest) ?? lastRoute;
      const payload = Buffer.from(JSON.stringify(message));
      if (route !== undefined) router.send(route, payload);
      else if (waitingForRoute.length < MAX_WAITING_FOR_ROUTE) waitingForRoute.push(payload);
      else return false;
      return true;
    },
    close() {
      closed = true;
      router.close();
    },
  };
}
