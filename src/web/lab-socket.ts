// The web-mode bridge: one WebSocket per browser tab, carrying LabApi calls and the event stream. Only loopback
// clients that present the per-run token may connect; every call is validated before it reaches the controller.
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { bridgeRequestSchema, MAX_BRIDGE_FRAME_BYTES, type BridgeResponse } from '../protocol/bridge-frames';
import { dispatchLabCall } from '../protocol/lab-methods';
import type { LabController } from '../lab/controller';

/** A slow client gets events dropped rather than the lab's memory filling up. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export function isAllowedUpgrade(request: IncomingMessage, token: string): { ok: true } | { ok: false; why: string } {
  const remote = request.socket.remoteAddress ?? '';
  if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(remote)) return { ok: false, why: `remote ${remote} is not loopback` };
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== '/api') return { ok: false, why: 'unknown path' };
  if (url.searchParams.get('token') !== token) return { ok: false, why: 'missing or wrong token' };
  const origin = request.headers.origin;
  if (origin !== undefined && !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(origin)) {
    return { ok: false, why: `origin ${origin} is not the lab's` };
  }
  return { ok: true };
}

export function serveLabSocket(socket: WebSocket, controller: LabController): void {
  const send = (response: BridgeResponse): void => {
    if (socket.readyState !== socket.OPEN) return;
    if (response.kind === 'events' && socket.bufferedAmount > MAX_BUFFERED_BYTES) return;
    socket.send(JSON.stringify(response));
  };
  const unsubscribe = controller.subscribe((events) => send({ kind: 'events', events }));
  socket.on('close', unsubscribe);
  socket.on('error', unsubscribe);
  socket.on('message', (data, isBinary) => {
    void handleMessage(data, isBinary);
  });

  async function handleMessage(data: unknown, isBinary: boolean): Promise<void> {
    const text = !isBinary && Buffer.isBuffer(data) && data.byteLength <= MAX_BRIDGE_FRAME_BYTES ? data.toString('utf8') : null;
    let request;
    try {
      request = text === null ? null : bridgeRequestSchema.safeParse(JSON.parse(text));
    } catch {
      request = null;
    }
    if (!request?.success) {
      send({ kind: 'result', id: -1, ok: false, error: 'malformed request: expected {id, method, params[]} as JSON text' });
      return;
    }
    const { id, method, params } = request.data;
    try {
      const value = await dispatchLabCall(controller, method, params);
      send({ kind: 'result', id, ok: true, value });
    } catch (error) {
      send({ kind: 'result', id, ok: false, error: (error as Error).message });
    }
  }
}
