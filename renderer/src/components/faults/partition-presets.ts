// Ready-made network splits that show Raft's classic situations, and the partition editor's group arithmetic.
// A plan is either symmetric groups (setPartition) or a set of directed blocked links (bridges, one-way links).
import { bridge, oneWay, type BlockedLink } from '../../../../src/protocol/link-faults';
import type { NodeId } from '../../../../src/protocol/raft';

export type PartitionPlan =
  | { readonly kind: 'groups'; readonly groups: NodeId[][]; readonly description: string }
  | { readonly kind: 'links'; readonly links: BlockedLink[]; readonly description: string };

export type PresetName = 'isolate-leader' | 'split-minority' | 'bridge' | 'one-way';

export const PRESETS: readonly { readonly name: PresetName; readonly label: string; readonly teaches: string }[] = [
  { name: 'isolate-leader', label: 'Isolate the leader', teaches: 'The others elect a new leader in a higher term; the old one cannot commit anything.' },
  { name: 'split-minority', label: 'Leader in the minority', teaches: 'The majority side elects a leader and commits; writes through the old leader never commit and are rolled back on heal.' },
  { name: 'bridge', label: 'Bridge', teaches: 'Two sides that cannot hear each other, both hearing one bridge server: only it can gather a majority.' },
  { name: 'one-way', label: 'One-way link', teaches: 'A follower stops hearing the leader but is still heard: it starts elections that disrupt a healthy leader (pre-vote prevents this).' },
];

/** The other servers, in id order, starting after `pivot` so that presets pick neighbours of the leader. */
function othersAfter(ids: readonly NodeId[], pivot: NodeId): NodeId[] {
  const sorted = [...ids].sort((a, b) => a - b);
  return [...sorted.filter((id) => id > pivot), ...sorted.filter((id) => id < pivot)];
}

/**
 * The plan for a preset in a cluster of `ids` whose leader is `leaderId` (null: none known; then S1 plays the leader's
 * part). Returns null when the cluster is too small for it (a bridge needs 3 servers, a split 2).
 */
export function presetPlan(name: PresetName, ids: readonly NodeId[], leaderId: NodeId | null): PartitionPlan | null {
  if (ids.length < 2) return null;
  const sorted = [...ids].sort((a, b) => a - b);
  const pivot = leaderId !== null && sorted.includes(leaderId) ? leaderId : (sorted[0] ?? 1);
  const others = othersAfter(sorted, pivot);
  switch (name) {
    case 'isolate-leader':
      return { kind: 'groups', groups: [[pivot], others], description: `S${pivot} alone | ${others.map((id) => `S${id}`).join(' ')}` };
    case 'split-minority': {
      const minoritySize = Math.floor((sorted.length - 1) / 2);
      const minority = [pivot, ...others.slice(0, Math.max(0, minoritySize - 1))];
      const majority = sorted.filter((id) => !minority.includes(id));
      return { kind: 'groups', groups: [minority, majority],
        description: `minority ${minority.map((id) => `S${id}`).join(' ')} | majority ${majority.map((id) => `S${id}`).join(' ')}` };
    }
    case 'bridge': {
      if (sorted.length < 3) return null;
      const [bridgeNode, ...rest] = others;
      if (bridgeNode === undefined) return null;
      const sides = [pivot, ...rest];
      const half = Math.ceil(sides.length / 2);
      const sideA = sides.slice(0, half);
      const sideB = sides.slice(half);
      return { kind: 'links', links: bridge(sideA, sideB, bridgeNode),
        description: `${sideA.map((id) => `S${id}`).join(' ')} | ${sideB.map((id) => `S${id}`).join(' ')}, both reach S${bridgeNode}` };
    }
    case 'one-way': {
      const follower = others[0];
      if (follower === undefined) return null;
      return { kind: 'links', links: oneWay(follower, pivot), description: `S${follower} hears nothing from S${pivot}; S${pivot} still hears S${follower}` };
    }
  }
}

/** Moves `node` into group `target` (creating empty groups up to it), removing it from every other group. */
export function moveNode(groups: readonly (readonly NodeId[])[], node: NodeId, target: number): NodeId[][] {
  const next = groups.map((group) => group.filter((id) => id !== node));
  while (next.length <= target) next.push([]);
  next[target]?.push(node);
  return next.map((group) => [...group].sort((a, b) => a - b));
}

/** The groups to send to the lab: empty ones dropped. One group (or none) means no partition. */
export function nonEmptyGroups(groups: readonly (readonly NodeId[])[]): NodeId[][] {
  return groups.filter((group) => group.length > 0).map((group) => [...group]);
}
