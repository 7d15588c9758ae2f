// Log compaction (§7 of the Raft paper, Figure 12): a server replaces the committed, applied prefix of its log by a
// snapshot, and recovers from it after a restart.

import { describe, expect, it } from 'vitest';
import type { PersistedState, RaftNode } from '../../../src/raft';
import { RaftLog } from '../../../src/raft/raft-log';
import { logOfTerms, persisted } from './cluster';
import { appendEntries, appendReply, drain, entry, makeLeader, newNode } from './messages';

/** S1 leads term 1 with entries 1 (no-op) .. 5, all committed and applied (S2 acknowledged them). */
function leaderWithAppliedLog(): RaftNode {
  const node = makeLeader();
  for (let i = 2; i <= 5; i++) node.propose(`c${i}`);
  drain(node);
  node.step(appendReply(2, 1, 1, true, 5));
  const ready = drain(node);
  expect(ready.committedEntries.map((e) => e.index)).toEqual([1, 2, 3, 4, 5]);
  return node;
}

describe('§7 Log compaction', () => {
  it('"Each server takes snapshots independently, covering just the committed entries in its log": compact past lastApplied is refused', () => {
    const node = makeLeader();
    node.propose('c2');
    drain(node); // entry 2 is not committed: only S1 has it
    expect(() => node.compact(2, 'state')).toThrow(/lastApplied/);
    expect(() => node.compact(0, 'state')).toThrow(/snapshotIndex/);
  });

  it('"the entire system state is written to a snapshot on stable storage, then the entire log up to that point is discarded"', () => {
    const node = leaderWithAppliedLog();
    node.compact(3, 'state@3');
    expect(node.log()).toEqual([entry(4, 1), entry(5, 1)]);
    expect(node.status()).toMatchObject({ snapshotIndex: 3, snapshotTerm: 1, lastLogIndex: 5, lastLogTerm: 1, commitIndex: 5, lastApplied: 5 });
    expect(node.snapshot()).toEqual({ lastIncludedIndex: 3, lastIncludedTerm: 1, data: 'state@3' });
    const ready = drain(node);
    expect(ready.persist.snapshot).toEqual({ lastIncludedIndex: 3, lastIncludedTerm: 1, data: 'state@3' });
    expect(ready.persist.mustSync).toBe(true);
    expect(ready.persist.entries).toEqual([]);
    expect(ready.snapshotToApply).toBeNull();
    const event = ready.events.find((e) => e.kind === 'log-compacted');
    expect(event?.rule).toMatch(/§7/);
    expect(event?.reason).toBe('the state machine has applied entries 1..3, so its state (7 characters) replaces them: entries 1..3 ' +
      'are discarded, the snapshot keeps its last included index 3 and term 1 for the AppendEntries consistency check; the log now holds entries 4..5');
    expect(event?.data).toMatchObject({ lastIncludedIndex: 3, lastIncludedTerm: 1 });
  });

  it('the log-compacted reason names single entries and an empty log after the snapshot in words, never as "6..5"', () => {
    const node = leaderWithAppliedLog();
    node.compact(4, 'a');
    drain(node);
    node.compact(5, 'b');
    expect(drain(node).events.find((e) => e.kind === 'log-compacted')?.reason).toBe('the state machine has applied entries 1..5, so its ' +
      'state (1 character) replaces them: entry 5 is discarded, the snapshot keeps its last included index 5 and term 1 for the AppendEntries ' +
      'consistency check; no entries follow the snapshot');
  });

  it('a second snapshot must cover more than the first', () => {
    const node = leaderWithAppliedLog();
    node.compact(3, 'a');
    expect(() => node.compact(3, 'b')).toThrow(/snapshotIndex 3 < index/);
    node.compact(5, 'b');
    expect(node.log()).toEqual([]);
    expect(node.status()).toMatchObject({ snapshotIndex: 5, lastLogIndex: 5, lastLogTerm: 1 });
  });

  it('Figure 12: the snapshot keeps "the last included index and term" for the AppendEntries consistency check', () => {
    const node = newNode(2, persisted(1, null, [1, 1, 1, 1]));
    node.step(appendEntries(1, 2, 1, 4, 1, [], 4));
    drain(node);
    node.compact(4, 'state@4');
    drain(node);
    node.step(appendEntries(1, 2, 1, 4, 1, [entry(5, 1)], 5));
    const ready = drain(node);
    expect(ready.messages).toEqual([expect.objectContaining({ type: 'AppendEntriesReply', success: true, matchIndex: 5 })]);
    expect(ready.committedEntries).toEqual([entry(5, 1)]);
  });

  it('entries of an AppendEntries that the snapshot already covers are committed here: they match, only the new ones are appended', () => {
    const node = newNode(2, persisted(1, null, [1, 1, 1, 1]));
    node.step(appendEntries(1, 2, 1, 4, 1, [], 4));
    drain(node);
    node.compact(4, 'state@4');
    drain(node);
    node.step(appendEntries(1, 2, 1, 2, 1, [entry(3, 1), entry(4, 1), entry(5, 1)], 5));
    const ready = drain(node);
    expect(ready.messages).toEqual([expect.objectContaining({ type: 'AppendEntriesReply', success: true, matchIndex: 5 })]);
    expect(ready.persist.entries).toEqual([entry(5, 1)]);
    expect(node.log()).toEqual([entry(5, 1)]);
    // A heartbeat entirely inside the snapshot succeeds too.
    node.step(appendEntries(1, 2, 1, 1, 1, [], 5));
    expect(drain(node).messages).toEqual([expect.objectContaining({ success: true, matchIndex: 1 })]);
  });

  it('the leader backs off into the snapshot: a rejection whose hint lies inside it makes the next message an InstallSnapshot', () => {
    const node = makeLeader(persisted(1, null, [1, 1, 1])); // leader of term 2; nextIndex 4 for everyone; no-op at 4
    drain(node);
    node.step(appendReply(2, 1, 2, true, 4));
    expect(drain(node).committedEntries.map((e) => e.index)).toEqual([1, 2, 3, 4]);
    node.compact(3, 'state@3');
    drain(node);
    node.step(appendReply(3, 1, 2, false, 0, { conflictTerm: 0, conflictIndex: 1 })); // S3's log is empty
    const sent = drain(node).messages;
    expect(sent).toEqual([expect.objectContaining({ type: 'InstallSnapshot', to: 3, lastIncludedIndex: 3, lastIncludedTerm: 1, offset: 0, data: 'state@3', done: true })]);
  });
});

describe('§7 Recovery from a persisted snapshot', () => {
  const state: PersistedState = {
    hardState: { term: 2, votedFor: 1 },
    snapshot: { lastIncludedIndex: 3, lastIncludedTerm: 1, data: 'state@3' },
    entries: [entry(4, 2), entry(5, 2)],
  };

  it('a restarted server starts with commitIndex = lastApplied = the snapshot\'s last index, and its log after it', () => {
    const node = newNode(2, state);
    expect(node.status()).toMatchObject({ commitIndex: 3, lastApplied: 3, snapshotIndex: 3, snapshotTerm: 1, lastLogIndex: 5, lastLogTerm: 2, term: 2 });
    expect(node.log()).toEqual([entry(4, 2), entry(5, 2)]);
    expect(node.snapshot()).toEqual(state.snapshot);
    const ready = drain(node);
    // Nothing to persist (it came from disk) and nothing to re-apply: the runtime restored the snapshot itself.
    expect(ready.persist).toEqual({ hardState: null, snapshot: null, entries: [], mustSync: false });
    expect(ready.committedEntries).toEqual([]);
    expect(ready.snapshotToApply).toBeNull();
  });

  it('a recovered snapshot with no entries after it: the last log index and term are the snapshot\'s', () => {
    const node = newNode(2, { ...state, entries: [] });
    expect(node.status()).toMatchObject({ lastLogIndex: 3, lastLogTerm: 1 });
    node.step(appendEntries(1, 2, 2, 3, 1, [entry(4, 2)], 4));
    const ready = drain(node);
    expect(ready.committedEntries).toEqual([entry(4, 2)]);
  });

  it('the persisted state is validated: entries must start right after the snapshot, whose term is at most the persisted term', () => {
    expect(() => newNode(2, { ...state, entries: logOfTerms([1, 1, 1, 2]) })).toThrow(/starts at index 1, expected 4/);
    expect(() => newNode(2, { ...state, snapshot: { lastIncludedIndex: 3, lastIncludedTerm: 3, data: '' } })).toThrow(/snapshot term 3/);
    expect(() => newNode(2, { ...state, entries: [entry(4, 1), entry(5, 1)], snapshot: { lastIncludedIndex: 3, lastIncludedTerm: 2, data: '' } })).toThrow(/term 1 < previous term 2/);
  });

  it('an AppendEntries whose prevLogIndex lies inside the recovered snapshot is answered from the snapshot', () => {
    const node = newNode(2, state);
    node.step(appendEntries(1, 2, 2, 2, 1, [], 5));
    expect(drain(node).messages).toEqual([expect.objectContaining({ type: 'AppendEntriesReply', success: true, matchIndex: 2 })]);
  });
});

describe('RaftLog with a compacted prefix', () => {
  it('termAt(snapshotIndex) is the snapshot\'s term; asking inside the compacted prefix is a clear assertion', () => {
    const log = new RaftLog([entry(4, 2)], 3, 1);
    expect(log.termAt(3)).toBe(1);
    expect(log.termAt(4)).toBe(2);
    expect(() => log.termAt(2)).toThrow(/termAt\(2\) outside 3\.\.4 \(compacted into the snapshot\)/);
    expect(() => log.entryAt(3)).toThrow(/compacted into the snapshot/);
    expect(() => log.slice(3, 4)).toThrow(/reaches into the snapshot/);
    expect(log.lastIndexOfTerm(1)).toBe(3);
    expect(log.firstIndexWithTermAtLeast(2)).toBe(4);
  });
});
