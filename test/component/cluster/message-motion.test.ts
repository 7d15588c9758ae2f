import { describe, expect, it } from 'vitest';
import { electionTimerFraction, messageSprites, motionTiming } from '../../../renderer/src/components/cluster/message-motion';
import { linkPairs } from '../../../renderer/src/components/cluster/link-cuts';
import { wrapText } from '../../../renderer/src/components/cluster/cluster-geometry';
import type { MessageView } from '../../../src/protocol/events';

const append: MessageView = { type: 'AppendEntries', from: 1, to: 2, term: 3, fields: { prevLogIndex: 4 }, entries: [{ index: 5, term: 3 }] };
const ack: MessageView = { type: 'AppendEntriesReply', from: 2, to: 1, term: 3, fields: { success: true, matchIndex: 5 } };

describe('message motion', () => {
  it('travel time grows with slow motion, so messages visibly cross in slow motion', () => {
    expect(motionTiming({ heartbeatMs: 50, timeScale: 100 }).travelNs).toBe(100 * motionTiming({ heartbeatMs: 50, timeScale: 1 }).travelNs);
  });

  it('positions a delivered message by elapsed over travel time and hides it once it has arrived', () => {
    const timing = { travelNs: 1000, dropLingerNs: 500 };
    const outcomes = [{ id: 'a', message: ack, sentAtNs: 0, endedAtNs: 10, fate: 'delivered' as const, dropReason: null }];
    expect(messageSprites({ inFlight: [], recentOutcomes: outcomes }, 250, timing)[0]).toMatchObject({ progress: 0.25, look: { verdict: 'granted', isReply: true, letter: 'A' } });
    expect(messageSprites({ inFlight: [], recentOutcomes: outcomes }, 1000, timing)).toEqual([]);
  });

  it('a message in flight waits near its destination until its fate is known', () => {
    const timing = { travelNs: 1000, dropLingerNs: 500 };
    const [sprite] = messageSprites({ inFlight: [{ id: 'f', message: append, sentAtNs: 0 }], recentOutcomes: [] }, 10_000, timing);
    expect(sprite).toMatchObject({ inFlight: true, progress: 0.9, look: { entryCount: 1 } });
  });

  it('a dropped message stops halfway and lingers, then disappears', () => {
    const timing = { travelNs: 1000, dropLingerNs: 500 };
    const view = { inFlight: [], recentOutcomes: [{ id: 'd', message: append, sentAtNs: 0, endedAtNs: 0, fate: 'dropped' as const, dropReason: 'loss' }] };
    expect(messageSprites(view, 800, timing)[0]).toMatchObject({ dropped: true, progress: 0.5 });
    expect(messageSprites(view, 1001, timing)).toEqual([]);
  });

  it('the election timer is the share of the longest timeout left, and none for a leader', () => {
    const settings = { electionTimeoutMs: [150, 300] as const, timeScale: 1 };
    expect(electionTimerFraction(150e6, 0, settings)).toBeCloseTo(0.5);
    expect(electionTimerFraction(null, 0, settings)).toBeNull();
    expect(electionTimerFraction(0, 10, settings)).toBe(0);
  });
});

describe('link states', () => {
  it('names cut, one-way and open pairs', () => {
    expect(linkPairs([1, 2, 3], [[1, 2], [2, 1], [3, 2]])).toEqual([
      { a: 1, b: 2, state: { kind: 'cut' } },
      { a: 1, b: 3, state: { kind: 'open' } },
      { a: 2, b: 3, state: { kind: 'one-way', from: 2, to: 3 } },
    ]);
  });
});

describe('wrapText', () => {
  it('wraps at spaces and ends a cut text with an ellipsis', () => {
    expect(wrapText('granted vote to 3 in term 4', 12, 3)).toEqual(['granted vote', 'to 3 in term', '4']);
    const lines = wrapText('a b c d e f g h i j k l m n o p', 5, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]?.endsWith('…')).toBe(true);
  });
});
