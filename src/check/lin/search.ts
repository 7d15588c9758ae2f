// Is one key's history linearizable? Depth-first search for a linearization (Wing & Gong), with Lowe's memo of
// explored configurations and Porcupine's just-in-time ordering: an operation is only tried while no pending
// operation has already returned. Scanning the event list from the front, each call event is a candidate; reaching
// a return event means that operation can no longer be placed after everything linearized so far, so once the
// optional writes have been tried too, the last choice is undone. A maybe-write (shrinking context, model.ts) is
// placed like any operation but has two effects to try: its own, or none.
//
// Optional (unknown-outcome) writes may take effect at any time after their call, or never. Tried everywhere, they
// cost 2^u orders in a failing search, so only canonical placements are tried: an optional write must change the
// state, and the operation right after it must be one that could NOT have been placed in the state before it (so
// some current candidate must be waiting for the state it writes). This loses no linearization: if the next
// operation were legal before the optional write, the write could move after it (nothing must follow an operation
// that never returned), or be dropped if the next one overwrites it; repeating that turns any linearization into a
// canonical one. Because of this rule, what may follow a configuration depends on the state before a trailing
// optional write, so that state (the "restriction") is part of the memo key. Interchangeable optional writes are
// grouped (optional-groups.ts).
import { CLOCK_CHECK_INTERVAL_STEPS, type SearchBudget } from './budget';
import { buildEventList, HEAD, lift, NONE, unlift } from './events';
import { LinearizedSet } from './linearized-set';
import { Memo, zobristWords } from './memo';
import { ABSENT, STEP_CAS, STEP_NOT_EQUAL, STEP_READ, stepRegister, type CompiledPartition } from './model';
import { NO_GROUP, OptionalGroups } from './optional-groups';

export type SearchVerdict = 'ok' | 'violation' | 'timeout';

/** Where a failed search got furthest: for explaining a violation to a student. */
export interface SearchTrace {
  /** Operations of the longest valid order found, in order. */
  readonly prefix: readonly number[];
  /** Register state (interned) after `prefix`. */
  readonly stateAfterPrefix: number;
  /** The operation that returned before it could be placed after `prefix`. */
  readonly blockedOp: number;
}

export interface SearchResult {
  readonly verdict: SearchVerdict;
  readonly steps: number;
  /** Present for a violation when the search was asked to trace. */
  readonly trace?: SearchTrace;
  /** The order found, for 'ok' (required and placed optional operations). */
  readonly linearization?: readonly number[];
  /**
   * For a violation: the latest return time at which some branch of the search died. No branch looked at any
   * operation called after it, so the operations called after it can be cut without changing the verdict.
   */
  readonly deadEndMaxNs?: number;
}

const NO_EFFECT = 1; // alternative index: a maybe-write placed without its effect

export function searchLinearization(
  partition: CompiledPartition,
  budget: SearchBudget,
  options: { readonly trace?: boolean } = {},
): SearchResult {
  const opCount = partition.ops.length;
  const events = buildEventList(partition);
  const { next, opOf, isCall, callEvent } = events;
  const { kind, argA, argB, optional, maybe, retNs } = partition;
  const groups = new OptionalGroups(partition);
  const zobrist = zobristWords(opCount);
  const linearized = new LinearizedSet(groups.groupOf, groups.count);
  const memo = new Memo();
  const stackOp = new Int32Array(opCount);
  const stackState = new Int32Array(opCount); // state before the op
  const stackAlternative = new Uint8Array(opCount);
  const stackReturnEvent = new Int32Array(opCount); // for an optional op: the first return event of its node
  const demandedStamp = new Int32Array(partition.values.length).fill(-1);
  let demandStamp = 0;
  let depth = 0;
  let state = ABSENT;
  let setHash = 0;
  let requiredLeft = partition.requiredCount;
  let steps = 0;
  let best: SearchTrace | undefined;
  let deadEndMaxNs = -Infinity;

  const step = (op: number, from: number): number => stepRegister(kind[op] ?? 0, argA[op] ?? 0, argB[op] ?? 0, from);

  /** The state before the last placed op if that op is optional (the next op must be illegal there), else -1. */
  const restriction = (): number => {
    if (depth === 0) return -1;
    return optional[stackOp[depth - 1] ?? 0] === 1 ? (stackState[depth - 1] ?? ABSENT) : -1;
  };

  /** Places `op` leading to `nextState` unless that configuration was explored before. */
  const place = (op: number, nextState: number, alternative: number, returnEvent: number): boolean => {
    linearized.add(op);
    // Only required ops enter the hash: optional ones are matched by count (memo.ts).
    const nextHash = optional[op] === 1 ? setHash : setHash ^ (zobrist[op] ?? 0);
    const nextRestriction = optional[op] === 1 ? state : -1;
    const counts = linearized.optionalCounts;
    const pairs = linearized.optionalForm();
    if (!memo.addIfAbsent(linearized.requiredForm(), nextHash, pairs, counts, nextState, nextRestriction)) {
      linearized.remove(op); // explored before, and it failed
      return false;
    }
    stackOp[depth] = op;
    stackState[depth] = state;
    stackAlternative[depth] = alternative;
    stackReturnEvent[depth] = returnEvent;
    depth++;
    state = nextState;
    setHash = nextHash;
    if (optional[op] === 1) groups.markPlaced(op);
    else {
      lift(events, op);
      requiredLeft--;
    }
    return true;
  };

  /** Undoes the last placement; returns the op. */
  const undo = (): number => {
    depth--;
    const op = stackOp[depth] ?? NONE;
    state = stackState[depth] ?? ABSENT;
    linearized.remove(op);
    if (optional[op] === 0) setHash ^= zobrist[op] ?? 0;
    if (optional[op] === 1) groups.markUnplaced(op);
    else {
      unlift(events, op);
      requiredLeft++;
    }
    return op;
  };

  /** Tries the call-event candidate `op` now, alternatives from `firstAlternative` on. */
  const tryCandidate = (op: number, firstAlternative: number): boolean => {
    const restrictedTo = restriction();
    const effect = step(op, state);
    for (let alternative = firstAlternative; alternative <= NO_EFFECT; alternative++) {
      const nextState = alternative === NO_EFFECT ? (maybe[op] === 1 && effect !== state ? state : -1) : effect;
      if (nextState < 0) continue;
      if (restrictedTo >= 0 && (alternative === NO_EFFECT || step(op, restrictedTo) >= 0)) continue;
      if (place(op, nextState, alternative, NONE)) return true;
    }
    return false;
  };

  /**
   * Marks the states some candidate is waiting for (illegal now, legal there); returns true if any state change
   * would do (a failed cas whose `from` is the current value). Candidates: call events before `returnEvent`, and the
   * next member of each optional cas group (so an optional write may enable an optional cas).
   */
  const markDemand = (deadlineNs: number): boolean => {
    demandStamp++;
    let anyChange = false;
    for (let e = next[HEAD] ?? NONE; e !== NONE && isCall[e] === 1; e = next[e] ?? NONE) {
      const op = opOf[e] ?? NONE;
      const opKind = kind[op] ?? 0;
      if (step(op, state) >= 0) continue; // legal already: waits for nothing
      if (opKind === STEP_READ || opKind === STEP_CAS) demandedStamp[argA[op] ?? 0] = demandStamp;
      else if (opKind === STEP_NOT_EQUAL) anyChange = true;
    }
    for (let group = 0; group < groups.count; group++) {
      const needs = groups.needs[group] ?? -1;
      if (needs >= 0 && needs !== state && groups.candidate(group, deadlineNs) >= 0) demandedStamp[needs] = demandStamp;
    }
    return anyChange;
  };

  /** Tries optional groups from `firstGroup` on, at the node whose first pending return is `returnEvent`. */
  const tryOptional = (firstGroup: number, returnEvent: number): boolean => {
    if (groups.count === 0) return false;
    const deadlineNs = retNs[opOf[returnEvent] ?? 0] ?? Infinity;
    const anyChange = markDemand(deadlineNs);
    const restrictedTo = restriction();
    for (let group = firstGroup; group < groups.count; group++) {
      const op = groups.candidate(group, deadlineNs);
      if (op < 0) continue;
      const needs = groups.needs[group] ?? -1;
      const target = groups.target[group] ?? ABSENT;
      if ((needs >= 0 && needs !== state) || target === state) continue; // illegal, or changes nothing
      if (!anyChange && demandedStamp[target] !== demandStamp) continue; // nobody is waiting for it
      if (restrictedTo >= 0 && step(op, restrictedTo) >= 0) continue;
      if (place(op, target, 0, returnEvent)) return true;
    }
    return false;
  };

  let event = next[HEAD] ?? NONE;
  while (requiredLeft > 0) {
    steps++;
    if (steps > budget.maxSteps || memo.storedWords > budget.maxMemoWords) return { verdict: 'timeout', steps };
    if (steps % CLOCK_CHECK_INTERVAL_STEPS === 0 && budget.now() >= budget.deadlineMs) {
      return { verdict: 'timeout', steps };
    }
    // A required operation's return event is still listed, and the scan stops at the first return event.
    if (event === NONE) throw new Error('search ran past the last event with required operations left');
    if (isCall[event] === 1) {
      event = tryCandidate(opOf[event] ?? NONE, 0) ? (next[HEAD] ?? NONE) : (next[event] ?? NONE);
      continue;
    }
    // `event` is the first pending return: after the call candidates, try the optional writes.
    if (tryOptional(0, event)) {
      event = next[HEAD] ?? NONE;
      continue;
    }
    // Dead end: undo choices until one has an untried alternative.
    for (;;) {
      deadEndMaxNs = Math.max(deadEndMaxNs, retNs[opOf[event] ?? 0] ?? Infinity);
      if (options.trace === true && (best === undefined || depth >= best.prefix.length)) {
        best = { prefix: Array.from(stackOp.subarray(0, depth)), stateAfterPrefix: state, blockedOp: opOf[event] ?? 0 };
      }
      if (depth === 0) {
        const violation = { verdict: 'violation', steps, deadEndMaxNs } as const;
        return best === undefined ? violation : { ...violation, trace: best };
      }
      const alternative = stackAlternative[depth - 1] ?? NO_EFFECT;
      const returnEvent = stackReturnEvent[depth - 1] ?? NONE;
      const undone = undo();
      steps++;
      const group = groups.groupOf[undone] ?? NO_GROUP;
      if (group !== NO_GROUP) {
        event = returnEvent;
        if (!tryOptional(group + 1, returnEvent)) continue; // that node is exhausted too
        event = next[HEAD] ?? NONE;
        break;
      }
      event = tryCandidate(undone, alternative + 1) ? (next[HEAD] ?? NONE) : (next[callEvent[undone] ?? NONE] ?? NONE);
      break;
    }
  }
  return { verdict: 'ok', steps, linearization: Array.from(stackOp.subarray(0, depth)) };
}
