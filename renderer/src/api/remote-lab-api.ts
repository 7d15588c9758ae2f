// The renderer's LabApi: the same object whichever bridge carries it (Electron IPC or the web-mode WebSocket).
import type { ClusterSettings, LabApi, LabSnapshot } from '../../../src/protocol/lab-api';
import type { LabEvent } from '../../../src/protocol/events';
import type { LabMethod } from '../../../src/protocol/lab-methods';

export interface LabTransport {
  invoke(method: LabMethod, params: readonly unknown[]): Promise<unknown>;
  onEvents(listener: (events: readonly LabEvent[]) => void): () => void;
}

export function createRemoteLabApi(transport: LabTransport): LabApi {
  return {
    getSnapshot: async () => (await transport.invoke('getSnapshot', [])) as LabSnapshot,
    startCluster: async (settings: Partial<ClusterSettings>) => (await transport.invoke('startCluster', [settings])) as LabSnapshot,
    stopCluster: async () => (await transport.invoke('stopCluster', [])) as LabSnapshot,
    subscribe: (listener) => transport.onEvents(listener),
  };
}
