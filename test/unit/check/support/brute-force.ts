// A slow, obviously correct oracle for tiny histories on one key: try every order of every allowed subset.
import type { HistoryOp } from '../../../../src/check/history';

/**
 * Linearizable iff some order of the required ops plus any subset of the unknown ones is legal. `context` ops are
 * relaxed as the shrinker relaxes them: completed writes must be placed in their interval but may have no effect,
 * unknown writes stay optional, observations are dropped.
 */
export function bruteForceLinearizable(history: readonly HistoryOp[], context: readonly HistoryOp[] = []): boolean {
  const contextWrites = context.filter((op) => participates(op) && op.op !== 'get' && op.status !== 'fail');
  const ops = [...history.filter(participates), ...contextWrites];
  const mayDoNothing = (i: number): boolean => i >= ops.length - contextWrites.length;
  if (ops.length > 8) throw new Error('brute force is for at most 8 operations');
  const placed = new Array<boolean>(ops.length).fill(false);
  const mustPrecede = (a: HistoryOp, b: HistoryOp): boolean => a.ret !== null && a.ret < b.call;
  const search = (state: string | null): boolean => {
    // Done when every required op is placed; unknown ones left over never took effect.
    if (ops.every((op, i) => placed[i] === true || op.status === 'unknown')) return true;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i];
      if (op === undefined || placed[i] === true) continue;
      // Every op that returned before this one was called must already be placed (unless it is unknown: omittable
      // ops never precede anything, their ret is null).
      if (ops.some((other, j) => placed[j] !== true && mustPrecede(other, op))) continue;
      const effects = mayDoNothing(i) ? [step(op, state), state] : [step(op, state)];
      for (const next of effects) {
        if (next === undefined) continue;
        placed[i] = true;
        const found = search(next);
        placed[i] = false;
        if (found) return true;
      }
    }
    return false;
  };
  return search(null);
}

function participates(op: HistoryOp): boolean {
  if (op.op === 'get') return op.status === 'ok';
  if (op.op === 'cas') return true;
  return op.status !== 'fail';
}

/** The state after op, or undefined if op cannot take effect in `state`. */
function step(op: HistoryOp, state: string | null): string | null | undefined {
  switch (op.op) {
    case 'put':
      return op.value;
    case 'delete':
      return null;
    case 'get':
      return op.status === 'ok' && op.value === state ? state : undefined;
    case 'cas':
      if (op.status === 'fail') return state !== op.from ? state : undefined;
      return state === op.from ? op.to : undefined;
  }
}
