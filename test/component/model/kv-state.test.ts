// A node that restored a snapshot reports its whole KV (kv-state): the view takes exactly that state as of the
// event's index and folds the entries applied after it on top, live, when scrubbing, and in a saved session.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/protocol/lab-api';
import { applyEvents } from '../../../renderer/src/model/reducer';
import { emptyModel } from '../../../renderer/src/model/model-state';
import { LabHistory } from '../../../renderer/src/model/lab-history';
import { historyFromSession, sessionFromHistory } from '../../../renderer/src/session/session-build';
import { parseSession, serializeSession } from '../../../renderer/src/session/session-format';
import { EventStream, kvCommand } from './event-builders';

const empty = () => emptyModel(DEFAULT_SETTINGS, 0);
const put = (index: number, key: string, value: string) =>
  ({ index, term: 2, command: kvCommand('c1', index, 'put', key, { value }) });
const del = (index: number, key: string) => ({ index, term: 2, command: kvCommand('c1', index, 'delete', key) });

/** S2 applied 1..2 itself, then installed a snapshot up to 100 and applied 101..102 after it. */
function catchUpBySnapshot(): { stream: EventStream; kvStateSeq: number } {
  const stream = new EventStream().startCluster(3, 1);
  stream.write(2, [put(1, 'old', 'x'), put(2, 'a', 'stale')]);
  stream.state(2, { term: 2, commitIndex: 2, lastApplied: 2, lastLogIndex: 2, lastLogTerm: 2 });
  stream.raft(2, 'snapshot-installed', 2);
  stream.state(2, { term: 2, commitIndex: 100, lastApplied: 100, lastLogIndex: 100, lastLogTerm: 2, snapshotIndex: 100, snapshotTerm: 2 });
  const kvStateSeq = stream.add({ type: 'kv-state', node: 2, index: 100, entries: [['a', '1'], ['b', '2']], tooLarge: false }).seq;
  stream.write(2, [put(101, 'c', '3'), del(102, 'a')]);
  stream.state(2, { term: 2, commitIndex: 102, lastApplied: 102, lastLogIndex: 102, lastLogTerm: 2, snapshotIndex: 100, snapshotTerm: 2 });
  return { stream, kvStateSeq };
}

describe('reducer: kv-state', () => {
  it('replaces the derived KV with the restored state, then applies later entries on top', () => {
    const { stream } = catchUpBySnapshot();
    expect(applyEvents(empty(), stream.events).view.nodes[2]?.kv).toEqual({ b: '2', c: '3' });
  });

  it('scrubbing shows the KV before the restore, at it, and after it (same as a fresh replay)', () => {
    const { stream, kvStateSeq } = catchUpBySnapshot();
    const history = new LabHistory(empty(), { checkpointEvery: 3 });
    history.append(stream.events);
    expect(history.stateAt(kvStateSeq - 1).nodes[2]?.kv).toEqual({ old: 'x', a: 'stale' });
    expect(history.stateAt(kvStateSeq).nodes[2]?.kv).toEqual({ a: '1', b: '2' });
    expect(history.stateAt(kvStateSeq + 1).nodes[2]?.kv).toEqual({ a: '1', b: '2' }); // written, not yet applied
    expect(history.live.nodes[2]?.kv).toEqual({ b: '2', c: '3' });
    const replayed = historyFromSession(parseSession(serializeSession(sessionFromHistory(history, new Date()))));
    for (const seq of [kvStateSeq - 1, kvStateSeq, stream.events.length - 1]) expect(replayed.stateAt(seq)).toEqual(history.stateAt(seq));
  });

  it('shows the state at once when the kv-state comes before the node-state that moves lastApplied', () => {
    const stream = new EventStream().startCluster(3, 1);
    stream.write(2, [put(1, 'old', 'x')]);
    stream.state(2, { term: 2, commitIndex: 1, lastApplied: 1, lastLogIndex: 1, lastLogTerm: 2 });
    stream.add({ type: 'kv-state', node: 2, index: 50, entries: [['k', 'v']], tooLarge: false });
    const node = applyEvents(empty(), stream.events).view.nodes[2];
    expect(node?.kv).toEqual({ k: 'v' });
    expect(node?.lastApplied).toBe(50);
  });

  it('a node restarted from its snapshot keeps that state while it re-applies its log, then goes on', () => {
    const { stream } = catchUpBySnapshot();
    stream.status(2, 'crashed', 'SIGKILL');
    stream.status(2, 'running');
    // The restarted process reports its recovered log (after the snapshot), then its snapshot's state.
    stream.write(2, [put(101, 'c', '3'), del(102, 'a')]);
    stream.add({ type: 'kv-state', node: 2, index: 100, entries: [['a', '1'], ['b', '2']], tooLarge: false });
    stream.state(2, { term: 2, commitIndex: 100, lastApplied: 100, lastLogIndex: 102, lastLogTerm: 2, snapshotIndex: 100, snapshotTerm: 2 });
    expect(applyEvents(empty(), stream.events).view.nodes[2]?.kv).toEqual({ b: '2', c: '3' });
    stream.state(2, { term: 2, commitIndex: 102, lastApplied: 102, lastLogIndex: 102, lastLogTerm: 2, snapshotIndex: 100, snapshotTerm: 2 });
    stream.write(2, [put(103, 'd', '4')]);
    stream.state(2, { term: 2, commitIndex: 103, lastApplied: 103, lastLogIndex: 103, lastLogTerm: 2, snapshotIndex: 100, snapshotTerm: 2 });
    expect(applyEvents(empty(), stream.events).view.nodes[2]?.kv).toEqual({ b: '2', c: '3', d: '4' });
  });

  it('too large to send: marks the node, keeps only later changes, and a full state or a wipe clears the mark', () => {
    const stream = new EventStream().startCluster(3, 1);
    stream.write(2, [put(1, 'old', 'x')]);
    stream.state(2, { term: 2, commitIndex: 1, lastApplied: 1, lastLogIndex: 1, lastLogTerm: 2 });
    stream.add({ type: 'kv-state', node: 2, index: 100, entries: null, tooLarge: true });
    stream.write(2, [put(101, 'c', '3')]);
    stream.state(2, { term: 2, commitIndex: 101, lastApplied: 101, lastLogIndex: 101, lastLogTerm: 2 });
    let node = applyEvents(empty(), stream.events).view.nodes[2];
    expect(node?.kvTooLargeAt).toBe(100);
    expect(node?.kv).toEqual({ c: '3' });
    stream.add({ type: 'kv-state', node: 2, index: 101, entries: [['c', '3'], ['z', '9']], tooLarge: false });
    node = applyEvents(empty(), stream.events).view.nodes[2];
    expect(node?.kvTooLargeAt).toBeUndefined();
    expect(node?.kv).toEqual({ c: '3', z: '9' });
    stream.add({ type: 'kv-state', node: 2, index: 101, entries: null, tooLarge: true });
    stream.fault('wipe', [2], 'wiped S2');
    expect(applyEvents(empty(), stream.events).view.nodes[2]?.kvTooLargeAt).toBeUndefined();
  });
});
