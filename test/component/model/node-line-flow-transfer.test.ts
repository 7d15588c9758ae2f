// The line under a server for the flow-control and leadership-transfer events: a few words each, never the raw kind.
import { describe, expect, it } from 'vitest';
import { raftLine } from '../../../renderer/src/model/node-line';
import { storyTopic } from '../../../renderer/src/model/significance';
import type { RaftEventView } from '../../../src/protocol/events';

const event = (kind: RaftEventView['kind'], data: RaftEventView['data']): RaftEventView =>
  ({ kind, node: 1, term: 2, rule: 'r', reason: 'why', data });

describe('node lines', () => {
  it('say how a follower\'s flow control changed', () => {
    expect(raftLine(event('progress-changed', { peer: 3, from: 'replicate', to: 'probe' }))).toBe('S3: replicate → probe');
  });

  it('tell each phase of a leadership transfer, which is a story event of leadership', () => {
    expect(['started', 'timeout-now-sent', 'aborted', 'refused'].map((phase) => raftLine(event('leadership-transfer', { phase, target: 2 }))))
      .toEqual(['handing leadership to S2', 'told S2: time out now', 'transfer to S2 abandoned', 'no transfer to S2']);
    for (const line of ['handing leadership to S2', 'told S2: time out now', 'transfer to S2 abandoned']) expect(line.length).toBeLessThanOrEqual(30);
    expect(storyTopic({ type: 'raft', seq: 1, atNs: 0, node: 1, event: event('leadership-transfer', { phase: 'started', target: 2 }) })).toBe('leader');
  });
});
