// One DEALER per node's client endpoint, shared by all clients of the lab; replies are matched to requests by id.
// Bounded: at most MAX_IN_FLIGHT requests wait for replies at once. When the connection to a node drops (the node
// died), the requests waiting on it fail at once: their replies can no longer come, and a client that waited out
// its whole attempt timeout for them would add that much to every failover.
import * as zmq from 'zeromq';
import { decodeClientReply, type ClientReplyFrame, type ClientRequestFrame } from '../../protocol/client';
import type { NodeId } from '../../raft/types';

const MAX_IN_FLIGHT = 20_000;

interface Connection {
  readonly endpoint: string;
  readonly socket: zmq.Dealer;
  /** Requests sent on this connection that wait for a reply: id -> settle. */
  readonly waiting: Map<string, (reply: ClientReplyFrame | null) => void>;
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
    const connection: Connection = { endpoint, socket, waiting: new Map() };
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
      if (connection.socket.closed) settle(null);
      else connection.socket.send(Buffer.from(JSON.stringify(frame))).then(undefined, () => settle(null));
    });
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
    for (const settle of [...connection.waiting.values()]) settle(null);
  }

  private async receive(connection: Connection): Promise<void> {
    try {
      for await (const [payload] of connection.socket) {
        if (!payload) continue;
        const decoded = decodeClientReply(payload);
        if (!decoded.ok) {
          this.invalidReplies += 1;
          continue;
        }
        connection.waiting.get(decoded.value.requestId)?.(decoded.value);
      }
    } catch {
      // closed
    }
  }
}
