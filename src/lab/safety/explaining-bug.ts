// Which planted bug explains a violation: the invariants each bug breaks first (the simulator proves each of them
// in test/unit/sim/planted-bugs.test.ts), and then what follows from it (two leaders in one term write two different
// entries with one index and term; an overwritten committed entry is applied differently).
import type { InvariantName } from '../../check/invariants';
import type { BugName } from '../../raft/types';

const AFTER_TWO_LEADERS: readonly InvariantName[] = ['log-matching', 'leader-append-only', 'state-machine-safety', 'committed-entry-lost', 'leader-completeness'];
const AFTER_LOST_ENTRY: readonly InvariantName[] = ['log-matching', 'leader-completeness', 'state-machine-safety', 'committed-entry-lost'];

export const BUG_BREAKS: Readonly<Record<BugName, readonly InvariantName[]>> = {
  'double-vote': ['one-vote-per-term', 'election-safety', ...AFTER_TWO_LEADERS],
  'vote-not-persisted': ['one-vote-per-term', 'election-safety', ...AFTER_TWO_LEADERS],
  'commit-previous-term': [...AFTER_LOST_ENTRY],
  'no-up-to-date-check': [...AFTER_LOST_ENTRY],
  'ack-before-persist': [...AFTER_LOST_ENTRY],
  'truncate-without-conflict': [...AFTER_LOST_ENTRY],
  'stale-leader-reads': ['stale-read'],
  'no-step-down-on-higher-term': ['stale-read', 'election-safety', ...AFTER_TWO_LEADERS],
  // Disjoint majorities: a leader misses what the other side committed (or two lead one term).
  'config-change-before-own-term-commit': ['committed-configuration-lost', ...AFTER_LOST_ENTRY, 'election-safety', 'leader-append-only'],
  'two-pending-config-changes': ['committed-configuration-lost', ...AFTER_LOST_ENTRY, 'election-safety', 'leader-append-only'],
  'config-applied-on-commit': ['committed-configuration-lost', ...AFTER_LOST_ENTRY, 'election-safety', 'leader-append-only'],
  // A leader applies what only its own (unsynced) count committed; a crash then loses the entry from its disk.
  'apply-before-durable': ['state-machine-safety', ...AFTER_LOST_ENTRY],
};

/** The switched-on bug that explains `invariant` (the first listed one if several do), or null. */
export function explainingBug(invariant: string, bugs: readonly BugName[]): BugName | null {
  const explaining = bugs.filter((bug) => (BUG_BREAKS[bug] as readonly string[]).includes(invariant));
  if (explaining.length > 0) return explaining[0] as BugName;
  // Correct Raft breaks nothing: with a single bug on, whatever broke follows from it.
  return bugs.length === 1 ? (bugs[0] as BugName) : null;
}
