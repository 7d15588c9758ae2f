// The receiving half: one ROUTER socket bound on an ephemeral port, which every peer's DEALER connects to. The
// receive loop turns bytes into validated frames; nothing a peer sends can throw out of it.
import { Router } from 'zeromq';
import { MAX_PEER_FRAME_BYTES } from '../../protocol/wire';

/**
 * ZeroMQ's own ceiling, above the decoder's limit so that oversize frames up to here are received, counted and
 * reported. Beyond it ZeroMQ silently cuts the sender's connection (it reconnects; nothing is reported).
 */
export const MAX_SOCKET_FRAME_BYTES = 4 * MAX_PEER_FRAME_BYTES;
/** Frames ZeroMQ buffers per connected peer before it stops reading that peer's TCP stream. */
const RECEIVE_HIGH_WATER_MARK = 1000;
/** Pause after an unexpected receive error, so a persistent failure cannot spin the loop. */
const RECEIVE_ERROR_BACKOFF_MS = 50;

export interface InvalidFrameInfo {
  /** The sender's self-declared ZeroMQ routing id ("S3.9f2c..." for a peer transport), when printable. */
  readonly fromEndpoint?: string;
  readonly error: string;
  /** Payload size in bytes. */
  readonly bytes: number;
}

/** Bytes to a validated frame; never throws. */
export type FrameDecoder<F> = (bytes: Buffer) => { ok: true; frame: F } | { ok: false; error: string };

export interface InboundReceiverHandlers<F> {
  onFrame(frame: F, senderRoutingId: string | undefined): void;
  onInvalid(info: InvalidFrameInfo): void;
  /** Unexpected socket errors; the loop continues. */
  onReceiveError(error: unknown): void;
}

export interface InboundReceiver {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function bindInboundReceiver<F>(host: string, decode: FrameDecoder<F>, handlers: InboundReceiverHandlers<F>): Promise<InboundReceiver> {
  const router = new Router({
    linger: 0,
    maxMessageSize: MAX_SOCKET_FRAME_BYTES,
    receiveHighWaterMark: RECEIVE_HIGH_WATER_MARK,
    // A restarted peer may reuse a routing id; the newest connection wins instead of being refused.
    handover: true,
  });
  await router.bind(`tcp://${host}:*`);
  const endpoint = router.lastEndpoint;
  if (endpoint === null) {
    router.close();
    throw new Error(`ROUTER bound on ${host} but reports no endpoint`);
  }
  const loopDone = receiveLoop(router, decode, handlers);
  return {
    endpoint,
    async close() {
      router.close();
      await loopDone;
    },
  };
}

async function receiveLoop<F>(router: Router, decode: FrameDecoder<F>, handlers: InboundReceiverHandlers<F>): Promise<void> {
  while (!router.closed) {
    let parts: Buffer[];
    try {
      parts = await router.receive();
    } catch (error) {
      if (router.closed) return;
      handlers.onReceiveError(error);
      await new Promise((resolve) => setTimeout(resolve, RECEIVE_ERROR_BACKOFF_MS));
      continue;
    }
    try {
      handleParts(parts, decode, handlers);
    } catch (error) {
      handlers.onReceiveError(error); // handlers are meant not to throw; if one does, keep receiving
    }
  }
}

function handleParts<F>(parts: readonly Buffer[], decode: FrameDecoder<F>, handlers: InboundReceiverHandlers<F>): void {
  const [routingIdPart, ...payloadParts] = parts;
  const senderRoutingId = printableRoutingId(routingIdPart);
  const bytes = payloadParts.reduce((total, part) => total + part.byteLength, 0);
  const [payload] = payloadParts;
  if (payloadParts.length !== 1 || payload === undefined) {
    handlers.onInvalid(withSender(senderRoutingId, { error: `expected 1 message part, got ${payloadParts.length}`, bytes }));
    return;
  }
  const decoded = decode(payload);
  if (!decoded.ok) {
    handlers.onInvalid(withSender(senderRoutingId, { error: decoded.error, bytes }));
    return;
  }
  handlers.onFrame(decoded.frame, senderRoutingId);
}

function withSender(senderRoutingId: string | undefined, info: { error: string; bytes: number }): InvalidFrameInfo {
  return senderRoutingId === undefined ? info : { ...info, fromEndpoint: senderRoutingId };
}

/** ZeroMQ's auto-generated ids are binary (they start with a zero byte); ours are short ASCII. */
function printableRoutingId(part: Buffer | undefined): string | undefined {
  if (part === undefined || part.byteLength === 0 || part.byteLength > 64) return undefined;
  const text = part.toString('latin1');
  return /^[\x21-\x7e]+$/.test(text) ? text : undefined;
}
