// The invariant checker with log compaction (§7): a snapshot stands for the committed prefix it replaced, so Log
// Matching, Leader Completeness, State Machine Safety and "committed entries are never lost" compare logs where both
// still hold entries and use a snapshot's (last index, last term) as an entry; restored state machines are
// compared with the committed log through their digest.
import { describe, expect, it } from 'vitest';
import { InvariantChecker, prefixHashOfLog, type InvariantName, type NodeSnapshot } from '../../../src/check/invariants';
import { expectViolation as expectSeededViolation } from '../../helpers/expect-violation';
import type { Entry, Role } from '../../../src/raft/types';

const SEED = 99;

function e(index: number, term: number, command: string | null = `x${index}`): Entry {
  return { index, term, command };
}

/** A node whose log is compacted through `snapshot` (index, term), holding `after` in memory. */
function node(id: number, role: Role, term: number, commitIndex: number, snapshot: [number, number], after: readonly Entry[] | null, lastLogIndex?: number): NodeSnapshot {
  return {
    id, role, term, commitIndex, snapshotIndex: snapshot[0], snapshotTerm: snapshot[1],
    lastLogIndex: lastLogIndex ?? snapshot[0] + (after?.length ?? 0), log: after, writes: [],
  };
}

function expectViolation(invariant: InvariantName, breach: () => void): string {
  return expectSeededViolation(invariant, SEED, breach).message;
}

const LOG = [e(1, 1, null), e(2, 1), e(3, 1), e(4, 1), e(5, 1)];

/** Three nodes that all hold and committed LOG (durably), S1 leading term 1. */
function committedCluster(): InvariantChecker {
  const c = new InvariantChecker({ members: [1, 2, 3], seed: SEED });
  for (const id of [1, 2, 3]) c.observeDurableLog(id, LOG, 0);
  c.observeNode(node(1, 'leader', 1, 5, [0, 0], LOG), 1);
  c.observeApplied(1, LOG, 1);
  c.observeNode(node(2, 'follower', 1, 5, [0, 0], LOG), 1);
  c.observeNode(node(3, 'follower', 1, 0, [0, 0], LOG), 1);
  return c;
}

describe('invariant checker with snapshots', () => {
  it('accepts compaction, an installed snapshot that discards a log, a restart from a snapshot, and durable snapshots', () => {
    const c = committedCluster();
    // S1 compacts through 3: nothing changes but the snapshot index (the log is then shown by its writes only).
    c.observeNode({ ...node(1, 'leader', 1, 5, [3, 1], null, 5) }, 2);
    c.observeDurableLog(1, LOG.slice(3), 2, 3, 1);
    // S3 installs S1's snapshot through 4 (its log is kept: same term at 4) and restores its state machine.
    c.observeSnapshotApplied(3, 4, 1, prefixHashOfLog(LOG.slice(0, 4)), 3);
    c.observeNode(node(3, 'follower', 1, 4, [4, 1], LOG.slice(4)), 3);
    c.observeApplied(3, [e(5, 1)], 3);
    c.observeDurableLog(3, [], 3, 4, 1); // its disk: snapshot through 4, suffix not yet rewritten
    // Two durable snapshots/logs still hold every committed entry: no committed-entry-lost.
    c.observeDurableLog(3, LOG.slice(4), 4, 4, 1);
    // S2 crashes and restarts from a snapshot through 5 with an empty log.
    c.nodeCrashed(2, 5);
    c.nodeRestarted(2, 1, 6);
    c.observeSnapshotApplied(2, 5, 1, prefixHashOfLog(LOG), 6);
    c.observeNode(node(2, 'follower', 1, 5, [5, 1], []), 6);
    // A new leader of term 2 that compacted through 5 still holds every committed entry (Leader Completeness).
    c.observeNode(node(2, 'candidate', 2, 5, [5, 1], null), 7);
    c.observeVote(3, 2, 2, 7);
    c.observeNode({ ...node(2, 'leader', 2, 5, [5, 1], null, 6), writes: [[e(6, 2, null)]] }, 8);
    expect(c.committedLength).toBe(5);
  });

  it('State Machine Safety: a snapshot may only cover committed entries (§7)', () => {
    const c = committedCluster();
    const report = expectViolation('state-machine-safety', () => c.observeSnapshotApplied(3, 6, 1, 0, 2));
    expect(report).toMatch(/covers index 6, but only 5 entries are known to be committed/);
  });

  it('Log Matching: a snapshot\'s last (index, term) must be the committed entry\'s', () => {
    const c = committedCluster();
    const report = expectViolation('log-matching', () => c.observeNode(node(2, 'follower', 2, 5, [4, 2], LOG.slice(4)), 2));
    expect(report).toMatch(/ends at index 4 with term 2, but entry \(index 4, term 1/);
  });

  it('State Machine Safety: a restored state machine must be the state after the committed entries it covers', () => {
    const c = committedCluster();
    const wrong = prefixHashOfLog([e(1, 1, null), e(2, 1), e(3, 1), e(4, 1, 'other')]);
    const report = expectViolation('state-machine-safety', () => c.observeSnapshotApplied(3, 4, 1, wrong, 2));
    expect(report).toMatch(/restored a snapshot through index 4 whose state is not that of the committed entries 1\.\.4/);
  });

  it('State Machine Safety: a state machine never goes back to an older snapshot', () => {
    const c = committedCluster();
    const report = expectViolation('state-machine-safety', () => c.observeSnapshotApplied(1, 3, 1, prefixHashOfLog(LOG.slice(0, 3)), 2));
    expect(report).toMatch(/after applying up to 5: its state machine went backwards/);
  });

  it('after a snapshot, a log that disagrees with the committed log above the snapshot is still caught', () => {
    const c = committedCluster();
    const report = expectViolation('log-matching', () =>
      c.observeNode(node(3, 'follower', 1, 5, [3, 1], [e(4, 1), e(5, 1, 'other')]), 2));
    expect(report).toMatch(/index 5 and term 1/);
  });

  it('committed entries never lost: a durable snapshot holds the prefix it covers, but not the entries after it', () => {
    const c = committedCluster();
    c.observeDurableLog(2, [], 2, 3, 1); // S2's disk: snapshot through 3 and nothing after (entries 4, 5 gone)
    const report = expectViolation('committed-entry-lost', () => c.observeDurableLog(3, [], 3, 3, 1));
    expect(report).toMatch(/at index 4 is committed but only 1 of 3 durable logs hold it/);
  });
});
