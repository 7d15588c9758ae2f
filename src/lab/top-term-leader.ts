// The leader a client should ask now: a running server that reports itself leader in the highest term any running
// server reports. A leader cut off by a partition keeps saying it leads its old term (and a student's node may keep
// reporting so as its log grows), so "the last node that said leader" can point back at it; the highest term cannot.
import type { NodeView } from '../protocol/lab-api';
import type { NodeId } from '../raft/types';

export function topTermLeader(views: Iterable<Pick<NodeView, 'id' | 'status' | 'role' | 'term'>>): NodeId | null {
  let topTerm = -1;
  let leaders: NodeId[] = [];
  for (const view of views) {
    if (view.status !== 'running') continue;
    if (view.term > topTerm) {
      topTerm = view.term;
      leaders = [];
    }
    if (view.term === topTerm && view.role === 'leader') leaders.push(view.id);
  }
  return leaders.length === 1 ? (leaders[0] as NodeId) : null;
}
