// Where else a violation shows: a marker on the timeline at the moment it was detected (over the servers involved),
// a row in the event log whatever idea the log is filtered on, and a stale read in the client panel in red, not "ok".
import { describe, expect, it } from 'vitest';
import { TimelineIndex } from '../../../renderer/src/model/timeline-index';
import { emptyModel } from '../../../renderer/src/model/model-state';
import { eventMatcher, EVENT_TYPES, NO_FILTER } from '../../../renderer/src/components/events/event-filter';
import { EVENT_IDEAS } from '../../../renderer/src/components/events/event-ideas';
import { clientResultDetail, clientResultLook, clientResultText } from '../../../renderer/src/components/client/client-result';
import { INVARIANT_STATEMENTS } from '../../../src/check/invariants';
import { DEFAULT_SETTINGS } from '../../../src/protocol/lab-api';
import { EventStream } from '../model/event-builders';
import { eventSummary } from '../../../renderer/src/model/event-summary';

function violationEvent(stream: EventStream) {
  return stream.add({ type: 'violation', invariant: 'election-safety', statement: INVARIANT_STATEMENTS['election-safety'],
    nodes: [1, 3], terms: [2], indices: [], detail: 'S1 and S3 were both leader in term 2', bug: null });
}

describe('a violation on the timeline, in the event log and in the client panel', () => {
  it('is a timeline marker over the servers involved', () => {
    const stream = new EventStream().startCluster(3, 1);
    const violation = violationEvent(stream);
    const index = new TimelineIndex(emptyModel(DEFAULT_SETTINGS, 0).view);
    for (const event of stream.events) index.add(event, event.atNs);
    const markers = index.markersIn(0, Infinity).filter((marker) => marker.kind === 'violation');
    expect(markers).toEqual([expect.objectContaining({ seq: violation.seq, atNs: violation.atNs, nodes: [1, 3] })]);
    expect(markers[0]?.label).toContain('S1 and S3 were both leader in term 2');
  });

  it('is shown by the event log under every idea, and can be picked by type', () => {
    const violation = violationEvent(new EventStream());
    expect(EVENT_TYPES).toContain('violation');
    for (const idea of EVENT_IDEAS) expect(eventMatcher({ ...NO_FILTER, idea })(violation), idea).toBe(true);
    expect(eventMatcher({ ...NO_FILTER, type: 'violation' })(violation)).toBe(true);
  });

  it('a stale get says so in the event log', () => {
    const op = new EventStream().add({ type: 'client-op', client: 2, op: 'get', key: 'x', status: 'ok', value: '1', servedBy: 3,
      latencyMs: 2, callNs: 1, stale: true });
    expect(eventSummary(op)).toMatch(/get x = 1 → ok by S3 .* STALE/);
  });

  it('a get the monitor proved stale reads as stale, not ok', () => {
    const request = { op: 'get' as const, key: 'x' };
    const stale = { id: 1, request, callError: null, result: { status: 'ok' as const, value: '1', servedBy: 3, latencyMs: 2, error: null, index: 4, stale: true } };
    expect(clientResultLook(stale)).toBe('stale');
    expect(clientResultText(stale)).toBe('1 (stale)');
    expect(clientResultDetail(stale)).toMatch(/^stale: a write committed before this read was missed/);
    const fresh = { ...stale, result: { ...stale.result, stale: undefined } };
    expect(clientResultLook(fresh)).toBe('ok');
    expect(clientResultText(fresh)).toBe('1');
  });
});
