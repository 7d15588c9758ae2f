// Binary searches over arrays sorted by a numeric key (seqs, monotone time stamps).

/** First position whose key is >= target (length if none). */
export function lowerBound<T>(items: readonly T[], target: number, keyOf: (item: T) => number, from = 0): number {
  let low = from;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (keyOf(items[mid] as T) < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** First position whose key is > target (length if none). */
export function upperBound<T>(items: readonly T[], target: number, keyOf: (item: T) => number, from = 0): number {
  let low = from;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (keyOf(items[mid] as T) <= target) low = mid + 1;
    else high = mid;
  }
  return low;
}
