// Validation of planted-bug names coming from untyped places (harness options, the command line).

import type { BugName } from '../raft/types';

export const KNOWN_BUGS = [
  'commit-previous-term',
  'vote-not-persisted',
  'no-up-to-date-check',
  'ack-before-persist',
  'truncate-without-conflict',
  'stale-leader-reads',
  'no-step-down-on-higher-term',
  'double-vote',
] as const satisfies readonly BugName[];

// Compile-time proof that the list above names every BugName: this line stops compiling if one is missing.
const everyBugListed: Record<Exclude<BugName, (typeof KNOWN_BUGS)[number]>, never> = {};
void everyBugListed;

export function isBugName(name: string): name is BugName {
  return (KNOWN_BUGS as readonly string[]).includes(name);
}

/** Throws, listing the known names, if any name is unknown. */
export function parseBugNames(names: readonly string[]): BugName[] {
  const unknown = names.filter((name) => !isBugName(name));
  if (unknown.length > 0) {
    throw new Error(`unknown planted bug${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; known bugs: ${KNOWN_BUGS.join(', ')}`);
  }
  return [...new Set(names)] as BugName[];
}
