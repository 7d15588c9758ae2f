// @vitest-environment happy-dom
// The safety banner: nothing while every property holds; the first violation with its property, servers, terms and
// indices, the checker's sentence and (bugs on) the planted bug behind it; later ones listed under it; "show moment"
// moves the cursor to the violation.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { mount } from '@vue/test-utils';
import { useUiStore } from '../../../renderer/src/stores/ui-store';
import SafetyBanner from '../../../renderer/src/components/safety/SafetyBanner.vue';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { INVARIANT_STATEMENTS } from '../../../src/check/invariants';
import { DEFAULT_SETTINGS } from '../../../src/protocol/lab-api';
import type { BugName } from '../../../src/raft/types';
import { EventStream, snapshotOf } from '../model/event-builders';
import { fakeLabApi } from '../model/fake-lab-api';

function cluster(bugs: BugName[]): EventStream {
  const stream = new EventStream();
  const settings = { ...DEFAULT_SETTINGS, electionTimeoutMs: [150, 300] as [number, number], networkDelayMs: [0, 0] as [number, number], bugs };
  stream.add({ type: 'cluster-phase', phase: 'starting', settings });
  stream.add({ type: 'cluster-phase', phase: 'running' });
  return stream;
}

function violate(stream: EventStream, invariant: 'one-vote-per-term' | 'election-safety', bug: BugName | null): void {
  stream.add({ type: 'violation', invariant, statement: INVARIANT_STATEMENTS[invariant], nodes: [1, 2, 3], terms: [4],
    indices: invariant === 'election-safety' ? [7] : [], detail: `${invariant} broke here`, bug });
}

async function mounted(stream: EventStream): Promise<ReturnType<typeof mount>> {
  const lab = fakeLabApi(snapshotOf({ nextSeq: stream.events.length }), stream.events);
  await useLabStore().attach(lab.api);
  return mount(SafetyBanner);
}

describe('SafetyBanner', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('shows nothing while no property broke', async () => {
    const banner = await mounted(cluster([]));
    expect(banner.find('[data-testid="safety-violation"]').exists()).toBe(false);
  });

  it('shows the first violation with its servers, terms, indices, sentence and, to an instructor, the planted bug that explains it', async () => {
    const stream = cluster(['double-vote']);
    violate(stream, 'one-vote-per-term', 'double-vote');
    violate(stream, 'election-safety', 'double-vote');
    const sealed = await mounted(stream);
    // A student (instructor mode off, the default) sees the violation, never the sealed bug.
    expect(sealed.get('[data-testid="safety-violation"]').attributes('data-invariant')).toBe('one-vote-per-term');
    expect(sealed.find('[data-testid="safety-violation-bug"]').exists()).toBe(false);
    expect(sealed.text()).not.toContain('double-vote');
    sealed.unmount();
    setActivePinia(createPinia());
    useUiStore().setInstructorMode(true);
    const banner = await mounted(stream);
    const shown = banner.get('[data-testid="safety-violation"]');
    expect(shown.attributes('data-invariant')).toBe('one-vote-per-term');
    expect(shown.get('.title').text()).toBe('One vote per term');
    expect(shown.text()).toContain('A server votes for at most one candidate in a given term');
    expect(banner.get('[data-testid="safety-violation-scope"]').text()).toBe('servers S1, S2, S3 · term 4');
    expect(shown.text()).toContain('one-vote-per-term broke here');
    expect(banner.get('[data-testid="safety-violation-bug"]').text()).toContain('double-vote — A follower votes again in a term');
    const more = banner.findAll('[data-testid="safety-violation-more"]');
    expect(more.map((item) => item.attributes('data-invariant'))).toEqual(['election-safety']);
    expect(more[0]?.text()).toContain('index 7');
  });

  it('names no bug when none was switched on, and "show moment" moves the cursor to the violation', async () => {
    const stream = cluster([]);
    violate(stream, 'election-safety', null);
    const banner = await mounted(stream);
    expect(banner.get('[data-testid="safety-violation"]').attributes('data-invariant')).toBe('election-safety');
    expect(banner.find('[data-testid="safety-violation-bug"]').exists()).toBe(false);
    await banner.get('[data-testid="safety-violation-show"]').trigger('click');
    expect(useLabStore().cursor).toEqual({ mode: 'at', seq: stream.events.length - 1 });
  });
});
