// Log compaction on this server (§7, "Each server takes snapshots independently, covering just the committed
// entries in its log"): the runtime hands over the state machine's state after entry `index` and the log forgets
// entries 1..index. The snapshot reaches the disk through the next Ready, before the log's shorter form matters.

import { assert, fail } from './assert';
import { RULE, characters, entryRange } from './reasons';
import { emit, type NodeState } from './state';
import type { Snapshot } from './types';

export function compactLog(s: NodeState, index: number, data: string): void {
  const snapshotIndex = s.log.snapshotIndex();
  assert(Number.isSafeInteger(index) && index > snapshotIndex && index <= s.lastApplied,
    `compact(${index}) needs snapshotIndex ${snapshotIndex} < index <= lastApplied ${s.lastApplied} (only applied entries may be compacted)`);
  if (!(index <= s.log.lastIndex())) fail(`compact(${index}) beyond last log index ${s.log.lastIndex()}`);
  assert(typeof data === 'string', 'snapshot data must be a string');
  const term = s.log.termAt(index);
  // The snapshot keeps the configuration as of its last index (§7): the log entry holding it is discarded here.
  const config = s.log.configAt(index);
  s.log.compact(index);
  const snapshot: Snapshot = { lastIncludedIndex: index, lastIncludedTerm: term, data, ...(config === null ? {} : { config }) };
  s.snapshot = snapshot;
  s.snapshotToPersist = snapshot;
  const lastIndex = s.log.lastIndex();
  emit(s, 'log-compacted', RULE.compaction,
    `the state machine has applied ${entryRange(1, index)}, so its state (${characters(data.length)}) replaces them: ` +
    `${entryRange(snapshotIndex + 1, index)} ${index === snapshotIndex + 1 ? 'is' : 'are'} discarded, the snapshot keeps its last included index ${index} and term ${term} ` +
    `for the AppendEntries consistency check; ` +
    (lastIndex > index ? `the log now holds ${entryRange(index + 1, lastIndex)}` : 'no entries follow the snapshot'),
    { firstIndex: snapshotIndex + 1, lastIncludedIndex: index, lastIncludedTerm: term, length: data.length });
}
