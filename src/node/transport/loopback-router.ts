// A ROUTER socket on loopback that clients connect to (the KV clients of a built-in node, the Maelstrom clients of a
// student's node): one receive loop, every frame checked for its two parts before anyone sees it, and sends that
// never block. Both client endpoints used to carry their own copy of this.
import * as zmq from 'zeromq';

/**
 * ZeroMQ messages waiting for one client, at most; more are dropped (the client times out and retries). A message is
 * one reply, or one batch of up to `maxFramesPerMessage` replies to requests that client sent batched.
 */
const MAX_QUEUED_REPLIES = 10_000;

// The client went away (unroutable) or the socket closed: nothing to do; the client times out or retries.
const ignore = (): void => undefined;

export interface LoopbackRouter {
  readonly endpoint: string;
  /** Queues a frame for the client behind routingId; dropped if the client is gone or too far behind. */
  send(routingId: Buffer, payload: Buffer): void;
  /** Several frames for one client in one ZeroMQ message (one part each): see `maxFramesPerMessage`. */
  sendFrames(routingId: Buffer, payloads: readonly Buffer[]): void;
  close(): void;
}

export async function bindLoopbackRouter(options: {
  /** Largest frame accepted (ZeroMQ drops the connection of a client that sends more). */
  maxFrameBytes: number;
  /**
   * Frames one message may carry, one per part (default 1: a message of several parts is refused). A client with
   * many requests in flight sends those of one turn together, which spares a ZeroMQ message, a wake-up of each
   * side's I/O thread and a turn of the receive loop per request. `batched` tells the frame came in such a message.
   */
  maxFramesPerMessage?: number;
  onFrame(routingId: Buffer, payload: Buffer, batched: boolean): void;
  onInvalid(error: string): void;
}): Promise<LoopbackRouter> {
  const socket = new zmq.Router({ linger: 0, maxMessageSize: options.maxFrameBytes, sendHighWaterMark: MAX_QUEUED_REPLIES });
  await socket.bind('tcp://127.0.0.1:*');
  // A ROUTER never blocks a send: a reply to a client that is gone, or beyond the high-water mark (the bound on
  // replies waiting for one client), is dropped by ZeroMQ. So with sendTimeout 0 every send completes inside the
  // call, and replies need no queue of our own and no awaited send each (~20 µs of CPU per reply, measured).
  socket.sendTimeout = 0;
  const maxFrames = options.maxFramesPerMessage ?? 1;
  let closed = false;

  // receive() in a loop rather than for-await: zeromq.js's async iterator wraps each message in one more async call
  // and result object, and this loop runs for every client request.
  void (async () => {
    try {
      while (!socket.closed) {
        const parts = await socket.receive();
        const routingId = parts[0];
        if (!routingId || parts.length < 2 || parts.length - 1 > maxFrames) {
          options.onInvalid(`client message of ${parts.length - 1} parts (1..${maxFrames} accepted)`);
          continue;
        }
        const batched = parts.length > 2;
        for (let i = 1; i < parts.length; i++) options.onFrame(routingId, parts[i] as Buffer, batched);
      }
    } catch (error) {
      if (!closed) options.onInvalid(`client socket failed: ${(error as Error).message}`);
    }
  })();

  return {
    endpoint: socket.lastEndpoint ?? '',
    send(routingId, payload) {
      if (closed || socket.closed) return;
      socket.send([routingId, payload]).then(ignore, ignore);
    },
    sendFrames(routingId, payloads) {
      if (closed || socket.closed) return;
      socket.send([routingId, ...payloads]).then(ignore, ignore);
    },
    close() {
      closed = true;
      socket.close();
    },
  };
}
