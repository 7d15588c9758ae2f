import { describe, expect, it } from 'vitest';
import { buildCaptions } from '../../../renderer/src/model/captions';
import { StoryIndex } from '../../../renderer/src/model/story-index';
import { EventStream } from './event-builders';
import { RULES, commit, election, heartbeatRound, raftEvent } from './raft-story';

function indexOf(stream: EventStream): StoryIndex {
  const index = new StoryIndex();
  for (const event of stream.events) index.add(event, event.atNs);
  return index;
}

const lastSeq = (stream: EventStream): number => stream.events[stream.events.length - 1]!.seq;

describe('captions', () => {
  it('tells an election in a few sentences: the timer, the votes, the win, with their rules', () => {
    const stream = new EventStream().startCluster(5, 9);
    election(stream, 3, 5);
    const captions = buildCaptions(indexOf(stream).newestFirst(lastSeq(stream)));
    const texts = captions.map((caption) => caption.text);
    expect(texts).toContain("S3's election timer expired → candidate in term 5, votes for itself and asks the others for their votes");
    expect(texts).toContain('S1, S2, S4 and S5 vote for S3 in term 5 (S3 has 3 of the 3 votes it needs)');
    expect(texts[texts.length - 1]).toBe('S3 wins the election of term 5 with votes from S1, S3, S5 → leader; it appends a no-op entry 1');
    const timer = captions.find((caption) => caption.text.includes('timer expired'));
    expect(timer?.rule).toBe(RULES.candidateStart);
    expect(timer?.topic).toBe('election');
    // The win cites the rule it won by, though the no-op entry told with it came later.
    expect(captions[captions.length - 1]?.rule).toBe(RULES.candidateWins);
    // The followers' term changes belong to their votes, the candidate's to its election: no separate caption.
    expect(texts.some((text) => text.includes('move to term'))).toBe(false);
    expect(captions.length).toBeLessThanOrEqual(4);
  });

  it('skips heartbeats that change nothing: the captions after many rounds are those before them', () => {
    const stream = new EventStream().startCluster(5, 9);
    election(stream, 1, 1);
    commit(stream, 1, 1, 1);
    const index = indexOf(stream);
    const before = buildCaptions(index.newestFirst(lastSeq(stream)));
    for (let round = 0; round < 50; round += 1) heartbeatRound(stream, 1, 1, 5, round);
    raftEvent(stream, 1, 'message-ignored', 1, { from: 2, replyTerm: 1, role: 'leader' },
      'vote reply from S2 (term 1) ignored: S1 is leader in term 1, no such election is running', RULES.staleReply);
    const after = buildCaptions(indexOf(stream).newestFirst(lastSeq(stream)));
    expect(after).toEqual(before);
    expect(after.map((caption) => caption.text)).toEqual(expect.arrayContaining([
      'Leader S1 commits entry 1: stored on a majority (S1, S3, S5)',
      'S2, S3, S4 and S5 learn from the leader (leaderCommit) that entries up to 1 are committed',
    ]));
  });

  it('tells a configuration change as what it is, not as a client write', () => {
    const stream = new EventStream().startCluster(3, 9);
    election(stream, 1, 1, 3);
    raftEvent(stream, 1, 'proposal-accepted', 1, { index: 2, command: null, voters: 'S1, S2, S3', learners: 'S4', outgoing: '' },
      'add S4 as a learner: appended configuration entry 2 (term 1): voters S1, S2, S3; learners S4',
      'Dissertation §4.1 · a server uses the latest configuration in its log, committed or not');
    const texts = buildCaptions(indexOf(stream).newestFirst(lastSeq(stream))).map((caption) => caption.text);
    expect(texts.some((text) => text.includes('Client write'))).toBe(false);
    expect(texts.some((text) => text.includes('configuration entry 2'))).toBe(true);
  });

  it('shows the captions of the moment asked for (scrubbing back), and rounds numbers', () => {
    const stream = new EventStream().startCluster(5, 9);
    const termChange = raftEvent(stream, 2, 'term-changed', 4, { from: 3, to: 4 },
      'starting an election: election timeout elapsed at 2452.6078866999947 ms without hearing from a leader', RULES.candidateStart);
    election(stream, 2, 4);
    const captions = buildCaptions(indexOf(stream).newestFirst(termChange.seq));
    expect(captions[captions.length - 1]?.text)
      .toBe('S2 moves to term 4: starting an election: election timeout elapsed at 2453 ms without hearing from a leader');
    expect(captions.every((caption) => caption.seq <= termChange.seq)).toBe(true);
  });

  it('tells faults, client operations and the cluster in words', () => {
    const stream = new EventStream().startCluster(3, 1);
    stream.fault('crash', [2], 'S2 crashed (SIGKILL): it loses everything not on its disk');
    stream.status(2, 'crashed', 'killed by the lab');
    stream.add({ type: 'client-op', client: 1, op: 'put', key: 'x', status: 'ok', value: '1', servedBy: 1, latencyMs: 3.14159, callNs: stream.atNs });
    stream.add({ type: 'client-op', client: 2, op: 'get', key: 'x', status: 'ok', value: '1', servedBy: 1, latencyMs: 12.5, callNs: stream.atNs });
    stream.fault('partition', [1, 3], 'partition: {S1} | {S3}');
    const texts = buildCaptions(indexOf(stream).newestFirst(lastSeq(stream))).map((caption) => caption.text);
    expect(texts).toEqual([
      expect.stringContaining('S1 wins the election of term 1'),
      'S2 crashed (SIGKILL): it loses everything not on its disk',
      '2 client operations; the newest: client 2: get x = 1 → ok by S1 in 13 ms',
      'Partition: {S1} | {S3}',
    ]);
  });

  it('reads back a bounded number of notes, however long the window', () => {
    const stream = new EventStream().startCluster(3, 1);
    for (let i = 0; i < 2000; i += 1) {
      stream.add({ type: 'client-op', client: 1, op: 'put', key: 'x', status: 'ok', value: String(i), servedBy: 1, latencyMs: 1, callNs: stream.atNs });
    }
    let read = 0;
    const counted = (function* () { for (const note of indexOf(stream).newestFirst(lastSeq(stream))) { read += 1; yield note; } })();
    const captions = buildCaptions(counted, 4, 300);
    expect(captions).toHaveLength(1);
    expect(captions[0]?.text).toContain('300 client operations');
    expect(read).toBeLessThanOrEqual(301);
  });

  it('once four happenings are told, older notes still join them; another happening is left out', () => {
    const stream = new EventStream().startCluster(3, 1);
    raftEvent(stream, 2, 'entries-appended', 1, { from: 1, firstIndex: 2, lastIndex: 2 }, 'appended entry 2 from leader S1', RULES.appendReceiver4);
    stream.fault('partition', [3], 'partition: {S3} | {S1, S2}');
    raftEvent(stream, 3, 'entries-appended', 1, { from: 1, firstIndex: 2, lastIndex: 2 }, 'appended entry 2 from leader S1', RULES.appendReceiver4);
    commit(stream, 1, 1, 2, 1);
    stream.fault('pause', [2], 'S2 paused (SIGSTOP)');
    stream.add({ type: 'client-op', client: 1, op: 'put', key: 'x', status: 'ok', value: '1', servedBy: 1, latencyMs: 4, callNs: stream.atNs });
    const texts = buildCaptions(indexOf(stream).newestFirst(lastSeq(stream))).map((caption) => caption.text);
    expect(texts).toEqual([
      'S2 and S3 append entry 2 from leader S1',
      'Leader S1 commits entry 2: stored on a majority (S1, S3, S5)',
      'S2 paused (SIGSTOP)',
      'Client operation: client 1: put x = 1 → ok by S1 in 4 ms',
    ]);
  });
});
