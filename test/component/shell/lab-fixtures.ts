// Hand-built lab states and a scriptable LabApi for the views' component tests: each test states exactly the lab it
// draws, with no backend.
import { vi } from 'vitest';
import type { LabEvent } from '../../../src/protocol/events';
import {
  DEFAULT_SETTINGS,
  type ClientResult,
  type LabApi,
  type LabSnapshot,
  type NodeView,
  type WorkloadReport,
} from '../../../src/protocol/lab-api';
import type { LabView, NodeViewState } from '../../../renderer/src/model/lab-view';
import { idleExperimentState } from '../../../src/protocol/experiments';

export function nodeState(id: number, patch: Partial<NodeViewState> = {}): NodeViewState {
  return {
    id, status: 'running', pid: 1000 + id, peerEndpoint: null, role: 'follower', term: 1, votedFor: null, leaderId: null,
    commitIndex: 0, lastApplied: 0, lastLogIndex: 0, log: [], lastLogTerm: 0, progress: null, electionDeadlineNs: null,
    kv: {}, lastEvent: null, ...patch,
  };
}

export function labView(nodes: readonly NodeViewState[], patch: Partial<LabView> = {}): LabView {
  return {
    atNs: 5e9, seq: 100, phase: 'running', settings: { ...DEFAULT_SETTINGS, nodeCount: nodes.length },
    nodes: Object.fromEntries(nodes.map((node) => [node.id, node])), inFlight: [], recentOutcomes: [], blockedLinks: [],
    leaderId: nodes.find((node) => node.role === 'leader')?.id ?? null, ...patch,
  };
}

export function nodeView(id: number, patch: Partial<NodeView> = {}): NodeView {
  return { id, status: 'running', pid: 1000 + id, peerEndpoint: null, role: 'follower', term: 1, votedFor: null,
    leaderId: null, commitIndex: 0, lastApplied: 0, lastLogIndex: 0, ...patch };
}

export function snapshot(nodes: readonly NodeView[], patch: Partial<LabSnapshot> = {}): LabSnapshot {
  return { phase: 'running', settings: { ...DEFAULT_SETTINGS, nodeCount: nodes.length }, nodes, blockedLinks: [],
    linkFaults: {}, atNs: 1e9, nextSeq: 0, ...patch };
}

export const EMPTY_WORKLOAD: WorkloadReport = {
  running: false, spec: null, ops: 0, ok: 0, fail: 0, unknown: 0, history: [], truncated: false, verdict: null,
};

export function okResult(patch: Partial<ClientResult> = {}): ClientResult {
  return { status: 'ok', value: null, servedBy: 1, latencyMs: 2.5, error: null, index: null, ...patch };
}

export interface FakeLab {
  readonly api: { [K in keyof LabApi]: LabApi[K] & ReturnType<typeof vi.fn> };
  emit(events: readonly LabEvent[]): void;
}

/** A LabApi whose every method is a mock; `snapshot` is what getSnapshot answers. */
export function fakeLab(labSnapshot: LabSnapshot = snapshot([nodeView(1), nodeView(2), nodeView(3)])): FakeLab {
  const listeners = new Set<(events: readonly LabEvent[]) => void>();
  const api = {
    getSnapshot: vi.fn(async () => labSnapshot),
    startCluster: vi.fn(async () => labSnapshot),
    stopCluster: vi.fn(async () => ({ ...labSnapshot, phase: 'stopped' as const, nodes: [] })),
    crashNode: vi.fn(async () => undefined),
    addServer: vi.fn(async () => 4),
    removeServer: vi.fn(async () => undefined),
    promoteServer: vi.fn(async () => undefined),
    transferLeadership: vi.fn(async () => undefined),
    restartNode: vi.fn(async () => undefined),
    pauseNode: vi.fn(async () => undefined),
    resumeNode: vi.fn(async () => undefined),
    wipeNode: vi.fn(async () => undefined),
    setPartition: vi.fn(async () => undefined),
    setLinkFaults: vi.fn(async () => undefined),
    healAll: vi.fn(async () => undefined),
    setTimeScale: vi.fn(async () => undefined),
    clientRequest: vi.fn(async () => okResult()),
    startWorkload: vi.fn(async () => undefined),
    stopWorkload: vi.fn(async () => EMPTY_WORKLOAD),
    getWorkload: vi.fn(async () => EMPTY_WORKLOAD),
    getNodeDetail: vi.fn(async () => { throw new Error('no detail in this test'); }),
    getRecentEvents: vi.fn(async () => []),
    setNetworkDelay: vi.fn(async () => undefined),
    freezeCluster: vi.fn(async () => undefined),
    resumeCluster: vi.fn(async () => undefined),
    stepCluster: vi.fn(async () => ({ kind: 'none', node: null, messageId: null, labMs: 0, description: 'nothing pending' })),
    timeoutNode: vi.fn(async () => undefined),
    heldMessage: vi.fn(async () => undefined),
    listExercises: vi.fn(async () => []),
    getExercise: vi.fn(async (id: string) => { throw new Error(`no exercise ${id} in this test`); }),
    listDemos: vi.fn(async () => []),
    getDemo: vi.fn(async (id: string) => { throw new Error(`no demo ${id} in this test`); }),
    startExperiment: vi.fn(async () => idleExperimentState()),
    getExperiment: vi.fn(async () => idleExperimentState()),
    cancelExperiment: vi.fn(async () => idleExperimentState()),
    subscribe: vi.fn((listener: (events: readonly LabEvent[]) => void) => {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    }),
  };
  return { api: api as unknown as FakeLab['api'], emit: (events) => { for (const listener of listeners) listener(events); } };
}
