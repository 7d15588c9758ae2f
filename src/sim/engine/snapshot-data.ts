// What the simulator stores as a snapshot's opaque data: the digest (prefix hash) of the log the state machine
// applied, then the state machine's own encoding. The digest lets the invariant checker compare a restored state
// machine with the committed log (State Machine Safety) whatever the state machine is.

const SEPARATOR = '|';

export function encodeSnapshotData(digest: number, stateMachineData: string): string {
  return `${digest.toString(36)}${SEPARATOR}${stateMachineData}`;
}

export function decodeSnapshotData(data: string): { digest: number; stateMachineData: string } {
  const at = data.indexOf(SEPARATOR);
  const digest = at > 0 ? parseInt(data.slice(0, at), 36) : NaN;
  if (!Number.isSafeInteger(digest)) throw new Error(`snapshot data does not start with a digest: ${JSON.stringify(data.slice(0, 40))}`);
  return { digest, stateMachineData: data.slice(at + 1) };
}
