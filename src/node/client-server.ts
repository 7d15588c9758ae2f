// Where KV clients reach a node: a ROUTER socket on loopback. Every request is validated; a bad one gets an error
// reply (when it can be addressed) and changes nothing. Replies go out through a bounded queue.
import * as zmq from 'zeromq';
import { decodeClientRequest, MAX_CLIENT_FRAME_BYTES, type ClientReplyFrame, type ClientRequestFrame } from '../protocol/client';

const MAX_QUEUED_REPLIES = 10_000;

export interface ClientServer {
  readonly endpoint: string;
  close(): void;
}

export async function startClientServer(options: {
  nodeId: number;
  onRequest(request: ClientRequestFrame, reply: (frame: Omit<ClientReplyFrame, 'v' | 'requestId' | 'node'>) => void): void;
  onInvalid(error: string): void;
}): Promise<ClientServer> {
  const socket = new zmq.Router({ linger: 0, maxMessageSize: MAX_CLIENT_FRAME_BYTES * 2, sendHighWaterMark: 10_000 });
  await socket.bind('tcp://127.0.0.1:*');
  const queue: Buffer[][] = [];
  let pumping = false;
  let closed = false;

  const pump = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    try {
      while (queue.length > 0 && !closed) {
        const next = queue.shift();
        if (next) await socket.send(next);
      }
    } catch {
      // Unroutable: the client went away. Nothing to do; it will time out or retry.
    } finally {
      pumping = false;
      if (queue.length > 0 && !closed) void pump();
    }
  };

  const send = (routingId: Buffer, frame: ClientReplyFrame): void => {
    if (closed) return;
    if (queue.length >= MAX_QUEUED_REPLIES) queue.shift();
    queue.push([routingId, Buffer.from(JSON.stringify(frame))]);
    void pump();
  };

  void (async () => {
    try {
      for await (const [routingId, payload, ...extra] of socket) {
        if (!routingId || !payload || extra.length > 0) {
          options.onInvalid('client frame with an unexpected number of parts');
          continue;
        }
        const decoded = decodeClientRequest(payload);
        if (!decoded.ok) {
          options.onInvalid(decoded.error);
          send(routingId, { v: 1, requestId: '', status: 'error', value: null, leaderHint: null, index: null,
            node: options.nodeId, error: decoded.error.slice(0, 1000) });
          continue;
        }
        const request = decoded.value;
        let answered = false;
        options.onRequest(request, (reply) => {
          if (answered) return;
          answered = true;
          send(routingId, { v: 1, requestId: request.requestId, node: options.nodeId, ...reply });
        });
      }
    } catch (error) {
      if (!closed) options.onInvalid(`client socket failed: ${(error as Error).message}`);
    }
  })();

  return {
    endpoint: socket.lastEndpoint ?? '',
    close() {
      closed = true;
      socket.close();
    },
  };
}
