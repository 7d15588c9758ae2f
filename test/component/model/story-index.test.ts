import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src/protocol/events';
import { nodeLine, raftLine } from '../../../renderer/src/model/node-line';
import { jumpKind, storyTopic } from '../../../renderer/src/model/significance';
import { StoryIndex } from '../../../renderer/src/model/story-index';
import { TimelineIndex } from '../../../renderer/src/model/timeline-index';
import { labView } from '../shell/lab-fixtures';
import { EventStream, appendEntries } from './event-builders';
import { commit, election, heartbeatRound } from './raft-story';

function indexOf(stream: EventStream): StoryIndex {
  const index = new StoryIndex();
  for (const event of stream.events) index.add(event, event.atNs);
  return index;
}

describe('significant events', () => {
  it('keeps elections, votes, leaders, commits, faults and client operations; not heartbeats or state reports', () => {
    const stream = new EventStream().startCluster(5, 1);
    heartbeatRound(stream, 1, 1);
    const routine = stream.events.filter((event) => event.type === 'message' || event.type === 'node-state'
      || (event.type === 'raft' && event.event.kind === 'append-accepted'));
    expect(routine.length).toBeGreaterThan(10);
    expect(routine.map(storyTopic).every((topic) => topic === null)).toBe(true);
    election(stream, 2, 2);
    commit(stream, 2, 2, 1);
    stream.fault('crash', [3], 'S3 crashed');
    const topics = new Set(stream.events.map(storyTopic));
    for (const topic of ['election', 'vote', 'leader', 'term', 'commit', 'fault', 'cluster']) expect(topics).toContain(topic);
  });

  it('tells a change of slow motion once: by its lab-clock event, not also by the fault event beside it', () => {
    const stream = new EventStream().startCluster(3, 1);
    const fault = stream.fault('time-scale', [], 'time runs 20x slower');
    const clock: LabEvent = { seq: fault.seq + 1, atNs: fault.atNs, type: 'lab-clock',
      segment: { anchorNs: fault.atNs, labMs: 500, timeScale: 20, frozen: false }, networkDelayMs: [8, 15] };
    expect(storyTopic(fault)).toBeNull();
    expect(storyTopic(clock)).toBe('clock');
  });

  it('jumps to the previous and next election, commit or fault from any moment', () => {
    const stream = new EventStream().startCluster(5, 1);
    const first = election(stream, 1, 1).events.filter((event) => jumpKind(event) === 'election').pop()!;
    commit(stream, 1, 1, 1);
    const leaderCommit = stream.events.find((event) => jumpKind(event) === 'commit')!;
    const middle = stream.send('x', appendEntries(1, 2, 1)).seq;
    const crash = stream.fault('crash', [1], 'S1 crashed');
    const second = election(stream, 2, 2).events.filter((event) => jumpKind(event) === 'election').pop()!;
    const last = stream.events[stream.events.length - 1]!.seq;
    const index = indexOf(stream);
    expect(index.jump('election', middle, -1, last)?.seq).toBe(first.seq);
    expect(index.jump('election', middle, 1, last)?.seq).toBe(second.seq);
    expect(index.jump('election', second.seq, 1, last)).toBeNull();
    expect(index.jump('election', second.seq, 1, second.seq - 1)).toBeNull();
    expect(index.jump('commit', middle, -1, last)?.seq).toBe(leaderCommit.seq);
    expect(index.jump('fault', middle, 1, last)?.seq).toBe(crash.seq);
    expect(index.jump('fault', crash.seq, -1, last)).toBeNull();
  });

  it("keeps each server's recent notes, and forgets what the window trimmed", () => {
    const stream = new EventStream().startCluster(5, 1);
    election(stream, 3, 2);
    stream.fault('crash', [3], 'S3 crashed');
    const index = indexOf(stream);
    const recent = index.recentOfNode(3, stream.events[stream.events.length - 1]!.seq, 3);
    expect(recent.map((note) => note.event.type === 'raft' ? note.event.event.kind : note.event.type))
      .toEqual(['fault', 'entries-appended', 'became-leader']);
    const before = index.stampAt(1e9);
    const size = index.size;
    index.trimBefore(stream.events[stream.events.length - 1]!.seq);
    expect(index.size).toBe(1);
    expect(index.stampAt(1e9)).not.toBe(before);
    expect(index.recentOfNode(3, 1e9, 5)).toHaveLength(1);
    expect(size).toBeGreaterThan(10);
  });

  it('says a server\'s last event in a few words', () => {
    const stream = new EventStream().startCluster(5, 1);
    election(stream, 2, 4);
    const lines = stream.events.filter((event) => event.type === 'raft' && event.node === 2).map(nodeLine);
    expect(lines).toEqual(expect.arrayContaining(['term 3 → 4', 'started election, term 4', 'won the election of term 4', 'appended no-op entry 1']));
    expect(lines.every((line) => line.length <= 34)).toBe(true);
    expect(raftLine({ kind: 'vote-granted', node: 5, term: 4, rule: '', reason: '', data: { candidate: 2 } })).toBe('voted for S2');
    expect(nodeLine(stream.fault('pause', [4], 'S4 paused'))).toBe('paused (SIGSTOP)');
  });
});

describe('timeline lanes', () => {
  it('drops the lanes of servers a new, smaller cluster does not have', () => {
    const stream = new EventStream().startCluster(5, 1);
    stream.wait(1000);
    const oldEnd = stream.atNs;
    stream.phase('stopped');
    stream.wait(100);
    stream.startCluster(3, 2);
    const timeline = new TimelineIndex(labView([]));
    for (const event of stream.events) timeline.add(event, event.atNs);
    expect(timeline.laneNodesIn(0, stream.atNs + 1e9)).toEqual([1, 2, 3]);
    // Looking back at the old cluster only, its servers are drawn.
    expect(timeline.laneNodesIn(0, oldEnd)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('a new cluster', () => {
  it('starts a new story: captions and server lines never mix in the previous cluster\'s events', () => {
    const stream = new EventStream();
    stream.phase('starting');
    stream.raft(1, 'election-started', 1);
    stream.raft(2, 'vote-granted', 1);
    stream.raft(3, 'vote-denied', 1);
    stream.phase('starting');
    stream.raft(2, 'vote-granted', 1);
    const story = new StoryIndex();
    for (const [i, event] of stream.events.entries()) story.add(event, i);
    const last = stream.events.length - 1;
    expect([...story.newestFirst(last)].map((note) => note.event.type)).toEqual(['raft', 'cluster-phase']);
    expect(story.recentOfNode(3, last, 5)).toEqual([]);
    expect(story.recentOfNode(2, last, 5)).toHaveLength(1);
    // Scrubbed back into the first cluster, its own story is told.
    expect(story.recentOfNode(3, 3, 5)).toHaveLength(1);
  });
});
