// The node's end of the control channel: a DEALER connected to the lab's ROUTER. Outbound frames are queued with a
// bound, so a stalled lab cannot make a node grow without limit; they go out as in the peer transport (synchronous
// sends while ZeroMQ has room, see transport/socket-feeder.ts).
import * as zmq from 'zeromq';
import { BoundedQueue } from './transport/bounded-queue';
import { sendBlocking, sendWhileWritable, useNonBlockingSends } from './transport/socket-feeder';
import { decodeLabToNode, encodeControlFrame, type LabToNodeFrame, type NodeToLabFrame } from '../protocol/control';

const MAX_QUEUED_FRAMES = 4096;

export interface LabLink {
  send(frame: NodeToLabFrame): void;
  close(): void;
}

export async function connectLabLink(options: {
  endpoint: string;
  nodeId: number;
  secret: string;
  onFrame(frame: LabToNodeFrame): void;
  onInvalidFrame(error: string): void;
}): Promise<LabLink> {
  const socket = new zmq.Dealer({ routingId: `node-${options.nodeId}`, linger: 0, sendHighWaterMark: 10_000 });
  socket.connect(options.endpoint);
  useNonBlockingSends(socket);
  const queue = new BoundedQueue<Buffer>(MAX_QUEUED_FRAMES);
  let pumping = false;
  let closed = false;
  // ZeroMQ refused a frame it had just said it had room for (cannot happen short of a library bug). Not reported
  // through this same link: a report that failed the same way would loop.
  const onLost = (): void => undefined;

  /** While the lab is not reading, one frame parks in a blocking send and the rest wait in the bounded queue. */
  const pumpBlocked = async (): Promise<void> => {
    pumping = true;
    try {
      while (!closed) {
        const next = queue.shift();
        if (next === undefined) break;
        if (!(await sendBlocking(socket, next))) {
          if (!closed) options.onInvalidFrame('control send failed: the socket refused a frame');
          break;
        }
        sendWhileWritable(socket, queue, onLost);
      }
    } finally {
      pumping = false;
    }
  };

  void (async () => {
    try {
      for await (const [payload] of socket) {
        if (!payload) continue;
        const decoded = decodeLabToNode(payload, options.secret);
        if (decoded.ok) options.onFrame(decoded.value);
        else options.onInvalidFrame(decoded.error);
      }
    } catch (error) {
      if (!closed) options.onInvalidFrame(`control receive failed: ${(error as Error).message}`);
    }
  })();

  return {
    send(frame) {
      if (closed) return;
      if (queue.length >= MAX_QUEUED_FRAMES) queue.shift(); // oldest first: the newest state matters most
      queue.push(encodeControlFrame(frame));
      if (pumping) return;
      sendWhileWritable(socket, queue, onLost);
      if (queue.length > 0) void pumpBlocked();
    },
    close() {
      closed = true;
      socket.close();
    },
  };
}
