// Validation of planted-bug names coming from untyped places (harness options, the command line).

import { BUG_NAMES, isBugName, type BugName } from '../../raft/bug-names';

export { isBugName };

/** Every planted bug's name (the one list lives in src/raft/bug-names.ts). */
export const KNOWN_BUGS = BUG_NAMES;

/** Throws, listing the known names, if any name is unknown. */
export function parseBugNames(names: readonly string[]): BugName[] {
  const unknown = names.filter((name) => !isBugName(name));
  if (unknown.length > 0) {
    throw new Error(`unknown planted bug${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; known bugs: ${KNOWN_BUGS.join(', ')}`);
  }
  return [...new Set(names)] as BugName[];
}
