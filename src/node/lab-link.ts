// The node's end of the control channel: a DEALER connected to the lab's ROUTER. Outbound frames are queued with a
// bound, so a stalled lab cannot make a node grow without limit.
import * as zmq from 'zeromq';
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
  const queue: Buffer[] = [];
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
    } catch (error) {
      if (!closed) options.onInvalidFrame(`control send failed: ${(error as Error).message}`);
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
      void pump();
    },
    close() {
      closed = true;
      socket.close();
    },
  };
}
