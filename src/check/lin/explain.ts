// Says in words why a (small) set of operations on one key is not linearizable, from the furthest point the
// search reached: the longest valid order it found, and the operation that could not come next.
import type { HistoryOp } from '../history';
import { stepRegister, type CompiledPartition } from './model';
import type { SearchTrace } from './search';

const MAX_VALUE_CHARS = 40;
const MAX_PREFIX_OPS_SHOWN = 8;

/** `contextCount`: the key's other operations, which the shrinker showed cannot explain the violation. */
export function explainViolation(
  partition: CompiledPartition,
  trace: SearchTrace | undefined,
  contextCount = 0,
): string {
  const count = partition.ops.length;
  const context =
    contextCount === 0
      ? ''
      : ` (whatever the other ${contextCount} operation${contextCount === 1 ? '' : 's'} on the key did)`;
  const intro =
    `No order of ${count === 1 ? 'this operation' : `these ${count} operations`} on key ${quote(partition.key)} ` +
    'respects real time (an operation that returned before another was called takes effect first) and gives ' +
    `every read and cas the value it saw${context}.`;
  if (trace === undefined) return intro;
  const state = partition.values[trace.stateAfterPrefix] ?? null;
  const prefixOps = trace.prefix.map((op) => partition.ops[op]).filter((op) => op !== undefined);
  const shown = prefixOps.slice(-MAX_PREFIX_OPS_SHOWN).map(describeHistoryOp);
  const skipped = prefixOps.length - shown.length;
  const longest =
    prefixOps.length === 0
      ? `At the start the key is ${showValue(null)}.`
      : `Longest valid order found: ${skipped > 0 ? `(${skipped} earlier) ` : ''}${shown.join(', then ')}; ` +
        `the key is then ${showValue(state)}.`;
  const blocked = partition.ops[trace.blockedOp];
  if (blocked === undefined) return `${intro}\n${longest}`;
  return `${intro}\n${longest}\nStuck at ${describeHistoryOp(blocked)}: ${whyBlocked(partition, trace, blocked)}`;
}

function whyBlocked(partition: CompiledPartition, trace: SearchTrace, blocked: HistoryOp): string {
  const op = trace.blockedOp;
  const legalHere = stepRegister(partition.kind[op] ?? 0, partition.argA[op] ?? 0, partition.argB[op] ?? 0,
    trace.stateAfterPrefix) >= 0;
  const state = partition.values[trace.stateAfterPrefix] ?? null;
  if (!legalHere && blocked.op === 'get' && blocked.status === 'ok') {
    return `it returned ${showValue(blocked.value)}, but the key would be ${showValue(state)}.`;
  }
  if (!legalHere && blocked.op === 'cas' && blocked.status === 'fail') {
    return `it failed, so the key cannot have been ${showValue(blocked.from)}, but it would be.`;
  }
  if (!legalHere && blocked.op === 'cas') {
    return `it succeeded, so the key must have been ${showValue(blocked.from)}, but it would be ${showValue(state)}.`;
  }
  return 'every point where it could have taken effect before it returned leads to a contradiction later.';
}

/** e.g. `client 2 get -> "1" (call 120, ret 260)`. */
export function describeHistoryOp(op: HistoryOp): string {
  const time = op.ret === null ? `call ${op.call}, no return` : `call ${op.call}, ret ${op.ret}`;
  const outcome = op.status === 'unknown' ? ', outcome unknown' : op.status === 'fail' ? ', failed' : '';
  return `client ${op.client} ${describeAction(op)} (${time}${outcome})`;
}

function describeAction(op: HistoryOp): string {
  switch (op.op) {
    case 'put':
      return `put ${showValue(op.value)}`;
    case 'delete':
      return 'delete';
    case 'cas':
      return `cas ${showValue(op.from)} -> ${showValue(op.to)}`;
    case 'get':
      return op.status === 'ok' ? `get -> ${showValue(op.value)}` : 'get';
  }
}

function showValue(value: string | null): string {
  if (value === null) return 'absent';
  return quote(value);
}

function quote(text: string): string {
  const clipped = text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}...` : text;
  return JSON.stringify(clipped);
}
