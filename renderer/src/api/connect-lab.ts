// Picks the bridge: the Electron preload's `window.raftLab` when present, else the web-mode WebSocket.
import type { RaftLabBridge } from '../../../src/protocol/bridge-frames';
import type { LabApi } from '../../../src/protocol/lab-api';
import { createBenchLabApi } from './bench-lab-api';
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
  // The renderer benchmark (test/bench/renderer-bench.ts): synthetic events generated in the page, no lab.
  if (params.get('bench') === '1') {
    onLinkState('open', 'benchmark: synthetic events, no lab');
    return createBenchLabApi({ eventsPerSecond: boundedNumber(params.get('rate'), 2000, 1, 20_000),
      nodes: boundedNumber(params.get('nodes'), 9, 1, 9) });
  }
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

function boundedNumber(text: string | null, fallback: number, min: number, max: number): number {
  const value = Number(text ?? fallback);
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}
