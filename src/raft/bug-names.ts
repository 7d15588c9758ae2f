// The names of the planted bugs, in one list. The BugName type, the registry (planted-bugs.ts, keyed by it), the
// command line's and the files' validation all derive from it: a new bug is added here and nowhere else by name.

export const BUG_NAMES = [
  'commit-previous-term',
  'vote-not-persisted',
  'no-up-to-date-check',
  'ack-before-persist',
  'truncate-without-conflict',
  'stale-leader-reads',
  'no-step-down-on-higher-term',
  'double-vote',
  'config-change-before-own-term-commit',
  'two-pending-config-changes',
  'config-applied-on-commit',
  'apply-before-durable',
] as const;

/** Names of the deliberate mistakes a lab configuration may switch on. See planted-bugs.ts for what each breaks. */
export type BugName = (typeof BUG_NAMES)[number];

export function isBugName(name: string): name is BugName {
  return (BUG_NAMES as readonly string[]).includes(name);
}
