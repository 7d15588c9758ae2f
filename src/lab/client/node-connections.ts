// One DEALER per node's client endpoint, shared by all clients of the lab; replies are matched to requests by id.
// Bounded: at most MAX_IN_FLIGHT requests wait for replies at once.
import * as zmq from 'zeromq';
import { decodeClientReply, type ClientReplyFrame, type ClientRequestFrame } from '../../protocol/client';
import type { NodeId } from '../../raft/types';

const MAX_IN_FLIGHT = 20_000;

interface Connection {
  readonly endpoint: string;
  readonly socket: zmq.Dealer;
  readonly queue: Buffer[];
  pumping: boolean;
}

export class NodeConnections {
  private readonly connections = new Map<NodeId, Connection>();
  private readonly waiting = new Map<string, (reply: ClientReplyFrame) => void>();
  private closed = false;
  invalidReplies = 0;

  /** Point node `id` at `endpoint` (a restarted node listens on a new port). */
  setEndpoint(id: NodeId, endpoint: string): void {
    const existing = this.connections.get(id);
    if (existing?.endpoint === endpoint) return;
    existing?.socket.close();
    const socket = new zmq.Dealer({ linger: 0, sendHighWaterMark: 10_000, receiveHighWaterMark: 10_000, immediate: true });
    socket.connect(endpoint);
    const connection: Connection = { endpoint, socket, queue: [], pumping: false };
    this.connections.set(id, connection);
    void this.receive(connection);
  }

  /** Sends and waits up to `timeoutMs` for the reply; null on timeout or when the node is unknown. */
  async request(id: NodeId, frame: ClientRequestFrame, timeoutMs: number): Promise<ClientReplyFrame | null> {
    const connection = this.connections.get(id);
    if (!connection || this.closed || this.waiting.size >= MAX_IN_FLIGHT) return null;
    return new Promise<ClientReplyFrame | null>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(frame.requestId);
        resolve(null);
      }, timeoutMs);
      this.waiting.set(frame.requestId, (reply) => {
        clearTimeout(timer);
        this.waiting.delete(frame.requestId);
        resolve(reply);
      });
      if (connection.queue.length >= 10_000) connection.queue.shift();
      connection.queue.push(Buffer.from(JSON.stringify(frame)));
      void this.pump(connection);
    });
  }

  close(): void {
    this.closed = true;
    for (const connection of this.connections.values()) connection.socket.close();
    this.connections.clear();
  }

  private async pump(connection: Connection): Promise<void> {
    if (connection.pumping) return;
    connection.pumping = true;
    try {
      while (connection.queue.length > 0 && !this.closed) {
        const next = connection.queue.shift();
        if (next) await connection.socket.send(next);
      }
    } catch {
      // The socket was closed (endpoint changed): waiting requests time out and are retried elsewhere.
    } finally {
      connection.pumping = false;
    }
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
        this.waiting.get(decoded.value.requestId)?.(decoded.value);
      }
    } catch {
      // closed
    }
  }
}
