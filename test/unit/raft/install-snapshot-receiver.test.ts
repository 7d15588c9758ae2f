// Figure 13, InstallSnapshot RPC, receiver implementation 1-8, one test per rule, plus the term and timer rules
// InstallSnapshot shares with AppendEntries (Figure 2).

import { describe, expect, it } from 'vitest';
import type { RaftNode } from '../../../src/raft';
import { persisted } from './cluster';
import { appendEntries, drain, entry, installSnapshot, messagesOf, newNode, timeOut } from './messages';

/** S2, follower of S1 in term 2, whose log is `terms` with entries 1..commit committed. */
function follower(terms: readonly number[], commit: number): RaftNode {
  const node = newNode(2, persisted(2, null, terms));
  node.step(appendEntries(1, 2, 2, terms.length, terms[terms.length - 1] ?? 0, [], commit));
  drain(node);
  expect(node.status().commitIndex).toBe(commit);
  return node;
}

describe('InstallSnapshot RPC, receiver implementation', () => {
  it('1. Reply immediately if term < currentTerm', () => {
    const node = follower([1, 1], 0);
    node.step(installSnapshot(3, 2, 1, 5, 1, 'state'));
    const ready = drain(node);
    expect(messagesOf(ready, 'InstallSnapshotReply')).toEqual([
      { type: 'InstallSnapshotReply', from: 2, to: 3, term: 2, lastIncludedIndex: 5, bytesStored: 0, done: false },
    ]);
    // A reply is sent, so the event is a rejection, as for AppendEntries, not an ignored message.
    expect(ready.events.find((e) => e.kind === 'snapshot-rejected')).toMatchObject({
      rule: 'Figure 13 · InstallSnapshot RPC · receiver 1',
      reason: 'rejected InstallSnapshot from S3: term 1 < currentTerm 2; it is not the current leader',
    });
    expect(node.status().snapshotIndex).toBe(0);
  });

  it('2. Create new snapshot file if first chunk (offset is 0); 4. Reply and wait for more data chunks if done is false', () => {
    const node = follower([1], 0);
    node.step(installSnapshot(1, 2, 2, 5, 2, 'abcd', { done: false }));
    const ready = drain(node);
    expect(messagesOf(ready, 'InstallSnapshotReply')).toEqual([expect.objectContaining({ bytesStored: 4, done: false, lastIncludedIndex: 5 })]);
    expect(ready.persist.snapshot).toBeNull();
    expect(node.status().snapshotIndex).toBe(0);
    expect(ready.events.find((e) => e.kind === 'snapshot-chunk-stored')).toMatchObject({
      rule: 'Figure 13 · InstallSnapshot RPC · receiver 2-4 (chunks in offset order)',
      reason: 'stored characters 0..3 of the snapshot through 5 from S1 (4 held): replying and waiting for the next chunk',
    });
    // A new first chunk discards the partial snapshot.
    node.step(installSnapshot(1, 2, 2, 5, 2, 'xy', { done: false }));
    const restarted = drain(node);
    expect(messagesOf(restarted, 'InstallSnapshotReply')).toEqual([expect.objectContaining({ bytesStored: 2, done: false })]);
    expect(restarted.events.find((e) => e.kind === 'snapshot-chunk-stored')?.reason).toBe('stored characters 0..1 of the snapshot through 5 ' +
      'from S1 (2 held): replying and waiting for the next chunk; the partial snapshot through 5 (4 characters) is discarded');
    node.step(installSnapshot(1, 2, 2, 5, 2, 'z', { offset: 2, done: true }));
    drain(node);
    expect(node.snapshot()).toEqual({ lastIncludedIndex: 5, lastIncludedTerm: 2, data: 'xyz' });
  });

  it('3. Write data into snapshot file at given offset: a chunk at an unexpected offset is answered with what we hold', () => {
    const node = follower([1], 0);
    node.step(installSnapshot(1, 2, 2, 5, 2, 'ab', { done: false }));
    drain(node);
    node.step(installSnapshot(1, 2, 2, 5, 2, 'ef', { offset: 4, done: true })); // chunk 2..4 was lost
    const gap = drain(node);
    expect(messagesOf(gap, 'InstallSnapshotReply')).toEqual([expect.objectContaining({ bytesStored: 2, done: false })]);
    expect(gap.events.find((e) => e.kind === 'snapshot-rejected')?.reason).toBe('InstallSnapshot chunk at offset 4 from S1 does not ' +
      'continue what we hold (2 characters of the snapshot through 5): the leader resumes at 2');
    node.step(installSnapshot(1, 2, 2, 5, 2, 'ab', { offset: 0, done: false })); // duplicate of the first chunk: restarts
    node.step(installSnapshot(1, 2, 2, 5, 2, 'cd', { offset: 2, done: false }));
    node.step(installSnapshot(1, 2, 2, 5, 2, 'cd', { offset: 2, done: false })); // duplicate: answered, not stored twice
    const replies = messagesOf(drain(node), 'InstallSnapshotReply');
    expect(replies.map((r) => r.bytesStored)).toEqual([2, 4, 4]);
    node.step(installSnapshot(1, 2, 2, 5, 2, 'ef', { offset: 4, done: true }));
    drain(node);
    expect(node.snapshot()?.data).toBe('abcdef');
  });

  it('a chunk of another snapshot does not continue the buffer; the leader is told to start over', () => {
    const node = follower([1], 0);
    node.step(installSnapshot(1, 2, 2, 5, 2, 'ab', { done: false }));
    drain(node);
    node.step(installSnapshot(1, 2, 2, 7, 2, 'cd', { offset: 2, done: true }));
    expect(messagesOf(drain(node), 'InstallSnapshotReply')).toEqual([expect.objectContaining({ lastIncludedIndex: 7, bytesStored: 0, done: false })]);
    expect(node.status().snapshotIndex).toBe(0);
  });

  it('5. Save snapshot file: the next Ready persists it (mustSync) and the reply says done', () => {
    const node = follower([1, 1], 1);
    node.step(installSnapshot(1, 2, 2, 6, 2, 'state@6'));
    const ready = drain(node);
    expect(ready.persist.snapshot).toEqual({ lastIncludedIndex: 6, lastIncludedTerm: 2, data: 'state@6' });
    expect(ready.persist.mustSync).toBe(true);
    expect(messagesOf(ready, 'InstallSnapshotReply')).toEqual([
      { type: 'InstallSnapshotReply', from: 2, to: 1, term: 2, lastIncludedIndex: 6, bytesStored: 7, done: true },
    ]);
    const event = ready.events.find((e) => e.kind === 'snapshot-installed');
    expect(event?.reason).toMatch(/installed the snapshot from S1 through index 6/);
  });

  it('5. ... a snapshot at or below commitIndex would move the state machine backwards: answered done without installing', () => {
    const node = follower([1, 1, 2, 2], 4);
    node.step(installSnapshot(1, 2, 2, 3, 2, 'old'));
    const ready = drain(node);
    expect(messagesOf(ready, 'InstallSnapshotReply')).toEqual([expect.objectContaining({ lastIncludedIndex: 3, done: true })]);
    expect(ready.persist.snapshot).toBeNull();
    expect(ready.snapshotToApply).toBeNull();
    expect(node.status()).toMatchObject({ snapshotIndex: 0, commitIndex: 4, lastLogIndex: 4 });
    // Figure 13 would install it; skipping a snapshot the log already covers is a shortcut (etcd's too), not receiver 5.
    expect(ready.events.find((e) => e.kind === 'message-ignored')).toMatchObject({
      rule: '§7 (lab shortcut, as in etcd) · nothing beyond commitIndex to install',
      reason: 'snapshot through index 3 from S1 brings nothing beyond what we have committed (through 4): not installed; ' +
        'we reply done so the leader moves on',
    });
  });

  it('6. If existing log entry has same index and term as snapshot\'s last included entry, retain log entries following it and reply', () => {
    const node = follower([1, 1, 2, 2, 2, 2], 1);
    node.step(installSnapshot(1, 2, 2, 4, 2, 'state@4'));
    const ready = drain(node);
    expect(node.log()).toEqual([entry(5, 2), entry(6, 2)]);
    expect(node.status()).toMatchObject({ snapshotIndex: 4, snapshotTerm: 2, lastLogIndex: 6, commitIndex: 4, lastApplied: 4 });
    // The retained suffix is rewritten after the snapshot, so a disk that drops its old log keeps it.
    expect(ready.persist.entries).toEqual([entry(5, 2), entry(6, 2)]);
    expect(ready.events.find((e) => e.kind === 'snapshot-installed')).toMatchObject({
      rule: 'Figure 13 · InstallSnapshot RPC · receiver 6 (the lab also loads the snapshot into the state machine)',
      reason: 'installed the snapshot from S1 through index 4 (term 2): our entry 4 has term 2 too, so the log after it is kept ' +
        '(entries 5..6); commitIndex 1 -> 4; the state machine, which had applied up to 1, loads the snapshot',
      data: expect.objectContaining({ retained: true }) as unknown,
    });
  });

  it('6. ... when no entries follow the snapshot\'s last entry, the reason says so rather than show an empty range', () => {
    const node = follower([1, 1, 2, 2], 1);
    node.step(installSnapshot(1, 2, 2, 4, 2, 'state@4'));
    expect(drain(node).events.find((e) => e.kind === 'snapshot-installed')?.reason).toBe('installed the snapshot from S1 through index 4 ' +
      '(term 2): our entry 4 has term 2 too, so it is kept; no entries follow it; commitIndex 1 -> 4; the state machine, which had ' +
      'applied up to 1, loads the snapshot');
  });

  it('AppendEntries whose prevLogIndex lies inside our snapshot match it (§7): the entries it covers are skipped, with the reason', () => {
    const node = follower([1, 1, 2, 2], 1);
    node.step(installSnapshot(1, 2, 2, 4, 2, 'state@4'));
    drain(node);
    node.step(appendEntries(1, 2, 2, 3, 2, [entry(4, 2), entry(5, 2), entry(6, 2)], 4));
    const ready = drain(node);
    expect(node.log()).toEqual([entry(5, 2), entry(6, 2)]);
    expect(ready.events.find((e) => e.kind === 'append-accepted')).toMatchObject({
      rule: '§7 · an AppendEntries entry inside the snapshot is already committed here',
      reason: expect.stringMatching(/^prevLogIndex 3 lies inside our snapshot \(through 4\), whose entries are committed and so match the leader's; it already holds entry 4, which is skipped; entries 4\.\.6 \(term 2\) accepted, matchIndex = 6; the election timer restarts \(\d+ ms\)$/) as unknown,
    });
  });

  it('7. Discard the entire log (the entry at the snapshot\'s last index has another term)', () => {
    const node = follower([1, 1, 1, 1, 1], 1);
    node.step(installSnapshot(1, 2, 2, 4, 2, 'state@4'));
    const ready = drain(node);
    expect(node.log()).toEqual([]);
    expect(node.status()).toMatchObject({ snapshotIndex: 4, snapshotTerm: 2, lastLogIndex: 4, lastLogTerm: 2, commitIndex: 4 });
    expect(ready.persist.entries).toEqual([]);
    expect(ready.events.find((e) => e.kind === 'snapshot-installed')?.reason).toMatch(/different term, so the whole log \(through 5\) is discarded/);
  });

  it('7. Discard the entire log (it ends before the snapshot)', () => {
    const node = follower([1], 1);
    node.step(installSnapshot(1, 2, 2, 9, 2, 'state@9'));
    drain(node);
    expect(node.status()).toMatchObject({ snapshotIndex: 9, lastLogIndex: 9 });
    node.step(appendEntries(1, 2, 2, 9, 2, [entry(10, 2)], 10));
    expect(drain(node).committedEntries).toEqual([entry(10, 2)]);
  });

  it('8. Reset state machine using snapshot contents: Ready.snapshotToApply, then entries after it', () => {
    const node = follower([1, 1, 2, 2, 2, 2], 1);
    node.step(installSnapshot(1, 2, 2, 4, 2, 'state@4'));
    node.step(appendEntries(1, 2, 2, 6, 2, [], 6));
    const ready = drain(node);
    expect(ready.snapshotToApply).toEqual({ lastIncludedIndex: 4, lastIncludedTerm: 2, data: 'state@4' });
    expect(ready.committedEntries.map((e) => e.index)).toEqual([5, 6]);
  });

  it('an InstallSnapshot comes from the current leader: it resets the election timer and a candidate steps down (Figure 2, Candidates 3)', () => {
    const node = newNode(2, persisted(1, null, [1]));
    timeOut(node); // candidate of term 2
    drain(node);
    expect(node.status().role).toBe('candidate');
    const before = node.nextDeadlineMs();
    node.tick(before - 1);
    node.step(installSnapshot(1, 2, 2, 3, 2, 's'));
    expect(node.status()).toMatchObject({ role: 'follower', leaderId: 1, snapshotIndex: 3 });
    expect(node.nextDeadlineMs()).toBeGreaterThan(before);
  });

  it('an InstallSnapshot of a newer term makes the receiver a follower of that term first (All Servers 2)', () => {
    const node = follower([1], 1);
    node.step(installSnapshot(3, 2, 5, 4, 4, 's'));
    const ready = drain(node);
    expect(node.status()).toMatchObject({ term: 5, leaderId: 3, snapshotIndex: 4 });
    expect(ready.persist.hardState).toEqual({ term: 5, votedFor: null });
    expect(messagesOf(ready, 'InstallSnapshotReply')).toEqual([expect.objectContaining({ term: 5, done: true })]);
  });
});
