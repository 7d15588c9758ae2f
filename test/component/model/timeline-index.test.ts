import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/protocol/lab-api';
import type { LabEvent } from '../../../src/protocol/events';
import { LabHistory } from '../../../renderer/src/model/lab-history';
import { emptyModel } from '../../../renderer/src/model/model-state';
import { clientOpKey } from '../../../renderer/src/model/timeline-types';
import { EventStream, appendEntries, randomStream, requestVote } from './event-builders';

class EventStreamFrom extends EventStream {
  constructor(events: LabEvent[]) {
    super();
    this.events.push(...events);
  }
}

function historyOf(stream: EventStream): LabHistory {
  const history = new LabHistory(emptyModel(DEFAULT_SETTINGS, stream.events[0]?.atNs ?? 0));
  history.append(stream.events);
  return history;
}

describe('TimelineIndex', () => {
  it('draws a message from its send to its receive, and marks drops with their reason', () => {
    const stream = new EventStream().startCluster(3);
    const sent = stream.send('a', appendEntries(1, 2, 1));
    stream.wait(5);
    const received = stream.receive('a', appendEntries(1, 2, 1));
    stream.send('b', requestVote(1, 3, 1));
    stream.drop('b', requestVote(1, 3, 1), 3, 'link blocked (partition, receiving side)');
    stream.drop('c', requestVote(1, 2, 1), 1, 'link blocked (partition)');
    stream.send('d', appendEntries(1, 3, 1));
    const { arrows, total } = historyOf(stream).timeline.arrowsIn(0, Number.MAX_SAFE_INTEGER, 100);
    expect(total).toBe(4);
    expect(arrows.map((a) => [a.id, a.fate, a.fromNode, a.endNode, a.droppedAtSender])).toEqual([
      ['a', 'delivered', 1, 2, false], ['b', 'dropped', 1, 3, false], ['c', 'dropped', 1, 1, true], ['d', 'in-flight', 1, 3, false]]);
    expect(arrows[0]).toMatchObject({ sentAtNs: sent.atNs, endAtNs: received.atNs, sendSeq: sent.seq, endSeq: received.seq });
    expect(arrows[1]?.dropReason).toBe('link blocked (partition, receiving side)');
  });

  it('draws one arrow when the receive was merged before the send', () => {
    const stream = new EventStream();
    const received = stream.receive('a', appendEntries(1, 2, 1));
    const sent = stream.send('a', appendEntries(1, 2, 1));
    const { arrows } = historyOf(new EventStreamFrom([received, { ...sent, atNs: received.atNs - 1e6 }])).timeline
      .arrowsIn(0, Number.MAX_SAFE_INTEGER, 100);
    expect(arrows.map((a) => [a.id, a.fate, a.sentAtNs, a.endAtNs, a.fromNode])).toEqual([['a', 'delivered', received.atNs - 1e6, received.atNs, 1]]);
  });

  it('draws a duplicated delivery as a second arrow from the same send', () => {
    const stream = new EventStream();
    stream.send('a', appendEntries(1, 2, 1));
    stream.receive('a', appendEntries(1, 2, 1));
    stream.receive('a', appendEntries(1, 2, 1));
    const { arrows } = historyOf(stream).timeline.arrowsIn(0, Number.MAX_SAFE_INTEGER, 100);
    expect(arrows).toHaveLength(2);
    expect(arrows[0]?.sentAtNs).toBe(arrows[1]?.sentAtNs);
  });

  it('caps the arrows returned for a range, keeping the newest, and counts them all', () => {
    const stream = new EventStream();
    for (let i = 0; i < 50; i += 1) stream.send(`m${i}`, appendEntries(1, 2, 1));
    const { arrows, total } = historyOf(stream).timeline.arrowsIn(0, Number.MAX_SAFE_INTEGER, 10);
    expect(total).toBe(50);
    expect(arrows.map((a) => a.id)).toEqual(Array.from({ length: 10 }, (_, i) => `m${40 + i}`));
  });

  it('returns only what overlaps the visible range', () => {
    const stream = new EventStream();
    stream.send('early', appendEntries(1, 2, 1));
    stream.receive('early', appendEntries(1, 2, 1));
    stream.wait(1000);
    const from = stream.atNs;
    stream.send('long', appendEntries(1, 2, 1));
    stream.wait(100);
    stream.receive('long', appendEntries(1, 2, 1));
    stream.wait(1000);
    stream.send('late', appendEntries(1, 2, 1));
    const timeline = historyOf(stream).timeline;
    expect(timeline.arrowsIn(from + 50e6, from + 60e6, 10).arrows.map((a) => a.id)).toEqual(['long']);
  });

  it('splits lanes into role, term and status segments, and marks elections and faults', () => {
    const stream = new EventStream().startCluster(3, 1);
    stream.fault('crash', [1], 'crashed S1 (SIGKILL)');
    stream.status(1, 'crashed');
    stream.state(2, { role: 'candidate', term: 2 });
    stream.state(2, { role: 'leader', term: 2 });
    stream.raft(2, 'became-leader', 2);
    const timeline = historyOf(stream).timeline;
    expect(timeline.nodeIds).toEqual([1, 2, 3]);
    const lane1 = timeline.segmentsIn(1, 0, Number.MAX_SAFE_INTEGER).map((s) => `${s.role}/${s.term}/${s.status}`);
    expect(lane1).toEqual(['follower/0/starting', 'follower/0/running', 'candidate/1/running', 'leader/1/running', 'leader/1/crashed']);
    const lane2 = timeline.segmentsIn(2, 0, Number.MAX_SAFE_INTEGER).map((s) => `${s.role}/${s.term}`);
    expect(lane2.slice(-2)).toEqual(['candidate/2', 'leader/2']);
    const markers = timeline.markersIn(0, Number.MAX_SAFE_INTEGER).map((m) => [m.kind, m.nodes, m.label]);
    expect(markers).toEqual([['leader', [1], 'S1 became leader in term 1'], ['crash', [1], 'crashed S1 (SIGKILL)'],
      ['leader', [2], 'S2 became leader in term 2']]);
  });

  it('keys client operations like the checker history (client, call time)', () => {
    const stream = new EventStream();
    stream.add({ type: 'client-op', client: 3, op: 'cas', key: 'x', status: 'fail', value: '1', servedBy: 1, latencyMs: 2, callNs: 777 });
    const ops = historyOf(stream).timeline.clientOpsIn(0, Number.MAX_SAFE_INTEGER, 10);
    expect(ops.map((op) => [op.opKey, op.status])).toEqual([[clientOpKey(3, 777), 'fail']]);
  });

  it('forgets what the window trimmed', () => {
    const stream = randomStream(5, 4000, 3);
    const history = new LabHistory(emptyModel(DEFAULT_SETTINGS, 0), { maxEvents: 1000, checkpointEvery: 100 });
    history.append(stream.events);
    const { arrows } = history.timeline.arrowsIn(0, Number.MAX_SAFE_INTEGER, 100_000);
    expect(arrows.every((a) => a.sendSeq >= history.firstSeq)).toBe(true);
    expect(history.timeline.markersIn(0, Number.MAX_SAFE_INTEGER).every((m) => m.seq >= history.firstSeq)).toBe(true);
    expect(history.timeline.arrowCount).toBeLessThanOrEqual(1000);
  });
});
