// Lost acknowledged writes, judged from outside (a student's node does not show the lab its log): after the run is
// healed and every key read, a write acknowledged to a client is lost when the key's final value is older than it,
// i.e. the value was written by an operation that had already returned before the acknowledged write was even sent
// (values are unique per run, so each value names its one writer), or the key is absent although a write to it was
// acknowledged (lin-kv has no delete). The linearizability check catches this too; this count says it plainly.
import type { HistoryOp } from '../../check/history';

export interface LostWrites {
  readonly lost: number;
  readonly examples: string[];
}

export function lostAcknowledgedWrites(ops: readonly HistoryOp[], finals: ReadonlyMap<number, string | null | undefined>): LostWrites {
  let lost = 0;
  const examples: string[] = [];
  for (const [key, finalValue] of finals) {
    if (finalValue === undefined) continue;
    const onKey = ops.filter((op) => op.key === String(key));
    const writer = finalValue === null ? null : onKey.find((op) => writtenValue(op) === finalValue);
    for (const write of onKey) {
      if (write.status !== 'ok' || writtenValue(write) === null) continue;
      const older = finalValue === null || (writer !== undefined && writer !== null && writer.ret !== null && writer.ret < write.call);
      if (!older) continue;
      lost += 1;
      if (examples.length < 5) {
        examples.push(`client ${write.client}'s ${write.op} of ${writtenValue(write) ?? ''} to key ${key} was acknowledged, but the key ` +
          `ends ${finalValue === null ? 'absent' : `at ${finalValue}, written before that write began`}`);
      }
    }
  }
  return { lost, examples };
}

function writtenValue(op: HistoryOp): string | null {
  if (op.op === 'put') return op.value;
  if (op.op === 'cas') return op.to;
  return null;
}
