// The one-line summaries of messages and log writes in the event log and the timeline's tooltips: each field shown
// for what it means (a pre-vote's term is the proposed one, conflictIndex 0 is a term rejection, a done snapshot
// reply may mean the follower already had it), never as a raw tuple that reads as something else.
import { describe, expect, it } from 'vitest';
import type { MessageView } from '../../../src/protocol/events';
import { eventSummary, messageSummary } from '../../../renderer/src/model/event-summary';
import { EventStream } from './event-builders';

function view(type: MessageView['type'], from: number, to: number, term: number, fields: MessageView['fields']): MessageView {
  return { type, from, to, term, fields };
}

describe('message summaries', () => {
  it('a pre-vote request and its grant name the proposed term; a denial carries the voter\'s own term', () => {
    expect(messageSummary(view('RequestVote', 5, 2, 6, { lastLogIndex: 9, lastLogTerm: 3, preVote: true })))
      .toBe('RequestVote S5→S2 pre-vote for t6 last=(9, t3)');
    expect(messageSummary(view('RequestVoteReply', 2, 5, 6, { voteGranted: true, preVote: true })))
      .toBe('RequestVoteReply S2→S5 pre-vote granted for t6');
    expect(messageSummary(view('RequestVoteReply', 2, 5, 5, { voteGranted: false, preVote: true })))
      .toBe('RequestVoteReply S2→S5 t5 pre-vote denied');
    expect(messageSummary(view('RequestVote', 5, 2, 6, { lastLogIndex: 9, lastLogTerm: 3, preVote: false })))
      .toBe('RequestVote S5→S2 t6 last=(9, t3)');
    expect(messageSummary(view('RequestVoteReply', 2, 5, 6, { voteGranted: true, preVote: false })))
      .toBe('RequestVoteReply S2→S5 t6 granted');
  });

  it('an AppendEntries rejection says whether the term or the log was refused, and where the follower\'s log differs', () => {
    const rejection = (term: number, conflictTerm: number, conflictIndex: number): MessageView =>
      view('AppendEntriesReply', 2, 1, term, { success: false, matchIndex: 0, conflictTerm, conflictIndex, readRound: 0 });
    expect(messageSummary(rejection(5, 0, 0))).toBe('AppendEntriesReply S2→S1 t5 rejected: stale term (S2 is in t5)');
    expect(messageSummary(rejection(4, 0, 11))).toBe('AppendEntriesReply S2→S1 t4 rejected: log ends at 10');
    expect(messageSummary(rejection(4, 3, 77))).toBe('AppendEntriesReply S2→S1 t4 rejected: conflicting t3 entries from index 77');
  });

  it('AppendEntries name one carried entry in the singular', () => {
    const append: MessageView = { ...view('AppendEntries', 1, 2, 2, { prevLogIndex: 3, prevLogTerm: 1, leaderCommit: 3 }), entries: [{ index: 4, term: 2 }] };
    expect(messageSummary(append)).toBe('AppendEntries S1→S2 t2 prev=(3, t1) entry 4 commit=3');
    expect(messageSummary({ ...append, entries: [] })).toBe('AppendEntries S1→S2 t2 prev=(3, t1) heartbeat commit=3');
  });

  it('an InstallSnapshot reply: done may mean "already had it"; otherwise how much is held, or a refusal, and where to resume', () => {
    const reply = (bytesStored: number, done: boolean): MessageView =>
      view('InstallSnapshotReply', 3, 1, 2, { lastIncludedIndex: 40, bytesStored, done });
    expect(messageSummary(reply(812, true))).toBe('InstallSnapshotReply S3→S1 t2 installed snapshot ≤ 40 or already had it');
    expect(messageSummary(reply(300, false))).toBe('InstallSnapshotReply S3→S1 t2 holds 300 chars of snapshot ≤ 40, resume at 300');
    expect(messageSummary(reply(0, false))).toBe('InstallSnapshotReply S3→S1 t2 refused snapshot ≤ 40, resume at 0');
  });
});

describe('log-write summaries', () => {
  it('entries of one term show that term once', () => {
    const stream = new EventStream();
    expect(eventSummary(stream.write(1, [{ index: 1, term: 1, command: null }, { index: 2, term: 1, command: 'x' }])))
      .toBe('wrote entries 1..2 (t1)');
    expect(eventSummary(stream.write(1, [{ index: 3, term: 1, command: 'y' }, { index: 4, term: 2, command: null }])))
      .toBe('wrote entries 3..4 (t1..t2)');
    expect(eventSummary(stream.write(1, [{ index: 5, term: 2, command: 'z' }]))).toBe('wrote entry 5 (t2)');
  });
});
