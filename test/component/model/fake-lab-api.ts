// A LabApi for component tests: a fixed snapshot and recent events, and an emit() that plays the lab's event batches.
import type { LabEvent } from '../../../src/protocol/events';
import type { LabApi, LabSnapshot, NodeDetail } from '../../../src/protocol/lab-api';

export interface FakeLab {
  readonly api: LabApi;
  emit(events: readonly LabEvent[]): void;
  readonly listenerCount: () => number;
}

export function fakeLabApi(snapshot: LabSnapshot, recent: readonly LabEvent[] = [],
  details: Readonly<Record<number, NodeDetail>> = {}): FakeLab {
  const listeners = new Set<(events: readonly LabEvent[]) => void>();
  const unsupported = async (): Promise<never> => { throw new Error('not in this fake'); };
  const api: LabApi = {
    getSnapshot: async () => snapshot,
    getRecentEvents: async (limit) => recent.slice(-limit),
    getNodeDetail: async (id) => {
      const detail = details[id];
      if (!detail) throw new Error(`no detail for S${id}`);
      return detail;
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    startCluster: unsupported, stopCluster: unsupported, crashNode: unsupported, restartNode: unsupported,
    pauseNode: unsupported, resumeNode: unsupported, wipeNode: unsupported, setPartition: unsupported,
    addServer: unsupported, removeServer: unsupported, promoteServer: unsupported, transferLeadership: unsupported,
    setLinkFaults: unsupported, healAll: unsupported, setTimeScale: unsupported, clientRequest: unsupported,
    startWorkload: unsupported, stopWorkload: unsupported, getWorkload: unsupported, setNetworkDelay: unsupported,
    freezeCluster: unsupported, resumeCluster: unsupported, stepCluster: unsupported, timeoutNode: unsupported,
    heldMessage: unsupported, listExercises: unsupported, getExercise: unsupported, listDemos: unsupported, getDemo: unsupported, startExperiment: unsupported,
    getExperiment: unsupported, cancelExperiment: unsupported,
  };
  return { api, emit: (events) => { for (const listener of listeners) listener(events); }, listenerCount: () => listeners.size };
}
