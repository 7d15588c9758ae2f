// One DEALER per node's client endpoint, shared by all clients of the lab; replies are matched to requests by id.
// Bounded: at most MAX_IN_FLIGHT requests wait for replies at once.
import * as zmq from 'zeromq';
import { decodeClientReply, type ClientReplyFrame, type ClientRequestFrame } from '../../protocol/client';
import type { NodeId } from '../../raft/types';

const MAX_IN_FLIGHT = 20_000;

interface Outgoing {
  readonly requestId: string;
  readonly payload: Buffer;
}

interface Connection {
  readonly endpoint: string;
  readonly socket: zmq.Dealer;
  readonly queue: Outgoing[];
  pumping: boolean;
}

export class NodeConnections {
  private readonly connections = new Map<NodeId, Connection>();
  private readonly waiting = new Map<string, (reply: ClientReplyFrame) => void>();
  private readonly failures = new Map<string, () => void>();
  private closed = false;
  invalidReplies = 0;

  /** Point node `id` at `endpoint` (a restarted node listens on a new port). */
  setEndpoint(id: NodeId, endpoint: string): void {
    const existing = this.connections.get(id);
    if (existing?.endpoint === endpoint) return;
    existing?.socket.close();
    // immediate + sendTimeout 0: a request to a node that is down fails at once instead of waiting for it, so the
    // client moves on to another node without losing a whole attempt timeout.
    const socket = new zmq.Dealer({ linger: 0, sendHighWaterMark: 10_000, receiveHighWaterMark: 10_000, immediate: true, sendTimeout: 0 });
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
      const settle = (reply: ClientReplyFrame | null): void => {
        clearTimeout(timer);
        this.waiting.delete(frame.requestId);
        this.failures.delete(frame.requestId);
        resolve(reply);
      };
      const timer = setTimeout(() => settle(null), timeoutMs);
      this.waiting.set(frame.requestId, settle);
      this.failures.set(frame.requestId, () => settle(null));
      if (connection.queue.length >= 10_000) this.fail(connection.queue.shift());
      connection.queue.push({ requestId: frame.requestId, payload: Buffer.from(JSON.stringify(frame)) });
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
        if (!next) continue;
        try {
          await connection.socket.send(next.payload);
        } catch {
          this.fail(next); // not connected (node down) or the socket was replaced: fail fast
        }
      }
    } finally {
      connection.pumping = false;
    }
  }

  private fail(outgoing: Outgoing | undefined): void {
    if (!outgoing) return;
    const resolve = this.failures.get(outgoing.requestId);
    resolve?.();
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
