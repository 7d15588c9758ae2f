// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ClusterView from '../../../renderer/src/components/cluster/ClusterView.vue';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { EventStream, snapshotOf } from '../model/event-builders';
import { fakeLabApi } from '../model/fake-lab-api';
import { RULES, commit, election, heartbeatRound } from '../model/raft-story';

async function mountCluster(stream: EventStream) {
  const store = useLabStore();
  const lab = fakeLabApi(snapshotOf(), stream.events);
  await store.attach(lab.api);
  const wrapper = mount(ClusterView, { attachTo: document.body });
  await flushPromises();
  return { wrapper, store, lab };
}

const captions = (wrapper: VueWrapper): string[] => wrapper.findAll('[data-testid="caption"]').map((item) => item.text());

describe('CaptionStrip under the cluster', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('tells the last significant events as sentences with their rule', async () => {
    const stream = new EventStream().startCluster(5, 1);
    election(stream, 3, 2);
    const { wrapper } = await mountCluster(stream);
    const strip = wrapper.get('[data-testid="caption-strip"]');
    const texts = captions(wrapper);
    expect(texts.length).toBeGreaterThanOrEqual(3);
    expect(texts.length).toBeLessThanOrEqual(4);
    expect(strip.text()).toContain("S3's election timer expired → candidate in term 2, votes for itself");
    expect(strip.text()).toContain(`(${RULES.candidateStart})`);
    expect(texts[texts.length - 1]).toContain('S3 wins the election of term 2');
    wrapper.unmount();
  });

  it('heartbeats that change nothing leave the captions as they were; a commit adds one', async () => {
    const stream = new EventStream().startCluster(5, 1);
    election(stream, 3, 2);
    const { wrapper, store, lab } = await mountCluster(stream);
    const before = captions(wrapper);
    const more = new EventStream(store.lastSeq + 1, store.history.endNs + 1e6);
    for (let round = 0; round < 20; round += 1) heartbeatRound(more, 3, 2, 5, round);
    lab.emit(more.events);
    store.flushPending();
    await flushPromises();
    expect(captions(wrapper)).toEqual(before);
    const commits = new EventStream(store.lastSeq + 1, store.history.endNs + 1e6);
    commit(commits, 3, 2, 1);
    lab.emit(commits.events);
    store.flushPending();
    await flushPromises();
    expect(captions(wrapper).join('\n')).toContain('Leader S3 commits entry 1');
    wrapper.unmount();
  });

  it('scrubbing back shows the captions of that moment', async () => {
    const stream = new EventStream().startCluster(5, 1);
    election(stream, 3, 2);
    const beforeSecond = stream.events[stream.events.length - 1]!.seq;
    election(stream, 4, 3);
    const { wrapper, store } = await mountCluster(stream);
    expect(captions(wrapper).join('\n')).toContain('S4 wins the election of term 3');
    store.setCursor({ mode: 'at', seq: beforeSecond });
    await flushPromises();
    const then = captions(wrapper).join('\n');
    expect(then).toContain('S3 wins the election of term 2');
    expect(then).not.toContain('term 3');
    wrapper.unmount();
  });

  it('under each server: a short line of its last significant event; the inspector lists its reasons in full', async () => {
    const stream = new EventStream().startCluster(5, 1);
    election(stream, 3, 2);
    heartbeatRound(stream, 3, 2);
    const { wrapper } = await mountCluster(stream);
    const s2 = wrapper.get('[data-testid="node-2"]');
    expect(s2.find('.reason').text()).toBe('voted for S3');
    expect(wrapper.get('[data-testid="node-3"]').find('.reason').text()).toBe('appended no-op entry 1');
    await s2.trigger('click');
    const reasons = wrapper.get('[data-testid="inspector-reasons"]');
    const items = reasons.findAll('li').map((item) => item.text());
    // The latest event (a heartbeat) first, then the significant ones, each with its rule, numbers rounded.
    expect(items[0]).toContain('heartbeat accepted');
    expect(items[1]).toContain('granted vote to S3 in term 2');
    expect(items[1]).toContain(RULES.voteReceiver2);
    expect(items[2]).toContain('RequestVote from S3 carries term 2');
    wrapper.unmount();
  });
});
