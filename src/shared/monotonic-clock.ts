// The machine's monotonic clock, read by the nodes and the lab alike (so it lives in neither). process.hrtime.bigint()
// reads CLOCK_MONOTONIC on Linux, which is shared by every process on the machine: timestamps taken in different node
// processes can be compared, which is how the lab orders the events of a whole cluster. It never jumps with
// wall-clock changes (NTP, the user editing the date).

/** Monotonic time in ns. A float past 2^53 ns (~104 days of uptime) loses its last digits, never its order. */
export function monotonicNowNs(): number {
  return Number(process.hrtime.bigint());
}

/** Monotonic time in ms, fractional (same clock as monotonicNowNs). */
export function monotonicNowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
