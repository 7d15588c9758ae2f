// The renderer's LabApi: the same object whichever bridge carries it (Electron IPC or the web-mode WebSocket).
// Built from the method table, so a method added to the LabApi cannot be forgotten here.
import type { LabApi } from '../../../src/protocol/lab-api';
import type { LabEvent } from '../../../src/protocol/events';
import { labMethodParams, type CallableLabApi, type LabMethod } from '../../../src/protocol/lab-methods';

export interface LabTransport {
  invoke(method: LabMethod, params: readonly unknown[]): Promise<unknown>;
  onEvents(listener: (events: readonly LabEvent[]) => void): () => void;
}

export function createRemoteLabApi(transport: LabTransport): LabApi {
  const methods = Object.fromEntries(
    (Object.keys(labMethodParams) as LabMethod[]).map((method) => [
      method,
      (...params: unknown[]) => transport.invoke(method, params),
    ]),
  ) as unknown as CallableLabApi;
  return { ...methods, subscribe: (listener) => transport.onEvents(listener) };
}
