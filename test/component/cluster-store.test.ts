// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { mount } from '@vue/test-utils';
import { useClusterStore } from '../../renderer/src/stores/cluster-store';
import NodeCard from '../../renderer/src/components/cluster/NodeCard.vue';
import { DEFAULT_SETTINGS, type LabApi, type LabSnapshot } from '../../src/protocol/lab-api';
import type { LabEvent } from '../../src/protocol/events';

function fakeApi(snapshot: LabSnapshot): { api: LabApi; emit: (events: LabEvent[]) => void } {
  let listener: ((events: readonly LabEvent[]) => void) | null = null;
  return {
    api: {
      getSnapshot: async () => snapshot,
      startCluster: async () => snapshot,
      stopCluster: async () => snapshot,
      subscribe: (next) => { listener = next; return () => { listener = null; }; },
    },
    emit: (events) => listener?.(events),
  };
}

const node = { id: 1, status: 'running', pid: 10, peerEndpoint: null, role: 'follower', term: 1, votedFor: null,
  leaderId: null, commitIndex: 0, lastApplied: 0, lastLogIndex: 0 } as const;

describe('cluster store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('ignores events the snapshot already reflects, so a stopped node is not resurrected', async () => {
    const store = useClusterStore();
    const { api, emit } = fakeApi({ phase: 'stopped', settings: DEFAULT_SETTINGS, nodes: [], atNs: 0, nextSeq: 5 });
    await store.attach(api);
    emit([{ seq: 4, atNs: 1, type: 'node-status', node: 1, status: 'stopped', pid: null, reason: 'late' }]);
    expect(store.nodeList).toEqual([]);
    emit([{ seq: 5, atNs: 2, type: 'node-status', node: 2, status: 'starting', pid: 7, reason: 'spawned' }]);
    expect(store.nodeList.map((n) => n.id)).toEqual([2]);
  });

  it('applies node state and reports errors', async () => {
    const store = useClusterStore();
    const { api, emit } = fakeApi({ phase: 'running', settings: DEFAULT_SETTINGS, nodes: [node], atNs: 0, nextSeq: 0 });
    await store.attach(api);
    emit([
      { seq: 0, atNs: 1, type: 'node-state', node: 1, state: { role: 'leader', term: 3, votedFor: 1, leaderId: 1, commitIndex: 2, lastApplied: 2, lastLogIndex: 2 } },
      { seq: 1, atNs: 2, type: 'error', node: 1, message: 'S1 failed' },
    ]);
    expect(store.leader?.id).toBe(1);
    expect(store.leader?.term).toBe(3);
    expect(store.errors).toEqual(['S1 failed']);
  });
});

describe('NodeCard', () => {
  it('exposes role, status and term to tests and assistive tech, with text as well as colour', () => {
    const wrapper = mount(NodeCard, { props: { node: { ...node, role: 'candidate', status: 'paused', term: 4 } } });
    const card = wrapper.get('[data-testid="node-1"]');
    expect(card.attributes('data-role')).toBe('candidate');
    expect(card.attributes('data-status')).toBe('paused');
    expect(card.attributes('data-term')).toBe('4');
    expect(card.text()).toContain('Candidate');
    expect(card.text()).toContain('paused');
  });
});
