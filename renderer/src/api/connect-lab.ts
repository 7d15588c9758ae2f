// Picks the bridge: the Electron preload's `window.raftLab` when present, else the web-mode WebSocket.
import type { RaftLabBridge } from '../../../src/protocol/bridge-frames';
import type { LabApi } from '../../../src/protocol/lab-api';
import { createRemoteLabApi } from './remote-lab-api';
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
  const token = new URL(window.location.href).searchParams.get('token') ?? '';
  const wsUrl = `ws://${window.location.host}/api?token=${encodeURIComponent(token)}`;
  return createRemoteLabApi(createWebSocketTransport(wsUrl, onLinkState));
}
