// Network faults the lab injects, applied per directed link inside each node's transport. A partition is not a
// special mechanism: it is a set of blocked directed links, which is what makes asymmetric partitions ("A hears
// B, B does not hear A") and bridges expressible with the same table.
// The checks here are a node's (no zod); the lab's schemas are link-faults-schema.ts, and the two agree
// (test/unit/protocol/hand-checks.test.ts).
import type { NodeId } from '../raft/types';
import { boolean, fail, finite, integer, list, object, record, type Check } from './check';
import { MAX_NODE_ID } from './validate';

/** Upper bound on an injected delay (before time scaling): beyond this a link is better modelled as blocked. */
export const MAX_INJECTED_DELAY_MS = 60_000;
/** Peers in one table's `blockedFrom`. */
export const MAX_BLOCKED_FROM = 64;

export interface LinkFaults {
  /** Probability that a frame is lost, drawn per frame. */
  dropProbability: number;
  /** Fixed extra latency; each frame is delayed by delayMs + uniform[0, jitterMs), times the time scale. */
  delayMs: number;
  /** Random extra latency; jitter larger than the gap between frames reorders them. */
  jitterMs: number;
  /** Probability that a frame is delivered twice (the copy has its own jitter, so it may overtake). */
  duplicateProbability: number;
  /** Nothing passes. Partitions are made of these. */
  blocked: boolean;
}

export const checkLinkFaults: Check<LinkFaults> = object<LinkFaults>({
  dropProbability: finite(0, 1),
  delayMs: finite(0, MAX_INJECTED_DELAY_MS),
  jitterMs: finite(0, MAX_INJECTED_DELAY_MS),
  duplicateProbability: finite(0, 1),
  blocked: boolean,
});

export const NO_LINK_FAULTS: Readonly<LinkFaults> = Object.freeze({
  dropProbability: 0,
  delayMs: 0,
  jitterMs: 0,
  duplicateProbability: 0,
  blocked: false,
});

/** The faults one node applies. Peers missing from `outbound` get NO_LINK_FAULTS. */
export interface FaultTable {
  /** Faults on this node's outgoing link to each peer. */
  outbound: Record<number, LinkFaults>;
  /** Peers whose frames this node discards on arrival (the receiving half of a blocked link). */
  blockedFrom: number[];
}

const nodeId = integer(1, MAX_NODE_ID);
const NUMERIC_KEY = /^-?\d+(?:\.\d+)?$/;

/** A record key that names a node: "2", and (as zod reads a numeric key) "02" or "2.0", stored as "2". */
export function nodeIdKey(name: string): string {
  if (!NUMERIC_KEY.test(name)) return fail(`expected a node id, got ${JSON.stringify(name)}`);
  return String(nodeId(Number(name)));
}

export const checkFaultTable: Check<FaultTable> = object<FaultTable>({
  outbound: record(nodeIdKey, checkLinkFaults),
  blockedFrom: list(nodeId, MAX_BLOCKED_FROM),
});

export const EMPTY_FAULT_TABLE: Readonly<FaultTable> = Object.freeze({ outbound: {}, blockedFrom: [] });

/** A directed link [from, to] on which nothing passes. */
export type BlockedLink = readonly [from: NodeId, to: NodeId];

/**
 * Cuts every link between nodes of different groups, both ways. Nodes of `allNodes` that appear in no group form
 * one more group together ("the rest"), so `[[1, 2]]` of 1..5 means {1,2} | {3,4,5}.
 * Throws if a node is listed twice or is not in `allNodes` (a caller bug, not a network condition).
 */
export function partitionToBlockedLinks(groups: readonly (readonly NodeId[])[], allNodes: readonly NodeId[]): BlockedLink[] {
  const groupOf = new Map<NodeId, number>();
  groups.forEach((group, groupIndex) => {
    for (const node of group) {
      if (!allNodes.includes(node)) throw new RangeError(`partition names S${node}, which is not in the cluster`);
      if (groupOf.has(node)) throw new RangeError(`partition lists S${node} in more than one group`);
      groupOf.set(node, groupIndex);
    }
  });
  const restGroup = groups.length;
  const groupIndexOf = (node: NodeId): number => groupOf.get(node) ?? restGroup;
  const links: BlockedLink[] = [];
  for (const from of allNodes) {
    for (const to of allNodes) {
      if (from !== to && groupIndexOf(from) !== groupIndexOf(to)) links.push([from, to]);
    }
  }
  return links;
}

/**
 * Traffic flows one way only, `from` -> `to`: `to` hears `from`, `from` does not hear `to`.
 * Returns the one link that must be blocked: [to, from].
 */
export function oneWay(from: NodeId, to: NodeId): BlockedLink[] {
  if (from === to) throw new RangeError(`oneWay needs two different nodes, got S${from} twice`);
  return [[to, from]];
}

/**
 * Two groups that cannot hear each other, both connected to `bridgeNode` (which may also be listed in a group;
 * it is never cut). The classic way to get two overlapping majorities' worth of confusion.
 */
export function bridge(groupA: readonly NodeId[], groupB: readonly NodeId[], bridgeNode: NodeId): BlockedLink[] {
  const sideA = groupA.filter((node) => node !== bridgeNode);
  const sideB = groupB.filter((node) => node !== bridgeNode);
  const overlap = sideA.filter((node) => sideB.includes(node));
  if (overlap.length > 0) throw new RangeError(`bridge groups overlap on S${overlap.join(', S')}`);
  const links: BlockedLink[] = [];
  for (const a of sideA) {
    for (const b of sideB) links.push([a, b], [b, a]);
  }
  return links;
}

/**
 * One FaultTable per node for a set of blocked links: each link is blocked on both ends (outbound at the sender,
 * `blockedFrom` at the receiver), so a node still running with a stale table cannot leak through.
 * `base` supplies other faults (drop, delay, ...) per node and is not mutated.
 */
export function faultTablesForBlockedLinks(
  links: readonly BlockedLink[],
  allNodes: readonly NodeId[],
  base: Readonly<Record<NodeId, FaultTable>> = {},
): Record<NodeId, FaultTable> {
  const tables: Record<NodeId, FaultTable> = {};
  for (const node of allNodes) {
    const existing = base[node] ?? EMPTY_FAULT_TABLE;
    tables[node] = { outbound: { ...existing.outbound }, blockedFrom: [...existing.blockedFrom] };
  }
  for (const [from, to] of links) {
    const senderTable = tables[from];
    const receiverTable = tables[to];
    if (senderTable === undefined || receiverTable === undefined) {
      throw new RangeError(`blocked link S${from}->S${to} names a node outside the cluster`);
    }
    senderTable.outbound[to] = { ...(senderTable.outbound[to] ?? NO_LINK_FAULTS), blocked: true };
    if (!receiverTable.blockedFrom.includes(from)) receiverTable.blockedFrom.push(from);
  }
  return tables;
}
