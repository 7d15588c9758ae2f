// The reason shown when a (re)started node reports alive. With a snapshot, lastIndex counts the compacted prefix too,
// so "N log entries" would overstate the log: the snapshot and the entries after it are named separately. The vote
// recovered with the term is what keeps a restarted server from voting twice in one term (Election Safety), so it is
// named when the node reports it.
import type { NodeToLabFrame } from '../protocol/control';
import type { NodeId } from '../raft/types';

type Recovered = Extract<NodeToLabFrame, { type: 'hello' }>['recovered'];

export function recoveryNote(recovered: Recovered): string {
  const snapshotIndex = recovered.snapshotIndex ?? 0;
  if (recovered.lastIndex === 0 && recovered.term === 0 && snapshotIndex === 0) return 'node reported alive';
  const term = `term ${recovered.term}${voteNote(recovered.votedFor)}`;
  if (snapshotIndex === 0) return `node reported alive; recovered ${term} and ${logEntries(recovered.lastIndex)} from disk`;
  return `node reported alive; recovered ${term}, a snapshot up to ${snapshotIndex} and ` +
    `${logEntries(recovered.lastIndex - snapshotIndex)} from disk`;
}

/** Absent: a node that does not report its vote; null: it cast none in that term. */
function voteNote(votedFor: NodeId | null | undefined): string {
  if (votedFor === undefined) return '';
  return votedFor === null ? ' (no vote cast in it)' : ` (voted for S${votedFor} in it)`;
}

function logEntries(count: number): string {
  return count === 1 ? '1 log entry' : `${count} log entries`;
}
