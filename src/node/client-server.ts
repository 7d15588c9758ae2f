// Where KV clients reach a node: a ROUTER socket on loopback. Every request is validated; a bad one gets an error
// reply (when it can be addressed) and changes nothing. Replies wait in ZeroMQ's bounded queue (high-water mark).
import { decodeClientRequest, MAX_CLIENT_FRAME_BYTES, type ClientReplyFrame, type ClientRequestFrame } from '../protocol/client';
import { bindLoopbackRouter } from './transport/loopback-router';

export interface ClientServer {
  readonly endpoint: string;
  close(): void;
}

export async function startClientServer(options: {
  nodeId: number;
  onRequest(request: ClientRequestFrame, reply: (frame: Omit<ClientReplyFrame, 'v' | 'requestId' | 'node'>) => void): void;
  onInvalid(error: string): void;
}): Promise<ClientServer> {
  const send = (routingId: Buffer, frame: ClientReplyFrame): void => router.send(routingId, Buffer.from(JSON.stringify(frame)));
  const router = await bindLoopbackRouter({
    maxFrameBytes: MAX_CLIENT_FRAME_BYTES * 2,
    onInvalid: options.onInvalid,
    onFrame(routingId, payload) {
      const decoded = decodeClientRequest(payload);
      if (!decoded.ok) {
        options.onInvalid(decoded.error);
        send(routingId, { v: 1, requestId: '', status: 'error', value: null, leaderHint: null, index: null,
          node: options.nodeId, error: decoded.error.slice(0, 1000) });
        return;
      }
      const request = decoded.value;
      let answered = false;
      options.onRequest(request, (reply) => {
        if (answered) return;
        answered = true;
        send(routingId, { v: 1, requestId: request.requestId, node: options.nodeId, ...reply });
      });
    },
  });
  return { endpoint: router.endpoint, close: () => router.close() };
}
