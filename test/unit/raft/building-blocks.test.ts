// The small pieces: the log, majority arithmetic, the PRNG and the bounds on buffered outputs.

import { describe, expect, it } from 'vitest';
import { MAX_UNCOMMITTED_ENTRIES, createRaftNode } from '../../../src/raft';
import { majorityValue, quorumSize } from '../../../src/raft/quorum';
import { createRandom } from '../../../src/raft/random';
import { RaftLog } from '../../../src/raft/raft-log';
import { MAX_PENDING_MESSAGES } from '../../../src/raft/state';
import { logOfTerms, nodeConfig } from './cluster';
import { drain, entry, makeLeader } from './messages';

describe('RaftLog', () => {
  it('keeps terms non-decreasing and indexes contiguous (asserted on every append)', () => {
    const log = new RaftLog(logOfTerms([1, 1, 2]));
    expect(() => log.append(entry(5, 2))).toThrow(/append of index 5/);
    expect(() => log.append(entry(4, 1))).toThrow(/term 1 < previous term 2/);
    log.append(entry(4, 3));
    expect(log.lastIndex()).toBe(4);
  });

  it('finds the first index of a term and the last index of a term by binary search', () => {
    const log = new RaftLog(logOfTerms([1, 1, 1, 4, 4, 5, 5, 6, 6, 6]));
    expect(log.firstIndexWithTermAtLeast(4)).toBe(4);
    expect(log.firstIndexWithTermAtLeast(2)).toBe(4);
    expect(log.firstIndexWithTermAtLeast(7)).toBe(11);
    expect(log.lastIndexOfTerm(5)).toBe(7);
    expect(log.lastIndexOfTerm(6)).toBe(10);
    expect(log.lastIndexOfTerm(2)).toBe(0);
  });

  it('reports the written suffix once, from the lowest index written', () => {
    const log = new RaftLog(logOfTerms([1, 1, 1]));
    expect(log.takeUnstable()).toEqual([]);
    log.append(entry(4, 1));
    log.truncateFrom(2);
    log.append(entry(2, 2));
    expect(log.takeUnstable()).toEqual([entry(2, 2)]);
    expect(log.takeUnstable()).toEqual([]);
  });

  it('view() is a snapshot that later writes do not change', () => {
    const log = new RaftLog(logOfTerms([1]));
    const view = log.view();
    log.append(entry(2, 1));
    expect(view).toHaveLength(1);
    expect(log.view()).toHaveLength(2);
  });
});

describe('quorum', () => {
  it('a majority of n is floor(n/2)+1, and majorityValue is the highest value a majority reaches', () => {
    expect([1, 2, 3, 4, 5].map(quorumSize)).toEqual([1, 2, 2, 3, 3]);
    expect(majorityValue([5, 1, 3])).toBe(3);
    expect(majorityValue([5, 5, 1, 1])).toBe(1);
    expect(majorityValue([9, 8, 7, 0, 0])).toBe(7);
  });
});

describe('random', () => {
  it('is deterministic per seed and stays within [min, max)', () => {
    const a = createRandom(7, 1);
    const b = createRandom(7, 1);
    for (let i = 0; i < 1000; i++) {
      const value = a.intInRange(150, 300);
      expect(value).toBe(b.intInRange(150, 300));
      expect(value >= 150 && value < 300).toBe(true);
    }
  });
});

describe('bounded outputs', () => {
  it('A leader refuses proposals beyond MAX_UNCOMMITTED_ENTRIES uncommitted entries', () => {
    const node = makeLeader();
    for (let i = 0; i < MAX_UNCOMMITTED_ENTRIES - 1; i++) node.propose(`p${i}`);
    drain(node);
    expect(node.propose('one too many')).toEqual({ ok: false, leaderHint: 1 });
  });

  it('Messages beyond MAX_PENDING_MESSAGES between two ready() calls are dropped, with one event', () => {
    const node = makeLeader(null, { members: [1, 2, 3, 4, 5] });
    drain(node);
    for (let t = 1; t <= MAX_PENDING_MESSAGES / 4 + 10; t++) node.tick(100 + t * 20);
    const ready = node.ready();
    expect(ready.messages).toHaveLength(MAX_PENDING_MESSAGES);
    expect(ready.events.filter((e) => e.kind === 'message-ignored' && e.reason.includes('buffer full'))).toHaveLength(1);
  });

  it('Invalid configurations are refused at construction', () => {
    const base = nodeConfig(1, [1, 2, 3]);
    expect(() => createRaftNode({ ...base, id: 4 }, null, 0)).toThrow(/not among members/);
    expect(() => createRaftNode({ ...base, electionTimeoutMs: [300, 299] }, null, 0)).toThrow(/max >= min/);
    expect(() => createRaftNode({ ...base, maxEntriesPerMessage: 0 }, null, 0)).toThrow(/maxEntriesPerMessage/);
    expect(() => createRaftNode(base, { hardState: { term: 1, votedFor: null }, entries: logOfTerms([2]) }, 0)).toThrow(/beyond persisted term/);
  });
});
