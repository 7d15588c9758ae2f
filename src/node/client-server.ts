// Where KV clients reach a node: a ROUTER socket on loopback. Every request is validated; a bad one gets an error
// reply (when it can be addressed) and changes nothing. Replies wait in ZeroMQ's bounded queue (high-water mark).
import * as zmq from 'zeromq';
import { decodeClientRequest, MAX_CLIENT_FRAME_BYTES, type ClientReplyFrame, type ClientRequestFrame } from '../protocol/client';

/** Replies waiting in ZeroMQ for one client, at most; more are dropped (the client times out and retries). */
const MAX_QUEUED_REPLIES = 10_000;

// The client went away (unroutable) or the socket closed: nothing to do; the client times out or retries.
const ignore = (): void => undefined;

export interface ClientServer {
  readonly endpoint: string;
  close(): void;
}

export async function startClientServer(options: {
  nodeId: number;
  onRequest(request: ClientRequestFrame, reply: (frame: Omit<ClientReplyFrame, 'v' | 'requestId' | 'node'>) => void): void;
  onInvalid(error: string): void;
}): Promise<ClientServer> {
  const socket = new zmq.Router({ linger: 0, maxMessageSize: MAX_CLIENT_FRAME_BYTES * 2, sendHighWaterMark: MAX_QUEUED_REPLIES });
  await socket.bind('tcp://127.0.0.1:*');
  // A ROUTER never blocks a send: a reply to a client that is gone, or beyond the high-water mark (the bound on
  // replies waiting for one client), is dropped by ZeroMQ. So with sendTimeout 0 every send completes inside the
  // call, and replies need no queue of our own and no awaited send each (~20 µs of CPU per reply, measured).
  socket.sendTimeout = 0;
  let closed = false;

  const send = (routingId: Buffer, frame: ClientReplyFrame): void => {
    if (closed || socket.closed) return;
    socket.send([routingId, Buffer.from(JSON.stringify(frame))]).then(ignore, ignore);
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
