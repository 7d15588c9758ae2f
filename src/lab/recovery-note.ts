// The reason shown when a (re)started node reports alive. With a snapshot, lastIndex counts the compacted prefix too,
// so "N log entries" would overstate the log: the snapshot and the entries after it are named separately.
import type { NodeToLabFrame } from '../protocol/control';

type Recovered = Extract<NodeToLabFrame, { type: 'hello' }>['recovered'];

export function recoveryNote(recovered: Recovered): string {
  const snapshotIndex = recovered.snapshotIndex ?? 0;
  if (recovered.lastIndex === 0 && recovered.term === 0 && snapshotIndex === 0) return 'node reported alive';
  if (snapshotIndex === 0) return `node reported alive; recovered term ${recovered.term} and ${recovered.lastIndex} log entries from disk`;
  return `node reported alive; recovered term ${recovered.term}, a snapshot up to ${snapshotIndex} and ` +
    `${recovered.lastIndex - snapshotIndex} log entries from disk`;
}
