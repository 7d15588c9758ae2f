// The lab's safety monitor on hand-made event streams: a correct cluster's stream, merged out of causal order, with a
// restart, a compaction and reads, raises nothing; each breach raises exactly its invariant, once; what the real
// stream cannot prove (a vote a crash may have lost, a report still in flight) raises nothing.
import { describe, expect, it } from 'vitest';
import { encodeKvCommand } from '../../../../src/kv/command';
import type { ClientResult } from '../../../../src/protocol/lab-api';
import { StreamScript } from './stream-script';

/** Leader S1 of term 1 with S2 and S3 holding and committing entries 1..3 (a no-op and two commands). */
function replicated(script = new StreamScript()): StreamScript {
  script.start(3).elect(1, 1, [2, 3], 0);
  for (const node of [1, 2, 3]) script.write(node, 1, [1, 1, 1]);
  script.state(1, { role: 'leader', term: 1, commit: 3, last: 3 });
  for (const node of [2, 3]) script.state(node, { term: 1, votedFor: 1, commit: 3, last: 3 });
  return script;
}

function readResult(value: string | null, servedBy: number, index: number): ClientResult {
  return { status: 'ok', value, servedBy, latencyMs: 1, error: null, index };
}

describe('safety monitor: a correct cluster raises nothing', () => {
  it('election, replication, commit and apply, a restart from disk and a compaction', () => {
    const s = replicated();
    s.crashed(3).alive(3).write(3, 1, [1, 1, 1]).state(3, { term: 1, votedFor: 1, last: 3 });
    s.write(1, 4, [1]).write(2, 4, [1]).state(1, { role: 'leader', term: 1, commit: 4, last: 4, snapshotIndex: 3, snapshotTerm: 1 });
    s.state(2, { term: 1, commit: 4, last: 4 }).write(3, 4, [1]).state(3, { term: 1, commit: 4, last: 4 });
    // A new leader of term 2 holds everything committed; S1 truncates nothing it committed.
    s.elect(2, 2, [3], 4).write(2, 5, [2]).write(3, 5, [2]).state(2, { role: 'leader', term: 2, commit: 5, last: 5 });
    s.state(1, { term: 2, commit: 4, last: 4, snapshotIndex: 3, snapshotTerm: 1 }).write(1, 5, [2]).state(1, { term: 2, commit: 5, last: 5, snapshotIndex: 3, snapshotTerm: 1 });
    expect(s.published).toEqual([]);
    // Still watching every node (none was given up on): a breach by the restarted one is caught.
    s.write(3, 5, [1]).state(3, { term: 2, commit: 5, last: 5 });
    expect(s.invariants).toEqual(['state-machine-safety']);
  });

  it('merged out of order: the leader\'s commit arrives before the followers\' writes that made it', () => {
    const s = new StreamScript().start(3).elect(1, 1, [2], 0);
    const followerWrite = s.writeEvent(2, 1, [1, 1]);
    const followerState = s.stateEvent(2, { term: 1, votedFor: 1, last: 2 });
    s.write(1, 1, [1, 1]);
    s.state(1, { role: 'leader', term: 1, commit: 2, last: 2 });
    // S3 reports (newer than the commit) without the entries: S2 has not been heard since, so it may hold them.
    s.state(3, { term: 1, votedFor: 1 });
    expect(s.published).toEqual([]);
    s.deliver(followerWrite, followerState);
    s.state(2, { term: 1, votedFor: 1, commit: 2, last: 2 });
    expect(s.published).toEqual([]);
  });

  it('a vote a crash may have lost before it was durable is no breach; a later process votes again', () => {
    const s = new StreamScript().start(3);
    s.state(3, { term: 2, votedFor: 2 }).vote(3, 2, 2, false); // S2 never counted it: it may not have been sent
    s.crashed(3).alive(3).state(3, { term: 1 });
    s.vote(3, 1, 2);
    expect(s.published).toEqual([]);
  });

  it('a follower that installs a snapshot and a read at the right index', () => {
    const s = replicated();
    s.crashed(3);
    s.write(1, 4, [1, 1]).write(2, 4, [1, 1]).state(1, { role: 'leader', term: 1, commit: 5, last: 5, snapshotIndex: 5, snapshotTerm: 1 });
    s.state(2, { term: 1, commit: 5, last: 5 });
    s.alive(3).write(3, 1, [1, 1, 1]).state(3, { term: 1, votedFor: 1, last: 3, commit: 0 });
    s.state(3, { term: 1, votedFor: 1, last: 5, commit: 5, applied: 5, snapshotIndex: 5, snapshotTerm: 1 });
    expect(s.monitor.clientOpCompleted('get', 'k', s.now, readResult(null, 1, 5), s.tick())).toBe(false);
    expect(s.published).toEqual([]);
    s.state(3, { role: 'leader', term: 1, commit: 5, last: 5, snapshotIndex: 5, snapshotTerm: 1 });
    expect(s.invariants).toEqual(['election-safety']);
  });

  it('a lagging follower reports an install before it is durable: its capped commit index is below the snapshot', () => {
    const s = replicated();
    s.write(1, 4, [1, 1, 1]).write(2, 4, [1, 1, 1]).state(2, { term: 1, commit: 6, last: 6 });
    s.state(1, { role: 'leader', term: 1, commit: 6, last: 6, snapshotIndex: 5, snapshotTerm: 1 });
    // S3's durable log still ends at 3 while the snapshot through 5 is being written: commit and applied show 3.
    s.state(3, { term: 1, votedFor: 1, commit: 3, applied: 3, last: 5, snapshotIndex: 5, snapshotTerm: 1 });
    s.write(3, 6, [1]).state(3, { term: 1, votedFor: 1, commit: 6, applied: 6, last: 6, snapshotIndex: 5, snapshotTerm: 1 });
    expect(s.published).toEqual([]);
    s.write(3, 7, [2]).state(3, { term: 2, commit: 7, last: 7, snapshotIndex: 5, snapshotTerm: 1 });
    s.write(2, 7, [1]).state(2, { term: 2, commit: 7, last: 7 });
    expect(s.invariants).toEqual(['state-machine-safety']); // still watched
  });
});

describe('safety monitor: installs placed among the writes', () => {
  it('one report after an install, the writes that followed it and a compaction (quiet nodes report seldom)', () => {
    const s = replicated(new StreamScript('quiet'));
    s.write(1, 4, [1, 1, 1, 1, 1]).write(2, 4, [1, 1, 1, 1, 1]).state(2, { term: 1, commit: 8, last: 8 });
    s.state(1, { role: 'leader', term: 1, commit: 8, last: 8, snapshotIndex: 5, snapshotTerm: 1 });
    // S3 (log 1..3) installed the snapshot through 5, then wrote 6..8, then compacted through 7: one report.
    s.emit({ type: 'log-terms', node: 3, from: 6, last: 8, runs: [[6, 1]] });
    s.state(3, { term: 1, votedFor: 1, commit: 8, applied: 8, last: 8, snapshotIndex: 7, snapshotTerm: 1 });
    expect(s.published).toEqual([]);
    s.emit({ type: 'log-terms', node: 3, from: 9, last: 9, runs: [[9, 2]] }).state(3, { term: 2, commit: 9, last: 9, snapshotIndex: 7, snapshotTerm: 1 });
    s.emit({ type: 'log-terms', node: 2, from: 9, last: 9, runs: [[9, 1]] }).state(2, { term: 2, commit: 9, last: 9 });
    expect(s.invariants).toEqual(['state-machine-safety']); // S3 is still watched
  });
});

describe('safety monitor: each breach raises exactly its invariant, once', () => {
  it('election-safety: two leaders in one term (twice: one event)', () => {
    const s = new StreamScript().start(3, { bugs: ['double-vote'] });
    s.state(1, { role: 'leader', term: 1 }).state(2, { role: 'leader', term: 1 }).state(3, { role: 'leader', term: 1 });
    expect(s.invariants).toEqual(['election-safety']);
    const [violation] = s.violations;
    expect(violation).toMatchObject({ nodes: [1, 2], terms: [1], bug: 'double-vote' });
    expect(violation?.statement).toMatch(/^Election Safety/);
  });

  it('one-vote-per-term: one process grants two votes in a term', () => {
    const s = new StreamScript().start(3);
    s.state(3, { term: 2 }).vote(3, 1, 2, false).vote(3, 2, 2, false);
    expect(s.invariants).toEqual(['one-vote-per-term']);
    expect(s.violations[0]).toMatchObject({ nodes: [1, 2, 3], terms: [2], bug: null });
  });

  it('one-vote-per-term: a restarted process votes again after its first vote was counted', () => {
    const s = new StreamScript().start(3, { bugs: ['vote-not-persisted'] });
    s.state(3, { term: 2, votedFor: 1 }).vote(3, 1, 2);
    s.crashed(3).alive(3).state(3, { term: 2 }).vote(3, 2, 2);
    expect(s.invariants).toEqual(['one-vote-per-term']);
    expect(s.violations[0]?.bug).toBe('vote-not-persisted');
  });

  it('log-matching: two logs hold (index 2, term 1) after different entries', () => {
    const s = new StreamScript().start(3);
    s.write(1, 1, [1, 1]).state(1, { term: 1, last: 2 });
    s.emit({ type: 'log-write', node: 2, entries: [{ index: 1, term: 1, command: 'other' }, { index: 2, term: 1, command: 'c2@1' }] });
    s.state(2, { term: 1, last: 2 });
    expect(s.invariants).toEqual(['log-matching']);
    expect(s.violations[0]?.indices).toContain(1);
  });

  it('leader-completeness: the leader of term 2 lacks an entry committed in term 1', () => {
    const s = new StreamScript().start(3);
    s.write(1, 1, [1, 1]).write(2, 1, [1, 1]).state(2, { term: 1, last: 2 }).state(1, { role: 'leader', term: 1, commit: 2, last: 2 });
    s.state(3, { role: 'leader', term: 2 });
    expect(s.invariants).toEqual(['leader-completeness']);
    expect(s.violations[0]).toMatchObject({ nodes: expect.arrayContaining([3]) as unknown, terms: [1, 2], indices: [1] });
  });

  it('state-machine-safety: a server commits a different entry where another was committed', () => {
    const s = new StreamScript().start(3);
    s.write(1, 1, [1]).write(2, 1, [1]).state(2, { term: 1, last: 1 }).state(1, { role: 'leader', term: 1, commit: 1, last: 1 });
    s.write(3, 1, [2]).state(3, { term: 2, commit: 1, last: 1 });
    expect(s.invariants).toEqual(['state-machine-safety']);
  });

  it('committed-entry-lost: followers report after the commit, without the entries (acknowledged before they were durable)', () => {
    const s = new StreamScript().start(3, { bugs: ['ack-before-persist'] });
    s.write(1, 1, [1, 1]).state(1, { role: 'leader', term: 1, commit: 2, last: 2 });
    s.state(2, { term: 1, votedFor: 1 });
    expect(s.published).toEqual([]); // S3 has not reported since: it may hold them
    s.state(3, { term: 1, votedFor: 1 });
    expect(s.invariants).toEqual(['committed-entry-lost']);
    expect(s.violations[0]?.bug).toBe('ack-before-persist');
  });

  it('stale-read: a read answered at an index below what was committed when it was called; its value is stale', () => {
    const s = new StreamScript().start(3, { bugs: ['stale-leader-reads'] });
    const put = (index: number, value: string): { index: number; term: number; command: string } =>
      ({ index, term: 1, command: encodeKvCommand({ clientId: 'c', seq: index, op: 'put', key: 'k', value }) });
    for (const node of [1, 2]) s.emit({ type: 'log-write', node, entries: [put(1, 'old'), put(2, 'new')] });
    s.state(2, { term: 1, last: 2 }).state(1, { role: 'leader', term: 1, commit: 2, last: 2 });
    const callNs = s.tick();
    expect(s.monitor.clientOpCompleted('get', 'k', callNs, readResult('new', 1, 2), s.tick())).toBe(false);
    expect(s.published).toEqual([]);
    expect(s.monitor.clientOpCompleted('get', 'k', callNs, readResult('old', 3, 1), s.tick())).toBe(true);
    expect(s.invariants).toEqual(['stale-read']);
    // A read that misses committed entries but returns the key's current value breaks ReadIndex, yet is not stale.
    expect(s.monitor.clientOpCompleted('get', 'other', callNs, readResult(null, 3, 1), s.tick())).toBe(false);
  });
});

describe('safety monitor: quiet detail (log terms, no commands)', () => {
  it('a correct stream passes and a durability breach is caught', () => {
    const s = new StreamScript('quiet').start(3).elect(1, 1, [2], 0);
    for (const node of [1, 2]) s.emit({ type: 'log-terms', node, from: 1, last: 3, runs: [[1, 1]] });
    s.state(2, { term: 1, votedFor: 1, last: 3 }).state(1, { role: 'leader', term: 1, commit: 3, last: 3 });
    s.emit({ type: 'log-terms', node: 1, from: 4, last: 5, runs: [[4, 1]] });
    s.state(1, { role: 'leader', term: 1, commit: 5, last: 5 });
    s.state(3, { term: 1, votedFor: 1 });
    expect(s.published).toEqual([]); // S2 has not reported since entries 4..5 committed
    s.state(2, { term: 1, votedFor: 1, last: 3 });
    expect(s.invariants).toEqual(['committed-entry-lost']);
  });
});

describe('safety monitor: losing track is not a breach', () => {
  it('a write that leaves a gap suspends the node until it restarts', () => {
    const s = replicated();
    s.write(3, 9, [1]).state(3, { term: 1, commit: 3, last: 9 });
    s.state(3, { term: 0 }); // would be a term going back: not checked while suspended
    expect(s.published).toEqual([]);
    s.crashed(3).alive(3).write(3, 1, [1, 1, 1]).state(3, { term: 1, last: 3 });
    s.state(3, { role: 'leader', term: 1 });
    expect(s.invariants).toEqual(['election-safety']);
  });
});
