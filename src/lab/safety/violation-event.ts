// A violation as the lab publishes it: the property, the servers, terms and indices involved, the checker's sentence,
// and the planted bug that explains it. The checker (src/check) states its finding in one sentence that names servers
// as "S<n>", terms as "term <n>" and indices as "index <n>": the lists are read from that sentence, so that every
// check keeps a single place where it describes what broke.
import { INVARIANT_STATEMENTS, type InvariantViolation } from '../../check/invariants';
import type { UnsequencedLabEvent } from '../../protocol/events';
import type { BugName, NodeId } from '../../raft/types';
import { explainingBug } from './explaining-bug';

export type ViolationEvent = Extract<UnsequencedLabEvent, { type: 'violation' }>;

const MAX_LISTED = 64;
const MAX_NODE_ID = 25;

export function violationEvent(violation: InvariantViolation, atNs: number, bugs: readonly BugName[]): ViolationEvent {
  const detail = violation.detail;
  const nodes = numbersAfter(detail, /\bS(\d{1,2})\b/g).filter((id) => id >= 1 && id <= MAX_NODE_ID) as NodeId[];
  const terms = numbersAfter(detail, /\bterms? (\d+)/g);
  const indices = [...(violation.index === null ? [] : [violation.index]), ...numbersAfter(detail, /\bindex (\d+)/g)];
  return {
    type: 'violation', atNs, invariant: violation.invariant, statement: INVARIANT_STATEMENTS[violation.invariant],
    nodes: distinct(nodes), terms: distinct(terms), indices: distinct(indices), detail: detail.slice(0, 2048),
    bug: explainingBug(violation.invariant, bugs),
  };
}

function numbersAfter(text: string, pattern: RegExp): number[] {
  return [...text.matchAll(pattern)].map((match) => Number(match[1]));
}

function distinct(values: readonly number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b).slice(0, MAX_LISTED);
}
