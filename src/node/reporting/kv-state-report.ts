// The kv-state event a node sends after restoring a snapshot: the UI rebuilds KV from applied entries, and a
// snapshot's data never reaches it otherwise (message-view.ts drops it), so the node states the result outright.
import type { UnsequencedLabEvent } from '../../protocol/events';
import { KV_STATE_MAX_BYTES, KV_STATE_MAX_KEYS, kvStateBytes } from '../../protocol/kv-state-limits';
import type { NodeId } from '../../raft/types';

export type KvStateEvent = Extract<UnsequencedLabEvent, { type: 'kv-state' }>;

/** `data` is KvStateMachine.snapshotData(): keys already sorted. Too large for the bounds: entries null. */
export function kvStateEvent(node: NodeId, atNs: number, index: number, data: Readonly<Record<string, string>>): KvStateEvent {
  const entries = Object.entries(data);
  const fits = entries.length <= KV_STATE_MAX_KEYS && kvStateBytes(entries) <= KV_STATE_MAX_BYTES;
  return { type: 'kv-state', atNs, node, index, entries: fits ? entries : null, tooLarge: !fits };
}
