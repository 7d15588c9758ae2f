// One DEALER per node's client endpoint, shared by all clients of the lab; replies are matched to requests by id.
// Bounded: at most MAX_IN_FLIGHT requests wait for replies at once. When the connection to a node drops (the node
// died), the requests waiting on it fail at once: their replies can no longer come, and a client that waited out
// its whole attempt timeout for them would add that much to every failover.
//
// A request made while others wait on the same connection is not sent at once: the requests of one event-loop turn go
// together in one message (src/protocol/client-batch.ts), and their replies come back batched too. Under load that is
// one ZeroMQ message per turn instead of one per request, on both sides. A request made alone goes alone, at once.
import * as zmq from 'zeromq';
import { MAX_CLIENT_FRAMES_PER_MESSAGE } from '../../protocol/client-batch';
import type { ClientReplyFrame, ClientRequestFrame } from '../../protocol/client';
import { decodeClientReply } from '../../protocol/client-schema';
import type { NodeId } from '../../raft/types';

const MAX_IN_FLIGHT = 20_000;

interface Connection {
  readonly endpoint: string;
  readonly socket: zmq.Dealer;
  /** Requests sent on this connection that wait for a reply: id -> settle. */
  readonly waiting: Map<string, (reply: ClientReplyFrame | null) => void>;
  /** Requests of this turn not sent yet (they go in one message), with their settle. */
  readonly unsent: { readonly bytes: Buffer; readonly settle: (reply: ClientReplyFrame | null) => void }[];
}

export class NodeConnections {
  private readonly connections = new Map<NodeId, Connection>();
  private inFlight = 0;
  private closed = false;
  invalidReplies = 0;

  /** Forget node `id` (it left the cluster): its requests still waiting fail at once. */
  removeEndpoint(id: NodeId): void {
    const existing = this.connections.get(id);
    if (!existing) return;
    this.connections.delete(id);
    this.drop(existing);
  }

  /** Point node `id` at `endpoint` (a restarted node listens on a new port). */
  setEndpoint(id: NodeId, endpoint: string): void {
    const existing = this.connections.get(id);
    if (existing?.endpoint === endpoint) return;
    if (existing) this.drop(existing);
    // immediate + sendTimeout 0: a request to a node that is down fails at once instead of waiting for it, so the
    // client moves on to another node without losing a whole attempt timeout.
    const socket = new zmq.Dealer({ linger: 0, sendHighWaterMark: 10_000, receiveHighWaterMark: 10_000, immediate: true, sendTimeout: 0 });
    socket.connect(endpoint);
    const connection: Connection = { endpoint, socket, waiting: new Map(), unsent: [] };
    socket.events.on('disconnect', () => this.failWaiting(connection));
    this.connections.set(id, connection);
    void this.receive(connection);
  }

  /** Sends and waits up to `timeoutMs` for the reply; null on timeout or when the node is unknown. */
  async request(id: NodeId, frame: ClientRequestFrame, timeoutMs: number): Promise<ClientReplyFrame | null> {
    const connection = this.connections.get(id);
    if (!connection || this.closed || this.inFlight >= MAX_IN_FLIGHT || connection.waiting.has(frame.requestId)) return null;
    return new Promise<ClientReplyFrame | null>((resolve) => {
      const settle = (reply: ClientReplyFrame | null): void => {
        if (connection.waiting.get(frame.requestId) !== settle) return; // settled already
        clearTimeout(timer);
        connection.waiting.delete(frame.requestId);
        this.inFlight -= 1;
        resolve(reply);
      };
      const timer = setTimeout(() => settle(null), timeoutMs);
      connection.waiting.set(frame.requestId, settle);
      this.inFlight += 1;
      // sendTimeout 0: the send completes (or fails) inside the call, so there is nothing to queue or await here;
      // ZeroMQ's high-water mark bounds what waits for the node. A refused send (node down, queue full) fails fast.
      if (connection.socket.closed) {
        settle(null);
        return;
      }
      const bytes = Buffer.from(JSON.stringify(frame));
      if (connection.waiting.size === 1 && connection.unsent.length === 0) {
        connection.socket.send(bytes).then(undefined, () => settle(null));
        return;
      }
      if (connection.unsent.length === 0) setImmediate(() => this.sendUnsent(connection));
      connection.unsent.push({ bytes, settle });
      if (connection.unsent.length >= MAX_CLIENT_FRAMES_PER_MESSAGE) this.sendUnsent(connection);
    });
  }

  /** This turn's requests on `connection`, in one message (a single one as a plain frame). */
  private sendUnsent(connection: Connection): void {
    const batch = connection.unsent.splice(0);
    if (batch.length === 0) return;
    const failAll = (): void => { for (const request of batch) request.settle(null); };
    if (connection.socket.closed) failAll();
    else if (batch.length === 1) connection.socket.send((batch[0] as (typeof batch)[number]).bytes).then(undefined, failAll);
    else connection.socket.send(batch.map((request) => request.bytes)).then(undefined, failAll);
  }

  close(): void {
    this.closed = true;
    for (const connection of this.connections.values()) this.drop(connection);
    this.connections.clear();
  }

  private drop(connection: Connection): void {
    connection.socket.close();
    this.failWaiting(connection);
  }

  private failWaiting(connection: Connection): void {
    connection.unsent.length = 0; // failed below: they must not reach the node after their client moved on
    for (const settle of [...connection.waiting.values()]) settle(null);
  }

  private async receive(connection: Connection): Promise<void> {
    try {
      // receive() in a loop rather than for-await (see loopback-router.ts): this runs for every reply.
      while (!connection.socket.closed) {
        const parts = await connection.socket.receive();
        for (const payload of parts) {
          const decoded = decodeClientReply(payload);
          if (!decoded.ok) {
            this.invalidReplies += 1;
            continue;
          }
          connection.waiting.get(decoded.value.requestId)?.(decoded.value);
        }
      }
    } catch {
      // closed
    }
  }
}
