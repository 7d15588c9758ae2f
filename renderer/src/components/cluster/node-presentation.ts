// How a server's role and process status are named on screen and in the public test attributes. Pre-candidates
// (pre-vote extension) have not started an election and have not changed term, so they count as followers there.
import type { NodeStatus } from '../../../../src/protocol/lab-api';
import type { Role } from '../../../../src/protocol/raft';

export type UiRole = 'follower' | 'candidate' | 'leader';
export type UiStatus = 'running' | 'crashed' | 'paused';

export function uiRole(role: Role): UiRole {
  return role === 'precandidate' ? 'follower' : role;
}

/**
 * The role a server has now. A dead or restarting process has none yet: its last role is stale (a crashed leader
 * leads nobody) and it comes back as a follower, so it counts as one.
 */
export function currentRole(role: Role, status: NodeStatus): UiRole {
  return status === 'crashed' || status === 'stopped' || status === 'starting' ? 'follower' : uiRole(role);
}

/** A process being started counts as running (it is, or is about to be); a stopped one as crashed (it is gone). */
export function uiStatus(status: NodeStatus): UiStatus {
  if (status === 'paused') return 'paused';
  if (status === 'crashed' || status === 'stopped') return 'crashed';
  return 'running';
}

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  follower: 'follower',
  precandidate: 'pre-candidate',
  candidate: 'candidate',
  leader: 'leader',
};

export const STATUS_LABELS: Readonly<Record<NodeStatus, string>> = {
  starting: 'starting…',
  running: 'running',
  paused: 'paused',
  crashed: 'crashed',
  stopped: 'stopped',
};


/**
 * The newest term in which some server leads or knows its leader: a newer election was won. Not merely the highest
 * term: a cut-off follower that times out again and again raises its own term with no election won (without
 * pre-vote), and the leader of the majority still commits; calling it an old leader then would be false.
 */
export function newestLeaderTerm(nodes: Readonly<Record<number, { readonly term: number; readonly role: Role;
  readonly leaderId: number | null }>>): number {
  let newest = 0;
  for (const node of Object.values(nodes)) {
    if (node.role === 'leader' || node.leaderId !== null) newest = Math.max(newest, node.term);
  }
  return newest;
}

/**
 * A leader whose term is below that of a newer leader: cut off (isolated, paused), it has not heard of the newer election
 * and still believes it leads. Its words, for the diagram's title and the inspector; null for a current leader.
 */
export function staleLeaderText(node: { readonly role: Role; readonly status: NodeStatus; readonly term: number },
  clusterTerm: number): string | null {
  if (currentRole(node.role, node.status) !== 'leader' || node.term >= clusterTerm) return null;
  return `believes it leads term ${node.term}; the cluster is in term ${clusterTerm}`;
}
