// The lab's mirror of a node's log when the node's log starts after a snapshot (§7): a node that compacts its own
// log keeps its mirror; one that installs a leader's snapshot (or restarts from one) gets a mirror that starts after
// it, and loses the entries the install dropped. (Pure, no processes: here because test/unit has no lab folder.)
import { describe, expect, it } from 'vitest';
import { NodeMirror } from '../../../src/lab/node-mirror';
import { CommittedLog } from '../../../src/lab/committed-log';
import type { NodeStateView } from '../../../src/protocol/events';
import type { LogEntryView } from '../../../src/protocol/lab-api';

const put = (key: string, value: string, seq: number): string => JSON.stringify({ clientId: 'c', seq, op: 'put', key, value });

function entries(first: number, last: number, term = 1): LogEntryView[] {
  return Array.from({ length: last - first + 1 }, (_, offset) => ({ index: first + offset, term, command: put(`k${(first + offset) % 3}`, `v${first + offset}`, first + offset) }));
}

function state(lastLogIndex: number, snapshotIndex: number, snapshotTerm = 1): NodeStateView {
  return { role: 'follower', term: 2, votedFor: null, leaderId: 1, commitIndex: lastLogIndex, lastApplied: lastLogIndex, lastLogIndex,
    lastLogTerm: 1, snapshotIndex, snapshotTerm, electionDeadlineNs: null, progress: null };
}

describe('NodeMirror with snapshots', () => {
  it('keeps its entries when the node compacts its own log (it stays complete)', () => {
    const mirror = new NodeMirror();
    mirror.writeEntries(entries(1, 30));
    mirror.setState(state(30, 20));
    expect(mirror.isComplete).toBe(true);
    expect(mirror.log()).toHaveLength(30);
    expect(mirror.kvState(30)).toEqual({ k0: 'v30', k1: 'v28', k2: 'v29' });
  });

  it('starts after an installed snapshot it has no entries up to', () => {
    const mirror = new NodeMirror();
    mirror.writeEntries(entries(1, 5));
    mirror.setState(state(50, 50));
    expect(mirror.isComplete).toBe(false);
    expect(mirror.log()).toEqual([]);
    mirror.writeEntries(entries(51, 53));
    expect(mirror.log().map((entry) => entry.index)).toEqual([51, 52, 53]);
    expect(mirror.kvState(53), 'cannot replay from index 1').toEqual({});
  });

  it('drops the entries an install discarded (they did not match the leader\'s), and only then', () => {
    const mirror = new NodeMirror();
    mirror.writeEntries(entries(1, 40, 1));
    mirror.setState(state(40, 0));
    mirror.setState(state(25, 25, 2)); // the leader's snapshot ends at 25 in term 2: our 26..40 are gone
    expect(mirror.log().map((entry) => entry.index).at(-1)).toBe(25);
    mirror.setState(state(20, 25, 2)); // same snapshot: a later report never cuts again
    expect(mirror.log()).toHaveLength(25);
  });

  it('a restart from a snapshot re-reports the log after it; the mirror truncates, then continues', () => {
    const mirror = new NodeMirror();
    mirror.writeEntries(entries(1, 12));
    mirror.truncateTo(12); // hello: recovered a log ending at 12 (snapshot at 10, entries 11..12)
    mirror.writeEntries(entries(11, 12));
    expect(mirror.isComplete).toBe(true);
    expect(mirror.log()).toHaveLength(12);
  });
});

describe('CommittedLog', () => {
  it('stitches the committed log from mirrors that each hold only part of it', () => {
    const leader = new NodeMirror();
    leader.writeEntries(entries(1, 10));
    const installed = new NodeMirror();
    installed.setState(state(12, 12)); // installed a snapshot at 12: its mirror starts at 13
    installed.writeEntries(entries(13, 20));
    const committed = new CommittedLog();
    committed.learn(installed, 20); // nothing yet: it lacks index 1
    expect(committed.lastIndex).toBe(0);
    committed.learn(leader, 8); // only what that node has committed
    expect(committed.lastIndex).toBe(8);
    committed.learn(installed, 20); // still lacks 9..12
    expect(committed.prefix(9)).toBeNull();
    leader.writeEntries(entries(9, 12));
    committed.learn(leader, 12);
    committed.learn(installed, 18);
    expect(committed.prefix(18)?.map((entry) => entry.index)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
    expect(committed.kvState(18)).toEqual({ k0: 'v18', k1: 'v16', k2: 'v17' });
    expect(committed.kvState(19), 'entry 19 is not known to be committed').toBeNull();
  });
});
