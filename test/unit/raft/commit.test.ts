// Commitment: Figure 2 (Leaders 4, AppendEntries receiver 5), §5.3, §5.4.2 and Figure 8; applying entries once.

import { describe, expect, it } from 'vitest';
import { Cluster, persisted } from './cluster';
import { appendReply, drain, entry, makeLeader, messagesOf, newNode } from './messages';

describe('Rules for Servers, Leaders 4: if there exists an N > commitIndex such that a majority of matchIndex[i] >= N, and log[N].term == currentTerm: set commitIndex = N', () => {
  it('A log entry is committed once the leader has replicated it on a majority of the servers (§5.3)', () => {
    const node = makeLeader(null, { members: [1, 2, 3, 4, 5] });
    drain(node);
    node.propose('a');
    drain(node);
    node.step(appendReply(2, 1, 1, true, 2));
    expect(node.status().commitIndex).toBe(0);
    node.step(appendReply(4, 1, 1, true, 2));
    expect(node.status().commitIndex).toBe(2);
    const ready = drain(node);
    expect(ready.committedEntries).toEqual([entry(1, 1, null), entry(2, 1, 'a')]);
    const committed = ready.events.find((e) => e.kind === 'commit-advanced');
    expect(committed?.rule).toBe('Figure 2 · Rules for Servers · Leaders 4 (§5.4.2)');
    expect(committed?.data).toMatchObject({ replicatedOn: 'S1, S2, S4', firstIndex: 1, commitIndex: 2 });
    // The leader's own copy counts as soon as it is appended, before its disk write completes: the reason says so.
    expect(committed?.reason).toBe('committed entries 1..2: entry 2 (term 1) is stored on a majority (3 of 5): S2, S4 and the leader S1, ' +
      'whose own copy counts once appended (its disk write may still be pending; nothing is applied before it is durable); ' +
      'its term is the current term; next, they are applied in log order (All Servers 1)');
  });

  it('One entry committed reads "entry N"; a single server is a majority alone', () => {
    const node = makeLeader(null, { members: [1] });
    expect(drain(node).events.find((e) => e.kind === 'commit-advanced')?.reason).toBe('committed entry 1: entry 1 (term 1) is stored on ' +
      'a majority (1 of 1): the leader S1 alone, whose own copy counts once appended (its disk write may still be pending; nothing ' +
      'is applied before it is durable); its term is the current term; next, it is applied in log order (All Servers 1)');
  });

  it('Figure 8: a leader never commits an entry from a previous term by counting replicas; it commits indirectly with one of its own term', () => {
    // S1 leads term 4 with log [1, 2]; entry 2 (term 2) is old. One entry per message, so it is replicated alone.
    const node = makeLeader(persisted(3, null, [1, 2]), { maxEntriesPerMessage: 1 });
    expect(node.status().term).toBe(4);
    drain(node);
    node.step(appendReply(2, 1, 4, true, 2)); // a majority (S1, S2) now stores entry 2 of term 2
    expect(node.status().commitIndex).toBe(0);
    expect(drain(node).events.some((e) => e.kind === 'commit-advanced')).toBe(false);
    node.step(appendReply(2, 1, 4, true, 3)); // the no-op of term 4 reaches the majority
    expect(node.status().commitIndex).toBe(3);
    const ready = drain(node);
    expect(ready.committedEntries.map((e) => [e.index, e.term])).toEqual([[1, 1], [2, 2], [3, 4]]);
    const reason = ready.events.find((e) => e.kind === 'commit-advanced')?.reason;
    expect(reason).toContain('committed entries 1..3: entry 3 (term 4) is stored on a majority (2 of 3)');
    expect(reason).toContain('its term is the current term; entries 1..2 of earlier terms commit with it (§5.4.2)');
  });

  it('commitIndex on the leader never decreases, even when a follower restarts with a shorter matchIndex report', () => {
    const node = makeLeader();
    drain(node);
    node.step(appendReply(2, 1, 1, true, 1));
    expect(node.status().commitIndex).toBe(1);
    node.step(appendReply(2, 1, 1, true, 0));
    expect(node.status().commitIndex).toBe(1);
  });
});

describe('Applying committed entries', () => {
  it('Each committed entry is handed out in Ready.committedEntries exactly once, in index order', () => {
    const c = new Cluster();
    c.electLeader();
    for (let i = 0; i < 20; i++) {
      c.node(1).propose(`v${i}`);
      if (i % 3 === 0) c.run(7);
    }
    c.run(200);
    for (const id of [1, 2, 3]) {
      const applied = c.applied.get(id) ?? [];
      expect(applied.map((e) => e.index)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      expect(c.node(id).status().lastApplied).toBe(21);
    }
  });

  it('On restart commitIndex = lastApplied = 0, and entries are handed out again as the commit index is learned', () => {
    const c = new Cluster();
    c.electLeader();
    c.node(1).propose('a');
    c.run(100);
    c.restart(2);
    expect(c.node(2).status()).toMatchObject({ commitIndex: 0, lastApplied: 0, lastLogIndex: 2, term: 1 });
    c.run(100);
    expect(c.applied.get(2)?.map((e) => e.command)).toEqual([null, 'a']);
  });

  it('A follower hands out entries it has not stored before only with the Ready that persists them', () => {
    const node = newNode(2);
    node.step({ type: 'AppendEntries', from: 1, to: 2, term: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [entry(1, 1)], leaderCommit: 1, readRound: 0 });
    const ready = node.ready();
    expect(ready.persist.entries).toEqual([entry(1, 1)]);
    expect(ready.persist.mustSync).toBe(true);
    expect(ready.committedEntries).toEqual([entry(1, 1)]);
    expect(messagesOf(ready, 'AppendEntriesReply')[0]).toMatchObject({ success: true, matchIndex: 1 });
  });

  it('mustSync is false when there is nothing to persist', () => {
    const node = makeLeader();
    drain(node);
    node.tick(node.nextDeadlineMs());
    expect(node.ready().persist).toEqual({ hardState: null, snapshot: null, entries: [], mustSync: false });
  });
});
