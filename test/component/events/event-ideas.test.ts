import { describe, expect, it } from 'vitest';
import { EVENT_IDEAS, hasIdea } from '../../../renderer/src/components/events/event-ideas';
import { createHeartbeatDetector } from '../../../renderer/src/components/events/heartbeats';
import { EventStream, appendEntries, requestVote } from '../model/event-builders';
import { commit, election, heartbeatRound } from '../model/raft-story';

describe('heartbeats', () => {
  it('are the empty AppendEntries, their successful replies, "heartbeat accepted" and the state reports they cause', () => {
    const stream = new EventStream().startCluster(5, 1);
    const before = stream.events.length;
    heartbeatRound(stream, 1, 1, 5, 0);
    heartbeatRound(stream, 1, 1, 5, 1);
    stream.add({ type: 'message', node: 2, direction: 'send', id: 'r1', dropReason: null,
      message: { type: 'AppendEntriesReply', from: 2, to: 1, term: 1, fields: { success: true, matchIndex: 1 } } });
    const isHeartbeat = createHeartbeatDetector();
    const verdicts = stream.events.map((event) => isHeartbeat(event));
    expect(verdicts.slice(0, before).some(Boolean)).toBe(false);
    // The first round's state reports are news (each follower learns term 1 and its leader); after that only the
    // election timer moved.
    const news = stream.events.slice(before).filter((_event, i) => !verdicts[before + i]);
    expect(news).toHaveLength(4);
    expect(news.every((event) => event.type === 'node-state' && event.state.leaderId === 1)).toBe(true);
    expect(stream.events.slice(before).filter((event) => event.type === 'node-state')).toHaveLength(8);
  });

  it('are not: AppendEntries with entries, rejections, votes, or a state report that changed something', () => {
    const stream = new EventStream().startCluster(3, 1);
    stream.send('a', appendEntries(1, 2, 1, [{ index: 2, term: 1 }]));
    stream.add({ type: 'message', node: 2, direction: 'send', id: 'r', dropReason: null,
      message: { type: 'AppendEntriesReply', from: 2, to: 1, term: 1, fields: { success: false, conflictIndex: 1 } } });
    stream.send('v', requestVote(3, 1, 2));
    stream.state(2, { term: 1, commitIndex: 1 });
    stream.state(2, { term: 1, commitIndex: 2 });
    const isHeartbeat = createHeartbeatDetector();
    expect(stream.events.map(isHeartbeat).some(Boolean)).toBe(false);
  });
});

describe('ideas', () => {
  it('sort every event of an election, a commit, a fault and a client operation', () => {
    const stream = new EventStream().startCluster(5, 1);
    const start = stream.events.length;
    election(stream, 2, 2);
    stream.send('rv', requestVote(2, 3, 2));
    const electionEvents = stream.events.slice(start).filter((event) => event.type !== 'node-state');
    const leaderNoOp = electionEvents.filter((event) => event.type === 'raft' && event.event.kind === 'entries-appended');
    expect(electionEvents.filter((event) => !hasIdea(event, 'elections'))).toEqual(leaderNoOp);
    const commits = commit(new EventStream(), 2, 2, 1).events;
    expect(commits.every((event) => hasIdea(event, 'commits') && !hasIdea(event, 'elections'))).toBe(true);
    const fault = stream.fault('partition', [1], 'S1 cut off');
    expect(EVENT_IDEAS.filter((idea) => hasIdea(fault, idea))).toEqual(['faults']);
    const op = stream.add({ type: 'client-op', client: 1, op: 'put', key: 'x', status: 'ok', value: '1', servedBy: 2, latencyMs: 1, callNs: 0 });
    expect(EVENT_IDEAS.filter((idea) => hasIdea(op, idea))).toEqual(['client']);
    const snapshot = stream.add({ type: 'message', node: 1, direction: 'send', id: 's', dropReason: null,
      message: { type: 'InstallSnapshot', from: 1, to: 2, term: 2, fields: { offset: 0 } } });
    expect(EVENT_IDEAS.filter((idea) => hasIdea(snapshot, idea))).toEqual(['snapshots']);
  });
});

describe('resends', () => {
  it('the same AppendEntries again on the same link is hidden with the heartbeats; new entries are not', () => {
    const stream = new EventStream().startCluster(3, 1);
    const entry5 = appendEntries(1, 3, 1, [{ index: 5, term: 1 }]);
    const first = stream.send('a1', entry5);
    const dropped = stream.drop('a1', entry5, 3, 'S3 is down');
    const again = [stream.send('a2', entry5), stream.drop('a2', entry5, 3, 'S3 is down'), stream.send('a3', entry5)];
    const toOther = stream.send('b1', appendEntries(1, 2, 1, [{ index: 5, term: 1 }]));
    const next = stream.send('a4', appendEntries(1, 3, 1, [{ index: 5, term: 1 }, { index: 6, term: 1 }]));
    const isHeartbeat = createHeartbeatDetector();
    const verdict = new Map(stream.events.map((event) => [event, isHeartbeat(event)]));
    expect([first, dropped, toOther, next].map((event) => verdict.get(event))).toEqual([false, false, false, false]);
    expect(again.map((event) => verdict.get(event))).toEqual([true, true, true]);
  });
});
