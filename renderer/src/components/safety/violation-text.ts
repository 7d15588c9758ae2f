// A safety violation in words for the banner: who, in which terms, at which indices.
import type { ViolationNote } from '../../model/lab-view';

function listed(prefix: string, values: readonly number[], plural: string, singular: string): string | null {
  if (values.length === 0) return null;
  return values.length === 1 ? `${singular} ${prefix}${values[0]}` : `${plural} ${values.map((value) => `${prefix}${value}`).join(', ')}`;
}

/** "servers S1, S2 · term 4 · index 7" (the parts the violation names). */
export function violationScope(violation: ViolationNote): string {
  return [
    listed('S', violation.nodes, 'servers', 'server'),
    listed('', violation.terms, 'terms', 'term'),
    listed('', violation.indices, 'indices', 'index'),
  ].filter((part): part is string => part !== null).join(' · ');
}

/** Names of the properties whose statement does not start with one. */
const TITLES: Readonly<Record<string, string>> = {
  'one-vote-per-term': 'One vote per term',
  'monotonic-term': 'Terms never go back',
  'monotonic-commit': 'Commit index never goes back',
};

/** The property's name: the part of the statement before its colon ("Election Safety"), or its own. */
export function invariantTitle(violation: ViolationNote): string {
  const colon = violation.statement.indexOf(':');
  return colon > 0 ? violation.statement.slice(0, colon) : TITLES[violation.invariant] ?? violation.invariant;
}
