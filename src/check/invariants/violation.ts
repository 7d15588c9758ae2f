// The error every invariant breach throws. Its message is the whole report a student or a developer needs:
// which property broke, when, under which seed, and the logs of every node around the entry at stake.

export type InvariantName =
  | 'election-safety'
  | 'leader-append-only'
  | 'log-matching'
  | 'log-well-formed'
  | 'leader-completeness'
  | 'state-machine-safety'
  | 'monotonic-term'
  | 'monotonic-commit'
  | 'committed-entry-lost'
  | 'committed-configuration-lost'
  | 'one-vote-per-term'
  | 'stale-read';

/** The property as the Raft paper (Figure 3) or the lab states it. */
export const INVARIANT_STATEMENTS: Readonly<Record<InvariantName, string>> = {
  'election-safety': 'Election Safety: at most one leader can be elected in a given term (Figure 3)',
  'leader-append-only': 'Leader Append-Only: a leader never overwrites or deletes entries in its log (Figure 3)',
  'log-matching':
    'Log Matching: if two logs contain an entry with the same index and term, the logs are identical in all entries up through that index (Figure 3)',
  'log-well-formed': 'Log shape: indices run 1, 2, 3, ... and terms never decrease along a log (§5.3)',
  'leader-completeness':
    'Leader Completeness: if an entry is committed in a given term, it is present in the logs of the leaders of all higher terms (Figure 3)',
  'state-machine-safety':
    'State Machine Safety: if a server has applied a log entry at a given index, no other server ever applies a different entry for that index (Figure 3)',
  'monotonic-term': 'currentTerm never decreases, and a restarted server does not go below the term it persisted (Figure 2)',
  'monotonic-commit': 'commitIndex never decreases while a server runs, and never exceeds its log (Figure 2)',
  'committed-entry-lost':
    'Durability: a committed entry stays in the durable logs of a majority of servers, and in the log of every server that knows it committed (§5.4)',
  'committed-configuration-lost':
    'A committed configuration is never lost: every leader of a later term holds it, and no server replaces it (dissertation ch. 4)',
  'one-vote-per-term': 'A server votes for at most one candidate in a given term, even across a restart (Figure 2, votedFor)',
  'stale-read':
    'Linearizable reads: a ReadIndex read reflects every entry committed before the read began (dissertation §6.4)',
};

export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';

  constructor(
    readonly invariant: InvariantName,
    readonly seed: number,
    readonly timeMs: number,
    /** The log index at stake, when there is one. */
    readonly index: number | null,
    /** One sentence with the values that broke the property. */
    readonly detail: string,
    report: string,
  ) {
    super(report);
  }
}
