// The invariant checker on hand-made states: each property fires on a state that breaks it, with a report that
// names the seed, the time, the property and the logs around the breach; healthy histories pass.
import { describe, expect, it } from 'vitest';
import { InvariantChecker, type InvariantName, type InvariantViolation, type NodeSnapshot } from '../../../src/check/invariants';
import { expectViolation as expectSeededViolation } from '../../helpers/expect-violation';
import type { Entry, Role } from '../../../src/raft/types';

const SEED = 4242;

function e(index: number, term: number, command: string | null = `x${index}`): Entry {
  return { index, term, command };
}

function node(id: number, role: Role, term: number, commitIndex: number, log: readonly Entry[]): NodeSnapshot {
  return { id, role, term, commitIndex, lastLogIndex: log.length, snapshotIndex: 0, snapshotTerm: 0, log, writes: [] };
}

function checker(members = [1, 2, 3]): InvariantChecker {
  return new InvariantChecker({ members, seed: SEED, replayHint: 'npm run sim -- --seed 4242' });
}

/** Runs `breach`, expecting exactly `invariant` to fire; returns the violation. */
function expectViolation(invariant: InvariantName, breach: () => void): InvariantViolation {
  const violation = expectSeededViolation(invariant, SEED, breach);
  expect(violation.message).toContain('npm run sim -- --seed 4242');
  return violation;
}

/** Makes entries durable on the given nodes, as a synced disk would. */
function durable(c: InvariantChecker, ids: readonly number[], log: readonly Entry[], nowMs = 0): void {
  for (const id of ids) c.observeDurableLog(id, log, nowMs);
}

describe('invariant checker', () => {
  it('accepts a healthy history: election, replication, commit, apply, restart', () => {
    const c = checker();
    const log = [e(1, 1, null), e(2, 1, 'a')];
    c.observeNode(node(1, 'candidate', 1, 0, []), 1);
    c.observeVote(2, 1, 1, 2);
    c.observeVote(2, 1, 1, 3); // a duplicated reply for the same candidate is fine
    c.observeNode(node(1, 'leader', 1, 0, log), 4);
    durable(c, [1, 2], log, 4);
    c.observeNode(node(2, 'follower', 1, 0, log), 5);
    c.observeNode(node(1, 'leader', 1, 2, log), 6);
    c.observeApplied(1, log, 6);
    c.observeNode(node(2, 'follower', 1, 2, log), 7);
    c.observeApplied(2, log, 7);
    c.readStarted('r1', 8);
    c.readServed(1, 'r1', 2, 9);
    c.nodeCrashed(2, 10);
    c.nodeRestarted(2, 1, 11);
    c.observeNode(node(2, 'follower', 1, 0, log), 11);
    c.observeApplied(2, log.slice(0, 1), 12); // re-applies from the start after a restart
    expect(c.committedLength).toBe(2);
  });

  it('Election Safety: two leaders in one term', () => {
    const c = checker();
    c.observeNode(node(1, 'leader', 3, 0, []), 10);
    const violation = expectViolation('election-safety', () => c.observeNode(node(2, 'leader', 3, 0, []), 20));
    expect(violation.message).toContain('S1 and S2 were both leader in term 3');
    expect(violation.message).toContain('simulated time 20.000 ms');
  });

  it('Election Safety remembers leaders of past terms', () => {
    const c = checker();
    c.observeNode(node(1, 'leader', 3, 0, []), 10);
    c.observeNode(node(1, 'follower', 4, 0, []), 11);
    expectViolation('election-safety', () => c.observeNode(node(3, 'leader', 3, 0, []), 20));
  });

  it('Leader Append-Only: a leader overwrites an entry of its own log', () => {
    const c = checker();
    c.observeNode(node(1, 'leader', 2, 0, [e(1, 2, null), e(2, 2, 'a')]), 1);
    expectViolation('leader-append-only', () => c.observeNode(node(1, 'leader', 2, 0, [e(1, 2, null), e(2, 2, 'b')]), 2));
  });

  it('Leader Append-Only: a leader deletes entries (also through Persist-style writes)', () => {
    const c = checker();
    c.observeNode(node(1, 'leader', 2, 0, [e(1, 2, null), e(2, 2, 'a'), e(3, 2, 'b')]), 1);
    const writes = [[e(2, 2, 'a')]]; // rewrites index 2 and drops index 3
    expectViolation('leader-append-only', () =>
      c.observeNode({ id: 1, role: 'leader', term: 2, commitIndex: 0, lastLogIndex: 2, snapshotIndex: 0, snapshotTerm: 0, log: null, writes }, 2));
  });

  it('Log Matching: same index and term, different prefix', () => {
    const c = checker();
    c.observeNode(node(1, 'follower', 2, 0, [e(1, 1, 'a'), e(2, 2, 'b')]), 1);
    const violation = expectViolation('log-matching', () =>
      c.observeNode(node(2, 'follower', 2, 0, [e(1, 2, 'z'), e(2, 2, 'b')]), 2));
    expect(violation.index).toBe(2);
  });

  it('Log Matching: same index and term, different command', () => {
    const c = checker();
    c.observeNode(node(1, 'follower', 1, 0, [e(1, 1, 'a')]), 1);
    expectViolation('log-matching', () => c.observeNode(node(2, 'follower', 1, 0, [e(1, 1, 'b')]), 2));
  });

  it('log shape: terms decrease along a log', () => {
    const c = checker();
    expectViolation('log-well-formed', () => c.observeNode(node(1, 'follower', 3, 0, [e(1, 3), e(2, 2)]), 1));
  });

  it('log shape: an entry from a future term', () => {
    const c = checker();
    expectViolation('log-well-formed', () => c.observeNode(node(1, 'follower', 1, 0, [e(1, 2)]), 1));
  });

  it('Leader Completeness: a new leader lacks an entry committed in an earlier term', () => {
    const c = checker();
    const log = [e(1, 1, null), e(2, 1, 'a')];
    durable(c, [1, 2], log);
    c.observeNode(node(1, 'leader', 1, 0, log), 1);
    c.observeNode(node(1, 'leader', 1, 2, log), 2); // committed in term 1
    const violation = expectViolation('leader-completeness', () =>
      c.observeNode(node(3, 'leader', 2, 0, [e(1, 1, null), e(2, 2, null)]), 3));
    expect(violation.index).toBe(2);
    expect(violation.message).toContain('S3 is leader of term 2 but lacks entry (index 2, term 1, "a")');
  });

  it('Leader Completeness: an entry committed late in an old term must be in the sitting leader of a later term', () => {
    const c = checker();
    c.observeNode(node(3, 'leader', 5, 0, [e(1, 5, null)]), 1);
    durable(c, [1, 2], [e(1, 4, 'late')]);
    // A delayed acknowledgement lets the deposed leader of term 4 commit its entry now.
    expectViolation('leader-completeness', () => c.observeNode(node(1, 'leader', 4, 1, [e(1, 4, 'late')]), 2));
  });

  it('State Machine Safety: two nodes apply different commands at one index', () => {
    const c = checker();
    c.observeApplied(1, [e(1, 1, 'a')], 1);
    const violation = expectViolation('state-machine-safety', () => c.observeApplied(2, [e(1, 2, 'b')], 2));
    expect(violation.index).toBe(1);
  });

  it('State Machine Safety: two nodes commit different entries at one index', () => {
    const c = checker();
    durable(c, [1, 2], [e(1, 1, 'a')]);
    c.observeNode(node(1, 'follower', 1, 1, [e(1, 1, 'a')]), 1);
    expectViolation('state-machine-safety', () => c.observeNode(node(2, 'follower', 2, 1, [e(1, 2, 'b')]), 2));
  });

  it('State Machine Safety: entries applied out of order, or beyond commitIndex', () => {
    const c = checker();
    expectViolation('state-machine-safety', () => c.observeApplied(1, [e(2, 1, 'b')], 1));
    const d = checker();
    d.observeApplied(1, [e(1, 1, 'a')], 1);
    expectViolation('state-machine-safety', () => d.observeNode(node(1, 'follower', 1, 0, [e(1, 1, 'a')]), 2));
  });

  it('currentTerm never decreases', () => {
    const c = checker();
    c.observeNode(node(1, 'follower', 3, 0, []), 1);
    expectViolation('monotonic-term', () => c.observeNode(node(1, 'follower', 2, 0, []), 2));
  });

  it('a restarted node does not go below the term it persisted', () => {
    const c = checker();
    c.observeNode(node(1, 'follower', 3, 0, []), 1);
    c.nodeCrashed(1, 2);
    c.nodeRestarted(1, 5, 3);
    expectViolation('monotonic-term', () => c.observeNode(node(1, 'follower', 4, 0, []), 3));
  });

  it('commitIndex never decreases while a node runs, and never exceeds its log', () => {
    const c = checker();
    const log = [e(1, 1), e(2, 1)];
    durable(c, [1, 2], log);
    c.observeNode(node(1, 'follower', 1, 2, log), 1);
    expectViolation('monotonic-commit', () => c.observeNode(node(1, 'follower', 1, 1, log), 2));
    const d = checker();
    expectViolation('monotonic-commit', () => d.observeNode(node(1, 'follower', 1, 3, log), 1));
  });

  it('commitIndex starts over after a restart (it is volatile state)', () => {
    const c = checker();
    const log = [e(1, 1)];
    durable(c, [1, 2], log);
    c.observeNode(node(1, 'follower', 1, 1, log), 1);
    c.nodeCrashed(1, 2);
    c.nodeRestarted(1, 1, 3);
    // Seen with commitIndex 0 after the restart: not a commit index going back.
    expect(() => c.observeNode(node(1, 'follower', 1, 0, log), 3)).not.toThrow();
  });

  it('committed entries stay durable on a majority', () => {
    const c = checker();
    const log = [e(1, 1, 'a')];
    durable(c, [1, 2], log);
    c.observeNode(node(1, 'leader', 1, 1, log), 1);
    // Node 2's disk loses the entry (a truncation synced to disk): only 1 of 3 durable copies remain.
    const violation = expectViolation('committed-entry-lost', () => c.observeDurableLog(2, [e(1, 2, 'b')], 2));
    expect(violation.message).toContain('only 1 of 3 durable logs hold it');
  });

  it('an entry committed before a majority has it on disk is not durable', () => {
    const c = checker();
    const log = [e(1, 1, 'a')];
    durable(c, [1], log);
    expectViolation('committed-entry-lost', () => c.observeNode(node(1, 'leader', 1, 1, log), 1));
  });

  it('a node keeps every entry up to its own commitIndex', () => {
    const c = checker();
    const log = [e(1, 1, 'a'), e(2, 1, 'b')];
    durable(c, [1, 2, 3], log);
    c.observeNode(node(1, 'follower', 1, 2, log), 1);
    expectViolation('committed-entry-lost', () =>
      c.observeNode({ id: 1, role: 'follower', term: 1, commitIndex: 2, lastLogIndex: 1, snapshotIndex: 0, snapshotTerm: 0, log: log.slice(0, 1), writes: [] }, 2));
  });

  it('one vote per term, even across a restart', () => {
    const c = checker();
    c.observeVote(1, 3, 2, 1);
    c.nodeCrashed(1, 2);
    c.nodeRestarted(1, 3, 3);
    const violation = expectViolation('one-vote-per-term', () => c.observeVote(1, 3, 3, 4));
    expect(violation.message).toContain('S1 granted its vote in term 3 to S2 and then to S3');
  });

  it('a candidate has voted for itself: granting another vote in its term is a second vote', () => {
    const c = checker();
    c.observeNode(node(2, 'candidate', 4, 0, []), 1);
    expectViolation('one-vote-per-term', () => c.observeVote(2, 4, 3, 2));
  });

  it('a ReadIndex read must not miss entries committed before it began', () => {
    const c = checker();
    const log = [e(1, 1, null), e(2, 1, 'a')];
    durable(c, [1, 2], log);
    c.observeNode(node(1, 'leader', 1, 2, log), 1);
    c.readStarted('r1', 2);
    const violation = expectViolation('stale-read', () => c.readServed(2, 'r1', 1, 3));
    expect(violation.message).toContain('S2 served read r1 at index 1');
  });

  it('the report shows every node\'s log around the breach index', () => {
    const c = checker();
    c.observeNode(node(1, 'follower', 2, 0, [e(1, 1, 'a'), e(2, 2, 'b')]), 1);
    c.nodeCrashed(3, 1);
    const violation = expectViolation('log-matching', () =>
      c.observeNode(node(2, 'follower', 2, 0, [e(1, 2, 'z'), e(2, 2, 'b')]), 2.5));
    const report = violation.message;
    expect(report).toContain('Invariant violated: Log Matching');
    expect(report).toContain('simulated time 2.500 ms');
    expect(report).toContain('logs around index 2');
    expect(report).toMatch(/S1 follower t2 commit=0\n\s+memory\s+1:t1:"a" 2:t2:"b"/);
    expect(report).toMatch(/S3 crashed/);
  });

  describe('membership changes (dissertation ch. 4)', () => {
    const grown = { voters: [1, 2, 3, 4, 5], learners: [], outgoing: [] };
    const cfg = (index: number, term: number, config = grown): Entry => ({ index, term, command: null, config });

    it('Election Safety covers added servers: one leader per term across configurations', () => {
      const c = checker();
      c.addMember(4);
      c.observeNode(node(1, 'leader', 3, 0, []), 10);
      expectViolation('election-safety', () => c.observeNode(node(4, 'leader', 3, 0, []), 20));
    });

    it('durability counts the voters of a newer configuration too: a commit by a majority of {1..5} is not a false alarm', () => {
      const c = checker();
      c.addMember(4);
      c.addMember(5);
      // The leader appended C_new = {1..5} (in effect at once) and committed the next entry on S1, S4, S5:
      // a majority of C_new, though only one of C_old = {1, 2, 3}.
      const log = [e(1, 1, null), cfg(2, 1), e(3, 1, 'a')];
      c.observeNode(node(1, 'leader', 1, 0, log), 1);
      durable(c, [1, 4, 5], log, 2);
      c.observeNode(node(1, 'leader', 1, 3, log), 3);
      expect(c.committedLength).toBe(3);
    });

    it('a committed configuration that a later leader lacks is reported as lost', () => {
      const c = checker();
      const log = [e(1, 1, null), cfg(2, 1, { voters: [1, 2], learners: [], outgoing: [] })];
      c.observeNode(node(1, 'leader', 1, 0, log), 1);
      durable(c, [1, 2], log, 2);
      c.observeNode(node(1, 'leader', 1, 2, log), 3);
      const violation = expectViolation('committed-configuration-lost', () => c.observeNode(node(3, 'leader', 2, 0, [e(1, 1, null)]), 4));
      expect(violation.message).toContain('configuration: voters S1,S2');
    });
  });
});

