// Reuse the previous value when the new one is equal field by field, so that Vue does not re-render a component
// whose inputs did not really change. The lab view is rebuilt many times a second (every heartbeat moves an election
// deadline); most panels care about a few fields that rarely change.

/** True when both objects have the same keys with identical (===) values. */
export function shallowEqual(a: object, b: object): boolean {
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((key) => Object.is((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** `next`, or `previous` when it is shallow-equal to it. */
export function reuse<T extends object>(previous: T | undefined, next: T): T {
  return previous !== undefined && shallowEqual(previous, next) ? previous : next;
}

/** `next`, or `previous` when both arrays hold the same items (compared with `reuse`'s rule). */
export function reuseList<T extends object>(previous: readonly T[] | undefined, next: readonly T[]): readonly T[] {
  if (previous === undefined || previous.length !== next.length) return next;
  return next.every((item, i) => { const old = previous[i]; return old !== undefined && shallowEqual(old, item); }) ? previous : next;
}

/** `next`, or `previous` when both hold the same numbers in the same order. */
export function reuseNumbers(previous: readonly number[] | undefined, next: readonly number[]): readonly number[] {
  return previous !== undefined && previous.length === next.length && previous.every((value, i) => value === next[i]) ? previous : next;
}
