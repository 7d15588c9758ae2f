// Optional (unknown-outcome) writes, grouped for the search. An optional write may take effect at any time after its
// call, or never; it has no return event, so it stays a candidate forever once called. Scanning every pending one at
// every search node would cost O(unknown writes) per node, so they are kept out of the event list and grouped by
// effect: blind writes (put, delete) by the value they write, cas by (from, to).
//
// Within a group the members are interchangeable: once one is a candidate (called before the node's first pending
// return), it stays one for the rest of the path, and all have the same effect. So the search only ever places the
// earliest unplaced member of a group, and the placed members of a group are always a prefix of it: a counter per
// group says which member is next, in O(1).
import { STEP_CAS, STEP_WRITE, type CompiledPartition } from './model';

export const NO_GROUP = -1;

export class OptionalGroups {
  /** Group of each op, NO_GROUP for required ones. */
  readonly groupOf: Int32Array;
  /** Per group: member op ids in call order. */
  private readonly members: readonly Int32Array[];
  /** Per group: how many members are placed (a prefix). */
  private readonly placed: number[] = [];
  /** Per group: the value it writes (interned). */
  readonly target: number[] = [];
  /** Per group: the value a cas needs, or -1 for a blind write. */
  readonly needs: number[] = [];

  constructor(private readonly partition: CompiledPartition) {
    const { kind, argA, argB, optional } = partition;
    this.groupOf = new Int32Array(partition.ops.length).fill(NO_GROUP);
    const groupByEffect = new Map<string, number>();
    const memberLists: number[][] = [];
    for (let op = 0; op < partition.ops.length; op++) {
      if (optional[op] !== 1) continue;
      const opKind = kind[op] ?? 0;
      if (opKind !== STEP_WRITE && opKind !== STEP_CAS) throw new Error(`optional op ${op} is not a write`);
      const needs = opKind === STEP_CAS ? (argA[op] ?? 0) : -1;
      const target = opKind === STEP_CAS ? (argB[op] ?? 0) : (argA[op] ?? 0);
      const effect = `${needs}>${target}`;
      let group = groupByEffect.get(effect);
      if (group === undefined) {
        group = memberLists.length;
        groupByEffect.set(effect, group);
        memberLists.push([]);
        this.target.push(target);
        this.needs.push(needs);
        this.placed.push(0);
      }
      memberLists[group]?.push(op); // ops are numbered in call order, so each list is sorted by call
      this.groupOf[op] = group;
    }
    this.members = memberLists.map((list) => Int32Array.from(list));
  }

  get count(): number {
    return this.members.length;
  }

  /** The group's next unplaced member if it was called by `deadlineNs` (ties count as called), else -1. */
  candidate(group: number, deadlineNs: number): number {
    const members = this.members[group];
    const next = this.placed[group] ?? 0;
    if (members === undefined || next >= members.length) return -1;
    const op = members[next] ?? -1;
    return (this.partition.callNs[op] ?? Infinity) <= deadlineNs ? op : -1;
  }

  /** Records that `op` (its group's next member) was placed. */
  markPlaced(op: number): void {
    const group = this.groupOf[op] ?? NO_GROUP;
    const next = this.placed[group] ?? 0;
    if (this.members[group]?.[next] !== op) throw new Error(`op ${op} placed out of its group's order`);
    this.placed[group] = next + 1;
  }

  /** Undoes the last markPlaced of `op`'s group. */
  markUnplaced(op: number): void {
    const group = this.groupOf[op] ?? NO_GROUP;
    const last = (this.placed[group] ?? 0) - 1;
    if (this.members[group]?.[last] !== op) throw new Error(`op ${op} unplaced out of its group's order`);
    this.placed[group] = last;
  }
}
