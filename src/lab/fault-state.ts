// The network faults the lab has set, as the lab sees them: which directed links are blocked (partitions, one-way
// links) and which have loss/delay/duplication. Turned into one FaultTable per node for the transports.
import {
  faultTablesForBlockedLinks, NO_LINK_FAULTS, partitionToBlockedLinks, type BlockedLink, type FaultTable, type LinkFaults,
} from '../protocol/link-faults';
import type { NodeId } from '../raft/types';

const linkKey = (from: NodeId, to: NodeId): string => `${from}->${to}`;

export class FaultState {
  /** Blocked by the current partition (replaced as a whole by setPartition). */
  private partitionLinks: BlockedLink[] = [];
  /** Per directed link: loss, delay, duplication, and one-way blocks set link by link. */
  private readonly links = new Map<string, LinkFaults>();

  setPartition(groups: readonly (readonly NodeId[])[], members: readonly NodeId[]): void {
    this.partitionLinks = partitionToBlockedLinks(groups, members);
  }

  setLink(from: NodeId, to: NodeId, patch: Partial<LinkFaults>): void {
    if (from === to) throw new RangeError(`a link needs two different nodes, got S${from} twice`);
    const next = { ...(this.links.get(linkKey(from, to)) ?? NO_LINK_FAULTS), ...patch };
    const isClear = Object.entries(next).every(([name, value]) => NO_LINK_FAULTS[name as keyof LinkFaults] === value);
    if (isClear) this.links.delete(linkKey(from, to));
    else this.links.set(linkKey(from, to), next);
  }

  healAll(): void {
    this.partitionLinks = [];
    this.links.clear();
  }

  blockedLinks(): BlockedLink[] {
    const blocked = new Map<string, BlockedLink>(this.partitionLinks.map((link) => [linkKey(link[0], link[1]), link]));
    for (const [key, faults] of this.links) {
      if (!faults.blocked) continue;
      const [from, to] = key.split('->').map(Number) as [NodeId, NodeId];
      blocked.set(key, [from, to]);
    }
    return [...blocked.values()];
  }

  linkFaults(): Record<string, LinkFaults> {
    return Object.fromEntries(this.links);
  }

  tables(members: readonly NodeId[]): Record<NodeId, FaultTable> {
    const base: Record<NodeId, FaultTable> = {};
    for (const node of members) base[node] = { outbound: {}, blockedFrom: [] };
    for (const [key, faults] of this.links) {
      const [from, to] = key.split('->').map(Number) as [NodeId, NodeId];
      const table = base[from];
      if (table && members.includes(to)) table.outbound[to] = { ...faults, blocked: false };
    }
    const blocked = this.blockedLinks().filter(([from, to]) => members.includes(from) && members.includes(to));
    return faultTablesForBlockedLinks(blocked, members, base);
  }
}
