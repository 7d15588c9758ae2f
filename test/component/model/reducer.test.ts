import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/protocol/lab-api';
import { applyEvents } from '../../../renderer/src/model/reducer';
import { emptyModel, modelFromSnapshot } from '../../../renderer/src/model/model-state';
import { MAX_IN_FLIGHT, MAX_RECENT_OUTCOMES, MAX_VIEW_LOG_ENTRIES } from '../../../renderer/src/model/limits';
import { EventStream, appendEntries, kvCommand, requestVote, snapshotOf } from './event-builders';

const empty = () => emptyModel(DEFAULT_SETTINGS, 0);

describe('reducer: node events', () => {
  it('a starting cluster shows its nodes running and the elected leader', () => {
    const stream = new EventStream().startCluster(3, 2);
    const view = applyEvents(empty(), stream.events).view;
    expect(view.phase).toBe('running');
    expect(Object.keys(view.nodes).map(Number)).toEqual([1, 2, 3]);
    expect(view.nodes[1]?.status).toBe('running');
    expect(view.nodes[1]?.pid).toBe(101);
    expect(view.nodes[1]?.peerEndpoint).toBe('tcp://127.0.0.1:5001');
    expect(view.nodes[2]?.role).toBe('leader');
    expect(view.leaderId).toBe(2);
    expect(view.nodes[2]?.lastEvent?.kind).toBe('became-leader');
    expect(view.seq).toBe(stream.events.length - 1);
    expect(view.atNs).toBe(stream.events[stream.events.length - 1]?.atNs);
  });

  it('a crashed leader is no longer the cluster leader, and its messages in flight are forgotten', () => {
    const stream = new EventStream().startCluster(3, 1);
    stream.send('a', appendEntries(1, 2, 1));
    stream.send('b', appendEntries(3, 2, 1));
    stream.status(1, 'crashed', 'SIGKILL');
    const view = applyEvents(empty(), stream.events).view;
    expect(view.nodes[1]?.status).toBe('crashed');
    expect(view.nodes[1]?.pid).toBeNull();
    expect(view.leaderId).toBeNull();
    expect(view.inFlight.map((m) => m.id)).toEqual(['b']);
  });

  it('node-state copies the volatile state, progress and election deadline', () => {
    const stream = new EventStream();
    stream.state(1, { role: 'leader', term: 4, votedFor: 1, leaderId: 1, commitIndex: 3, lastApplied: 2, lastLogIndex: 5,
      lastLogTerm: 4, electionDeadlineNs: null, progress: { 2: { nextIndex: 6, matchIndex: 5 } } });
    stream.state(2, { term: 4, electionDeadlineNs: 123 });
    const view = applyEvents(empty(), stream.events).view;
    expect(view.nodes[1]).toMatchObject({ role: 'leader', term: 4, commitIndex: 3, lastApplied: 2, lastLogIndex: 5, lastLogTerm: 4 });
    expect(view.nodes[1]?.progress?.[2]).toEqual({ nextIndex: 6, matchIndex: 5 });
    expect(view.nodes[2]?.electionDeadlineNs).toBe(123);
  });

  it('log-write replaces every entry from entries[0].index on (Figure 2, AppendEntries receiver step 3)', () => {
    const stream = new EventStream();
    stream.write(1, [{ index: 1, term: 1, command: null }, { index: 2, term: 1, command: 'a' }, { index: 3, term: 1, command: 'b' }]);
    stream.write(1, [{ index: 2, term: 2, command: 'c' }]);
    const view = applyEvents(empty(), stream.events).view;
    expect(view.nodes[1]?.log).toEqual([{ index: 1, term: 1, command: null }, { index: 2, term: 2, command: 'c' }]);
    expect(view.nodes[1]?.lastLogIndex).toBe(2);
    expect(view.nodes[1]?.lastLogTerm).toBe(2);
  });

  it('keeps only the newest log entries of a long log', () => {
    const stream = new EventStream();
    for (let start = 1; start < MAX_VIEW_LOG_ENTRIES + 500; start += 100) {
      stream.write(1, Array.from({ length: 100 }, (_, i) => ({ index: start + i, term: 1, command: null })));
    }
    const log = applyEvents(empty(), stream.events).view.nodes[1]?.log ?? [];
    expect(log).toHaveLength(MAX_VIEW_LOG_ENTRIES);
    const newest = MAX_VIEW_LOG_ENTRIES + 500;
    expect(log[log.length - 1]?.index).toBe(newest);
    expect(log[0]?.index).toBe(newest - MAX_VIEW_LOG_ENTRIES + 1);
  });
});

describe('reducer: KV state derived from the applied prefix', () => {
  function kvAfter(commands: (string | null)[], lastApplied = commands.length): Record<string, string> {
    const stream = new EventStream();
    stream.write(1, commands.map((command, i) => ({ index: i + 1, term: 1, command })));
    stream.state(1, { lastApplied, commitIndex: lastApplied, lastLogIndex: commands.length });
    return { ...applyEvents(empty(), stream.events).view.nodes[1]?.kv };
  }

  it('applies put and delete, skipping no-ops', () => {
    expect(kvAfter([null, kvCommand('c1', 1, 'put', 'x', { value: '1' }), kvCommand('c1', 2, 'put', 'y', { value: '2' }),
      kvCommand('c1', 3, 'delete', 'x')])).toEqual({ y: '2' });
  });

  it('applies only the applied prefix, not what is merely in the log', () => {
    expect(kvAfter([kvCommand('c1', 1, 'put', 'x', { value: '1' }), kvCommand('c1', 2, 'put', 'x', { value: '2' })], 1))
      .toEqual({ x: '1' });
  });

  it('applies cas only when `from` equals the current value; an absent key never matches', () => {
    expect(kvAfter([
      kvCommand('c1', 1, 'cas', 'x', { from: '', to: 'a' }),
      kvCommand('c1', 2, 'put', 'x', { value: '1' }),
      kvCommand('c1', 3, 'cas', 'x', { from: '2', to: 'no' }),
      kvCommand('c1', 4, 'cas', 'x', { from: '1', to: 'yes' }),
    ])).toEqual({ x: 'yes' });
  });

  it('skips a retried command whose seq is not above the client last applied seq (§6.3 sessions)', () => {
    expect(kvAfter([
      kvCommand('c1', 1, 'put', 'x', { value: '1' }),
      kvCommand('c1', 2, 'put', 'x', { value: '2' }),
      kvCommand('c1', 2, 'put', 'x', { value: 'dup' }),
      kvCommand('c1', 1, 'put', 'x', { value: 'stale' }),
      kvCommand('c2', 1, 'put', 'y', { value: 'other client' }),
    ])).toEqual({ x: '2', y: 'other client' });
  });

  it('ignores malformed commands instead of throwing', () => {
    expect(kvAfter(['{not json', '"a string"', '[]', JSON.stringify({ op: 'put', key: 'x' }),
      JSON.stringify({ clientId: 'c', seq: 0, op: 'put', key: 'x', value: '1' }),
      JSON.stringify({ clientId: 'c', seq: 1, op: 'explode', key: 'x' }),
      kvCommand('c1', 1, 'put', 'ok', { value: 'yes' })])).toEqual({ ok: 'yes' });
  });

  it('catches up when log entries arrive after lastApplied moved, and rebuilds after a restart', () => {
    const stream = new EventStream();
    stream.state(1, { lastApplied: 2, commitIndex: 2 });
    stream.write(1, [{ index: 1, term: 1, command: kvCommand('c1', 1, 'put', 'x', { value: '1' }) },
      { index: 2, term: 1, command: kvCommand('c1', 2, 'put', 'y', { value: '2' }) }]);
    const caughtUp = applyEvents(empty(), stream.events);
    expect(caughtUp.view.nodes[1]?.kv).toEqual({ x: '1', y: '2' });
    stream.state(1, { lastApplied: 0 });
    const restarted = applyEvents(caughtUp, stream.events.slice(-1));
    expect(restarted.view.nodes[1]?.kv).toEqual({});
    stream.state(1, { lastApplied: 1 });
    expect(applyEvents(restarted, stream.events.slice(-1)).view.nodes[1]?.kv).toEqual({ x: '1' });
  });

  it('a wiped node loses its log and state', () => {
    const stream = new EventStream();
    stream.write(1, [{ index: 1, term: 1, command: kvCommand('c1', 1, 'put', 'x', { value: '1' }) }]);
    stream.state(1, { lastApplied: 1, lastLogIndex: 1 });
    stream.fault('wipe', [1], 'wiped S1');
    const node = applyEvents(empty(), stream.events).view.nodes[1];
    expect(node?.log).toEqual([]);
    expect(node?.kv).toEqual({});
  });
});

describe('reducer: membership changes', () => {
  it('a server knows itself a learner from its own configuration, a voter once promoted, and leaves at its removal', () => {
    const stream = new EventStream();
    stream.state(4, { config: { voters: [1, 2, 3], learners: [4], outgoing: [] } });
    const joined = applyEvents(empty(), stream.events);
    expect(joined.view.nodes[4]?.learner).toBe(true);
    stream.state(4, { config: { voters: [1, 2, 3, 4], learners: [], outgoing: [] } });
    const promoted = applyEvents(empty(), stream.events);
    expect(promoted.view.nodes[4]?.learner).toBe(false);
    expect(promoted.view.nodes[4]?.config?.voters).toEqual([1, 2, 3, 4]);
    stream.status(4, 'stopped', 'left the cluster');
    stream.fault('remove-server', [4], 'S4 was removed');
    const removed = applyEvents(empty(), stream.events);
    expect(removed.view.nodes[4]).toBeUndefined();
  });
});

describe('reducer: messages', () => {
  it('a send is in flight until its receive delivers it', () => {
    const stream = new EventStream();
    const message = appendEntries(1, 2, 1, [{ index: 1, term: 1 }]);
    const sent = stream.send('m1', message);
    const inFlight = applyEvents(empty(), stream.events);
    expect(inFlight.view.inFlight).toEqual([{ id: 'm1', message, sentAtNs: sent.atNs }]);
    const received = stream.receive('m1', message);
    const after = applyEvents(inFlight, [received]).view;
    expect(after.inFlight).toEqual([]);
    expect(after.recentOutcomes).toEqual([{ id: 'm1', message, sentAtNs: sent.atNs, endedAtNs: received.atNs,
      fate: 'delivered', dropReason: null }]);
  });

  it('a drop ends the message with its reason; a drop at the sender has no send', () => {
    const stream = new EventStream();
    const vote = requestVote(1, 3, 2);
    stream.send('v1', vote);
    stream.drop('v1', vote, 3, 'link blocked (partition, receiving side)');
    stream.drop('v2', requestVote(1, 2, 2), 1, 'link blocked (partition)');
    const view = applyEvents(empty(), stream.events).view;
    expect(view.inFlight).toEqual([]);
    expect(view.recentOutcomes.map((o) => [o.id, o.fate, o.dropReason])).toEqual([
      ['v1', 'dropped', 'link blocked (partition, receiving side)'], ['v2', 'dropped', 'link blocked (partition)']]);
  });

  it('a receive merged before its send does not leave the message in flight when the send comes', () => {
    const stream = new EventStream();
    const message = appendEntries(1, 2, 1);
    const received = stream.receive('late', message);
    stream.wait(1);
    const sent = stream.send('late', { ...message });
    const view = applyEvents(empty(), [received, { ...sent, atNs: received.atNs - 2e6 }]).view;
    expect(view.inFlight).toEqual([]);
    expect(view.recentOutcomes).toEqual([{ id: 'late', message, sentAtNs: received.atNs - 2e6, endedAtNs: received.atNs,
      fate: 'delivered', dropReason: null }]);
  });

  it('a message to a crashed node is not drawn in flight (it cannot arrive until the node restarts)', () => {
    const stream = new EventStream().startCluster(3, 1);
    stream.status(3, 'crashed');
    stream.send('to-dead', appendEntries(1, 3, 1));
    stream.send('to-live', appendEntries(1, 2, 1));
    expect(applyEvents(empty(), stream.events).view.inFlight.map((m) => m.id)).toEqual(['to-live']);
  });

  it('bounds messages in flight and recent outcomes', () => {
    const stream = new EventStream();
    for (let i = 0; i < MAX_IN_FLIGHT + 50; i += 1) stream.send(`s${i}`, appendEntries(1, 2, 1));
    for (let i = 0; i < MAX_RECENT_OUTCOMES + 50; i += 1) stream.receive(`r${i}`, appendEntries(1, 2, 1));
    const view = applyEvents(empty(), stream.events).view;
    expect(view.inFlight).toHaveLength(MAX_IN_FLIGHT);
    expect(view.inFlight[view.inFlight.length - 1]?.id).toBe(`s${MAX_IN_FLIGHT + 49}`);
    expect(view.recentOutcomes).toHaveLength(MAX_RECENT_OUTCOMES);
  });

  it('forgets a message still in flight after a minute (its receiver is gone)', () => {
    const stream = new EventStream();
    stream.send('old', appendEntries(1, 2, 1));
    stream.wait(61_000);
    stream.send('new', appendEntries(1, 2, 1));
    expect(applyEvents(empty(), stream.events).view.inFlight.map((m) => m.id)).toEqual(['new']);
  });
});

describe('reducer: lab events', () => {
  it('partition faults block links between the named nodes and the rest; heal clears them', () => {
    const stream = new EventStream().startCluster(3);
    stream.fault('partition', [3], 'S3 cut off from S1, S2');
    const parted = applyEvents(empty(), stream.events).view;
    expect([...parted.blockedLinks].map((l) => l.join('>')).sort()).toEqual(['1>3', '2>3', '3>1', '3>2']);
    expect(parted.recentFaults?.[0]).toMatchObject({ action: 'partition', nodes: [3], description: 'S3 cut off from S1, S2' });
    stream.fault('heal', [], 'healed');
    expect(applyEvents(empty(), stream.events).view.blockedLinks).toEqual([]);
  });

  it('a cluster starting again forgets the old nodes; errors and client operations are kept (bounded)', () => {
    const stream = new EventStream().startCluster(5);
    stream.add({ type: 'error', node: 2, message: 'disk full' });
    stream.add({ type: 'client-op', client: 0, op: 'get', key: 'x', status: 'ok', value: null, servedBy: 1, latencyMs: 1, callNs: 5 });
    stream.phase('stopping');
    stream.phase('stopped');
    const stopped = applyEvents(empty(), stream.events).view;
    expect(stopped.nodes).toEqual({});
    expect(stopped.phase).toBe('stopped');
    expect(stopped.recentErrors?.map((e) => e.message)).toEqual(['disk full']);
    expect(stopped.recentClientOps).toHaveLength(1);
  });

  it('starts from a snapshot, with node logs when known', () => {
    const node = { id: 1, status: 'running', pid: 9, peerEndpoint: null, role: 'leader', term: 2, votedFor: 1, leaderId: 1,
      commitIndex: 1, lastApplied: 1, lastLogIndex: 1 } as const;
    const model = modelFromSnapshot(snapshotOf({ phase: 'running', nodes: [node], nextSeq: 40, atNs: 77,
      blockedLinks: [[1, 2]] }), { 1: { log: [{ index: 1, term: 2, command: null }], kv: { x: '1' } } });
    expect(model.view.seq).toBe(39);
    expect(model.view.leaderId).toBe(1);
    expect(model.view.nodes[1]?.log).toHaveLength(1);
    expect(model.view.nodes[1]?.kv).toEqual({ x: '1' });
    expect(model.view.blockedLinks).toEqual([[1, 2]]);
  });
});
