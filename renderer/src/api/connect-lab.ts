// Picks the bridge: the Electron preload's `window.raftLab` when present, else the web-mode WebSocket.
import type { RaftLabBridge } from '../../../src/protocol/bridge-frames';
import type { LabApi } from '../../../src/protocol/lab-api';
import { hasToken, refusedLinkMessage } from './link-messages';
import { createRemoteLabApi, type LabTransport } from './remote-lab-api';
import { createWebSocketTransport, type LinkState } from './websocket-transport';

declare global {
  interface Window {
    raftLab?: RaftLabBridge;
  }
}

export function connectLab(onLinkState: (state: LinkState, detail: string) => void): LabApi {
  if (window.raftLab) {
    onLinkState('open', 'connected to the lab (desktop app)');
    return createRemoteLabApi(window.raftLab);
  }
  const params = new URL(window.location.href).searchParams;
  const token = params.get('token') ?? '';
  // Without the token the lab refuses every connection: say so at once rather than knock on its door forever.
  if (!hasToken(window.location.href)) {
    const message = refusedLinkMessage(window.location.href);
    onLinkState('refused', message);
    return createRemoteLabApi(refusedTransport(message));
  }
  const wsUrl = `ws://${window.location.host}/api?token=${encodeURIComponent(token)}`;
  return createRemoteLabApi(createWebSocketTransport(wsUrl, onLinkState));
}

/** A bridge to no lab: every call fails with `message`, and no event ever comes. */
function refusedTransport(message: string): LabTransport {
  return {
    invoke: () => Promise.reject(new Error(message)),
    onEvents: () => () => undefined,
  };
}
