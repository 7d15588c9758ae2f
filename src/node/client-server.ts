// Where KV clients reach a node: a ROUTER socket on loopback. Every request is validated; a bad one gets an error
// reply (when it can be addressed) and changes nothing. Replies wait in ZeroMQ's bounded queue (high-water mark).
// Requests may come batched, several in one message (src/protocol/client-batch.ts).
import { MAX_CLIENT_FRAMES_PER_MESSAGE } from '../protocol/client-batch';
import { decodeClientRequest, MAX_CLIENT_FRAME_BYTES, type ClientReplyFrame, type ClientRequestFrame } from '../protocol/client';
import { bindLoopbackRouter } from './transport/loopback-router';

export interface ClientServer {
  readonly endpoint: string;
  close(): void;
}

/** Replies to batched requests of one client, waiting for the end of the turn. */
interface ReplyBatch {
  readonly routingId: Buffer;
  readonly frames: Buffer[];
}

type ReplyBody = Omit<ClientReplyFrame, 'v' | 'requestId' | 'node'>;
type SendReply = (routingId: Buffer, frame: ClientReplyFrame, batched: boolean) => void;

/** One request waiting for its answer; answered once, later answers are ignored. */
interface PendingAnswer {
  readonly send: SendReply;
  readonly routingId: Buffer;
  readonly requestId: string;
  readonly nodeId: number;
  readonly batched: boolean;
  answered: boolean;
}

/**
 * The answer callback handed to the node for each request is this function bound to the request's PendingAnswer, not
 * a closure made per request: V8 holds a closure's optimized code only through closures alive at a full GC, and a
 * request's closure dies once called, so the reply path was compiled again after each of the node's full GCs (one
 * per log compaction: docs/benchmarks.md, "Optimized code that died at every full GC").
 */
function answerOnce(this: PendingAnswer, reply: ReplyBody): void {
  if (this.answered) return;
  this.answered = true;
  this.send(this.routingId, { v: 1, requestId: this.requestId, node: this.nodeId, ...reply }, this.batched);
}

export async function startClientServer(options: {
  nodeId: number;
  onRequest(request: ClientRequestFrame, reply: (frame: ReplyBody) => void): void;
  onInvalid(error: string): void;
}): Promise<ClientServer> {
  const batches = new Map<string, ReplyBatch>();
  let flushQueued = false;
  // A microtask: replies made in one synchronous run (every write of an applied batch) share one message, and none
  // waits for a later event-loop turn.
  const flush = (): void => {
    flushQueued = false;
    for (const batch of batches.values()) {
      if (batch.frames.length === 1) router.send(batch.routingId, batch.frames[0] as Buffer);
      else router.sendFrames(batch.routingId, batch.frames);
    }
    batches.clear();
  };
  const send: SendReply = (routingId, frame, batched) => {
    const bytes = Buffer.from(JSON.stringify(frame));
    if (!batched) {
      router.send(routingId, bytes);
      return;
    }
    const key = routingId.toString('latin1');
    const batch = batches.get(key);
    if (batch === undefined) batches.set(key, { routingId, frames: [bytes] });
    else batch.frames.push(bytes);
    if (batch !== undefined && batch.frames.length >= MAX_CLIENT_FRAMES_PER_MESSAGE) {
      router.sendFrames(routingId, batch.frames);
      batches.delete(key);
    }
    if (!flushQueued) {
      flushQueued = true;
      queueMicrotask(flush);
    }
  };
  const router = await bindLoopbackRouter({
    maxFrameBytes: MAX_CLIENT_FRAME_BYTES * 2,
    maxFramesPerMessage: MAX_CLIENT_FRAMES_PER_MESSAGE,
    onInvalid: options.onInvalid,
    onFrame(routingId, payload, batched) {
      const decoded = decodeClientRequest(payload);
      if (!decoded.ok) {
        options.onInvalid(decoded.error);
        send(routingId, { v: 1, requestId: '', status: 'error', value: null, leaderHint: null, index: null,
          node: options.nodeId, error: decoded.error.slice(0, 1000) }, batched);
        return;
      }
      const request = decoded.value;
      const pending: PendingAnswer = { send, routingId, requestId: request.requestId, nodeId: options.nodeId, batched, answered: false };
      options.onRequest(request, answerOnce.bind(pending));
    },
  });
  return { endpoint: router.endpoint, close: () => router.close() };
}
