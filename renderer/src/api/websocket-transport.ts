// Web mode: LabApi calls and events over one WebSocket to the lab on 127.0.0.1, authenticated by the token the lab
// printed in the URL. Reconnects with backoff; pending calls fail with a clear error when the link drops.
import type { BridgeResponse } from '../../../src/protocol/bridge-frames';
import { labEventBatchSchema, type LabEvent } from '../../../src/protocol/events';
import type { LabTransport } from './remote-lab-api';
import { refusedLinkMessage } from './link-messages';

const MAX_PENDING_CALLS = 256;
const MAX_RECONNECT_DELAY_MS = 5000;

/** refused: no connection was ever made (a missing or stale token, or no lab there); closed: an open one was lost. */
export type LinkState = 'connecting' | 'open' | 'closed' | 'refused';

export function createWebSocketTransport(url: string, onLinkState: (state: LinkState, detail: string) => void): LabTransport {
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Set<(events: readonly LabEvent[]) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opened: Promise<void> = Promise.resolve();
  let reconnectDelayMs = 250;
  let everOpened = false;
  let refused = false;

  const connect = (): void => {
    // After a refusal, retries stay quiet: the page keeps saying what to do instead of flickering "connecting".
    if (!refused) onLinkState('connecting', url.replace(/token=[^&]+/, 'token=…'));
    const ws = new WebSocket(url);
    socket = ws;
    opened = new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => {
        reconnectDelayMs = 250;
        everOpened = true;
        refused = false;
        onLinkState('open', 'connected to the lab');
        resolve();
      }, { once: true });
      ws.addEventListener('error', () => reject(new Error('cannot reach the lab')), { once: true });
    });
    opened.catch(() => undefined);
    ws.addEventListener('message', (message) => onMessage(String(message.data)));
    ws.addEventListener('close', () => {
      for (const call of pending.values()) call.reject(new Error('the connection to the lab was lost'));
      pending.clear();
      if (everOpened) onLinkState('closed', 'the connection to the lab was lost; reconnecting');
      else {
        refused = true;
        onLinkState('refused', refusedLinkMessage(window.location.href));
      }
      setTimeout(connect, reconnectDelayMs);
      reconnectDelayMs = Math.min(reconnectDelayMs * 2, MAX_RECONNECT_DELAY_MS);
    });
  };

  const onMessage = (text: string): void => {
    let frame: BridgeResponse;
    try {
      frame = JSON.parse(text) as BridgeResponse;
    } catch {
      return;
    }
    if (frame.kind === 'events') {
      const parsed = labEventBatchSchema.safeParse(frame.events);
      if (!parsed.success) return;
      for (const listener of listeners) listener(parsed.data);
      return;
    }
    const call = pending.get(frame.id);
    if (!call) return;
    pending.delete(frame.id);
    if (frame.ok) call.resolve(frame.value);
    else call.reject(new Error(frame.error));
  };

  connect();
  return {
    async invoke(method, params) {
      await opened;
      if (pending.size >= MAX_PENDING_CALLS) throw new Error('too many lab calls in flight');
      const id = nextId++;
      return new Promise<unknown>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket?.send(JSON.stringify({ id, method, params }));
      });
    },
    onEvents(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
