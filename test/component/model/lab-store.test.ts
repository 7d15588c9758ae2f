// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises } from '@vue/test-utils';
import { DEFAULT_SETTINGS } from '../../../src/protocol/lab-api';
import { useLabStore } from '../../../renderer/src/stores/lab-store';
import { applyEvents } from '../../../renderer/src/model/reducer';
import { emptyModel } from '../../../renderer/src/model/model-state';
import { EventStream, kvCommand, snapshotOf } from './event-builders';
import { fakeLabApi } from './fake-lab-api';

/** S1 leads term 1, crashes; S2 wins term 2. Returns the stream and the seq just before S1 crashed. */
function leaderChange(): { stream: EventStream; beforeCrashSeq: number } {
  const stream = new EventStream().startCluster(3, 1);
  const beforeCrashSeq = stream.events[stream.events.length - 1]!.seq;
  stream.fault('crash', [1], 'crashed S1');
  stream.status(1, 'crashed');
  stream.state(2, { role: 'candidate', term: 2, votedFor: 2 });
  stream.state(2, { role: 'leader', term: 2, votedFor: 2, leaderId: 2 });
  stream.raft(2, 'became-leader', 2);
  return { stream, beforeCrashSeq };
}

describe('lab store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('attach rebuilds the history from the recent events and applies later batches once per frame', async () => {
    const { stream } = leaderChange();
    const head = stream.events.slice(0, 10);
    const lab = fakeLabApi(snapshotOf({ phase: 'starting', nextSeq: 10 }), head);
    const store = useLabStore();
    await store.attach(lab.api);
    expect(store.view.seq).toBe(9);
    lab.emit(stream.events.slice(5, 20)); // overlaps what attach already has
    lab.emit(stream.events.slice(20));
    expect(store.view.seq).toBe(9); // not applied until the frame
    store.flushPending();
    expect(store.view).toEqual(applyEvents(emptyModel(DEFAULT_SETTINGS, 0), stream.events).view);
    expect(store.view.leaderId).toBe(2);
    expect(store.events).toHaveLength(stream.events.length);
    expect(store.timeRange.endNs).toBeGreaterThan(store.timeRange.startNs);
  });

  it('scrubbing back shows the old leader; Live returns to the new one', async () => {
    const { stream, beforeCrashSeq } = leaderChange();
    const store = useLabStore();
    await store.attach(fakeLabApi(snapshotOf({ nextSeq: stream.events.length }), stream.events).api);
    expect(store.view.leaderId).toBe(2);
    store.setCursor({ mode: 'at', seq: beforeCrashSeq });
    expect(store.view.leaderId).toBe(1);
    expect(store.view.nodes[1]?.status).toBe('running');
    expect(store.liveView.leaderId).toBe(2);
    store.setCursor({ mode: 'at', seq: -100 });
    expect(store.cursor).toEqual({ mode: 'at', seq: -1 });
    store.goLive();
    expect(store.view.leaderId).toBe(2);
  });

  it('a paused view stays frozen while events keep being recorded', async () => {
    const { stream } = leaderChange();
    const lab = fakeLabApi(snapshotOf(), []);
    const store = useLabStore();
    await store.attach(lab.api);
    lab.emit(stream.events.slice(0, 20));
    store.flushPending();
    store.toggleViewPaused();
    lab.emit(stream.events.slice(20));
    store.flushPending();
    expect(store.view.seq).toBe(19);
    expect(store.edgeSeq).toBe(19);
    expect(store.liveView.seq).toBe(stream.events.length - 1);
    store.toggleViewPaused();
    expect(store.view.seq).toBe(stream.events.length - 1);
  });

  it('starts from the snapshot and node details when the lab forgot the oldest events', async () => {
    const stream = new EventStream(1000);
    stream.state(1, { role: 'leader', term: 3, leaderId: 1, lastApplied: 2, commitIndex: 2, lastLogIndex: 2 });
    const node = { id: 1, status: 'running', pid: 5, peerEndpoint: null, role: 'leader', term: 3, votedFor: 1, leaderId: 1,
      commitIndex: 2, lastApplied: 2, lastLogIndex: 2 } as const;
    const log = [{ index: 1, term: 3, command: kvCommand('c', 1, 'put', 'x', { value: '1' }) }, { index: 2, term: 3, command: null }];
    const lab = fakeLabApi(snapshotOf({ phase: 'running', nodes: [node], nextSeq: 1001 }), stream.events,
      { 1: { node, log, progress: null, kv: { x: '1' } } });
    const store = useLabStore();
    await store.attach(lab.api);
    expect(store.firstSeq).toBe(999);
    expect(store.view.nodes[1]?.log).toEqual(log);
    expect(store.view.nodes[1]?.kv).toEqual({ x: '1' });
    expect(store.view.phase).toBe('running');
  });

  it('a bad session file throws naming the line and changes nothing', async () => {
    const { stream } = leaderChange();
    const store = useLabStore();
    await store.attach(fakeLabApi(snapshotOf(), stream.events).api);
    const before = store.view;
    const lines = store.saveSession().trimEnd().split('\n');
    lines[3] = '{"seq":"three"}';
    expect(() => store.loadSession(lines.join('\n'))).toThrow(/line 4/);
    expect(store.isReplay).toBe(false);
    expect(store.view).toBe(before);
  });

  it('saves a session, loads it and replays it without processes, then leaves the replay', async () => {
    const { stream, beforeCrashSeq } = leaderChange();
    stream.wait(50_000); // a long quiet stretch that replay skips
    stream.add({ type: 'error', node: null, message: 'the end' });
    const lab = fakeLabApi(snapshotOf(), stream.events);
    const store = useLabStore();
    await store.attach(lab.api);
    const text = store.saveSession();
    store.loadSession(text);
    expect(store.isReplay).toBe(true);
    expect(store.replayInfo?.eventCount).toBe(stream.events.length);
    expect(store.cursor).toEqual({ mode: 'at', seq: stream.events[0]?.seq }); // the first recorded event, not "-1"
    expect(store.view.nodes).toEqual({});
    // Live events keep being recorded but the recording is what is shown.
    const more = new EventStream(stream.events.length);
    more.add({ type: 'error', node: null, message: 'live meanwhile' });
    lab.emit(more.events);
    store.flushPending();
    expect(store.lastSeq).toBe(stream.events.length - 1);

    store.playReplay(1);
    expect(store.replayPlaying).toBe(true);
    store.advanceReplay(0.5); // 0.5 ms: the cluster has started by then
    expect(store.cursor.mode).toBe('at');
    const early = store.cursorSeq;
    expect(early).toBeGreaterThan(-1);
    for (let frame = 0; frame < 1000 && store.replayPlaying && store.cursorSeq <= beforeCrashSeq; frame += 1) store.advanceReplay(0.05);
    expect(store.cursorSeq).toBeGreaterThan(beforeCrashSeq);
    expect(store.view.nodes[1]).toBeDefined();
    for (let frame = 0; frame < 200 && store.replayPlaying; frame += 1) store.advanceReplay(16);
    expect(store.replayPlaying).toBe(false); // stopped at the end, well before 50 s of frames
    expect(store.cursorSeq).toBe(stream.events.length - 1);
    expect(store.view.recentErrors?.at(-1)?.message).toBe('the end');

    store.leaveReplay();
    expect(store.isReplay).toBe(false);
    expect(store.cursor).toEqual({ mode: 'live' });
    expect(store.view.recentErrors?.at(-1)?.message).toBe('live meanwhile');
  });

  it('after the link to the lab was lost and came back, starts again from the lab\'s snapshot', async () => {
    const { stream } = leaderChange();
    const lab = fakeLabApi(snapshotOf(), stream.events.slice(0, 5));
    const store = useLabStore();
    await store.attach(lab.api);
    expect(store.lastSeq).toBe(4);
    const recovered = fakeLabApi(snapshotOf(), stream.events);
    Object.assign(lab.api, { getRecentEvents: recovered.api.getRecentEvents });
    store.linkState = 'closed';
    await flushPromises();
    store.linkState = 'connecting';
    await flushPromises();
    store.linkState = 'open';
    await flushPromises();
    expect(store.lastSeq).toBe(stream.events.length - 1);
    expect(lab.listenerCount()).toBe(1);
  });

  it('keeps the selection and highlighted operations', () => {
    const store = useLabStore();
    store.selectMessage('m1');
    store.setHighlightedOpKeys(['1:5']);
    expect(store.selectedMessageId).toBe('m1');
    expect(store.highlightedOpKeys).toEqual(['1:5']);
  });
});
