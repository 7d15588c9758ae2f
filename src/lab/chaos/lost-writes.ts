// Raft's promise to clients: an acknowledged write is never lost. After a run, every acknowledged write must sit,
// with its client's id, at the log index the leader acknowledged it at, in the committed log of every node that has
// caught up.
import type { LogEntryView } from '../../protocol/lab-api';

export interface AcknowledgedWrite {
  readonly clientId: string;
  readonly key: string;
  readonly index: number | null;
}

export function countLostWrites(acknowledged: readonly AcknowledgedWrite[], committedLog: readonly LogEntryView[]): {
  lost: number; examples: string[];
} {
  let lost = 0;
  const examples: string[] = [];
  for (const write of acknowledged) {
    if (write.index === null) continue;
    const entry = committedLog[write.index - 1];
    if (entry && entry.index === write.index && entry.command !== null && commandClient(entry.command) === write.clientId) continue;
    lost += 1;
    if (examples.length < 5) examples.push(`${write.clientId} wrote ${write.key} at index ${write.index}, but that entry is ${entry ? `from ${commandClient(entry.command ?? '') ?? 'a no-op'}` : 'missing'}`);
  }
  return { lost, examples };
}

function commandClient(command: string): string | null {
  try {
    const parsed = JSON.parse(command) as { clientId?: unknown };
    return typeof parsed.clientId === 'string' ? parsed.clientId : null;
  } catch {
    return null;
  }
}
