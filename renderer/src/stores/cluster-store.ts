// The cluster as the UI sees it: the lab's snapshot, kept current by the event stream.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ClusterPhase, ClusterSettings, LabApi, NodeView } from '../../../src/protocol/lab-api';
import { DEFAULT_SETTINGS } from '../../../src/protocol/lab-api';
import type { LabEvent } from '../../../src/protocol/events';

const MAX_ERRORS = 20;

export const useClusterStore = defineStore('cluster', () => {
  const api = shallowRef<LabApi | null>(null);
  const phase = ref<ClusterPhase>('stopped');
  const settings = ref<ClusterSettings>(DEFAULT_SETTINGS);
  const nodes = ref<Record<number, NodeView>>({});
  const errors = ref<string[]>([]);
  const busy = ref(false);
  const linkState = ref<'connecting' | 'open' | 'closed'>('connecting');
  // Events before this seq are already in the last snapshot: applying them again would resurrect stopped nodes.
  let appliedBeforeSeq = 0;

  const nodeList = computed(() => Object.values(nodes.value).sort((a, b) => a.id - b.id));
  const leader = computed(() => nodeList.value.find((node) => node.role === 'leader' && node.status === 'running') ?? null);

  async function attach(labApi: LabApi): Promise<void> {
    api.value = labApi;
    labApi.subscribe((events) => applyEvents(events));
    await refresh();
  }

  async function refresh(): Promise<void> {
    if (!api.value) return;
    const snapshot = await api.value.getSnapshot();
    phase.value = snapshot.phase;
    settings.value = snapshot.settings;
    nodes.value = Object.fromEntries(snapshot.nodes.map((node) => [node.id, node]));
    appliedBeforeSeq = Math.max(appliedBeforeSeq, snapshot.nextSeq);
  }

  async function run(action: (labApi: LabApi) => Promise<unknown>): Promise<void> {
    if (!api.value) return;
    busy.value = true;
    try {
      await action(api.value);
      await refresh();
    } catch (error) {
      reportError((error as Error).message);
    } finally {
      busy.value = false;
    }
  }

  const startCluster = (nodeCount: number): Promise<void> => run((labApi) => labApi.startCluster({ nodeCount }));
  const stopCluster = (): Promise<void> => run((labApi) => labApi.stopCluster());

  function applyEvents(events: readonly LabEvent[]): void {
    for (const event of events) applyEvent(event);
  }

  function applyEvent(event: LabEvent): void {
    if (event.seq < appliedBeforeSeq) return;
    appliedBeforeSeq = event.seq + 1;
    switch (event.type) {
      case 'cluster-phase':
        phase.value = event.phase;
        if (event.phase === 'starting' || event.phase === 'stopped') nodes.value = {};
        break;
      case 'node-status':
        patchNode(event.node, { status: event.status, pid: event.pid });
        break;
      case 'node-alive':
        patchNode(event.node, { pid: event.pid, peerEndpoint: event.peerEndpoint });
        break;
      case 'node-state':
        patchNode(event.node, { ...event.state });
        break;
      case 'error':
        reportError(event.message);
        break;
      case 'raft':
        break;
    }
  }

  function patchNode(id: number, patch: Partial<NodeView>): void {
    const current = nodes.value[id] ?? { id, status: 'starting', pid: null, peerEndpoint: null, role: 'follower', term: 0,
      votedFor: null, leaderId: null, commitIndex: 0, lastApplied: 0, lastLogIndex: 0 };
    nodes.value[id] = { ...current, ...patch };
  }

  function reportError(message: string): void {
    errors.value = [...errors.value, message].slice(-MAX_ERRORS);
  }

  function dismissError(index: number): void {
    errors.value = errors.value.filter((_, i) => i !== index);
  }

  return { phase, settings, nodes, nodeList, leader, errors, busy, linkState, attach, refresh, startCluster, stopCluster,
    applyEvents, dismissError, reportError };
});
