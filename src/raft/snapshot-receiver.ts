// Follower side of InstallSnapshot (Figure 13, receiver implementation 1-8). Term checks (receiver 1, All Servers 2)
// happened before dispatch: here the message is of the current term. Chunks are accepted in offset order only, into
// a bounded buffer; an out-of-order chunk is answered with what we hold so the leader resumes from there.

import { assert, fail } from './assert';
import { acceptLeader } from './append-receiver';
import { RULE } from './reasons';
import { emit, send, type NodeState } from './state';
import type { InstallSnapshot, Snapshot } from './types';

/** Bound on a snapshot being reassembled (characters): beyond it the transfer is refused, not buffered. */
export const MAX_SNAPSHOT_CHARS = 256 * 1024 * 1024;

export function handleInstallSnapshot(s: NodeState, message: InstallSnapshot): void {
  if (message.term !== s.term) fail(`InstallSnapshot of term ${message.term} dispatched in term ${s.term}`);
  validate(message);
  if (!acceptLeader(s, message)) return;
  const { lastIncludedIndex } = message;
  const covered = Math.max(s.commitIndex, s.log.snapshotIndex());
  if (lastIncludedIndex <= covered) {
    // Receiver 5 read the other way round: a snapshot we already cover would move our state backwards.
    if (s.incomingSnapshot !== null && s.incomingSnapshot.lastIncludedIndex <= covered) s.incomingSnapshot = null;
    emit(s, 'message-ignored', RULE.snapshotReceiver5,
      `snapshot through index ${lastIncludedIndex} from S${message.from} is not newer than what we have committed (${covered}): nothing to install`,
      { from: message.from, lastIncludedIndex, commitIndex: s.commitIndex, snapshotIndex: s.log.snapshotIndex() });
    reply(s, message, message.offset + message.data.length, true);
    return;
  }
  const buffer = receiveChunk(s, message);
  if (buffer === null) return;
  if (!message.done) {
    reply(s, message, buffer.length, false); // receiver 4: reply and wait for more chunks
    return;
  }
  s.incomingSnapshot = null;
  install(s, message.from, { lastIncludedIndex, lastIncludedTerm: message.lastIncludedTerm, data: buffer.chunks.join('') });
  reply(s, message, buffer.length, true);
}

function validate(message: InstallSnapshot): void {
  if (!(Number.isSafeInteger(message.lastIncludedIndex) && message.lastIncludedIndex >= 1)) fail(`InstallSnapshot lastIncludedIndex ${message.lastIncludedIndex} must be >= 1`);
  assert(Number.isSafeInteger(message.lastIncludedTerm) && message.lastIncludedTerm >= 1 && message.lastIncludedTerm <= message.term,
    `InstallSnapshot lastIncludedTerm ${message.lastIncludedTerm} outside [1, ${message.term}]`);
  if (!(Number.isSafeInteger(message.offset) && message.offset >= 0)) fail(`InstallSnapshot offset ${message.offset} must be >= 0`);
}

/** Receivers 2-3: a chunk at offset 0 starts a new buffer; others must continue the current one exactly. */
function receiveChunk(s: NodeState, message: InstallSnapshot): { chunks: string[]; length: number } | null {
  let buffer = s.incomingSnapshot;
  const same = buffer !== null && buffer.term === message.term && buffer.lastIncludedIndex === message.lastIncludedIndex &&
    buffer.lastIncludedTerm === message.lastIncludedTerm;
  if (message.offset === 0) {
    buffer = { term: message.term, lastIncludedIndex: message.lastIncludedIndex, lastIncludedTerm: message.lastIncludedTerm, chunks: [], length: 0 };
    s.incomingSnapshot = buffer;
  } else if (!same || buffer === null || buffer.length !== message.offset) {
    const held = same && buffer !== null ? buffer.length : 0;
    emit(s, 'message-ignored', RULE.snapshotReceiver2,
      `InstallSnapshot chunk at offset ${message.offset} from S${message.from} does not continue what we hold (${held} characters of snapshot ${message.lastIncludedIndex}): the leader resumes at ${held}`,
      { from: message.from, lastIncludedIndex: message.lastIncludedIndex, offset: message.offset, bytesStored: held });
    reply(s, message, held, false);
    return null;
  }
  if (buffer.length + message.data.length > MAX_SNAPSHOT_CHARS) {
    s.incomingSnapshot = null;
    emit(s, 'message-ignored', RULE.snapshotReceiver2,
      `snapshot ${message.lastIncludedIndex} from S${message.from} exceeds the ${MAX_SNAPSHOT_CHARS}-character bound: transfer refused`,
      { from: message.from, lastIncludedIndex: message.lastIncludedIndex, limit: MAX_SNAPSHOT_CHARS });
    reply(s, message, 0, false);
    return null;
  }
  buffer.chunks.push(message.data);
  buffer.length += message.data.length;
  return buffer;
}

/** Receivers 5-8: save the snapshot, keep the log suffix that follows it or discard the log, reset the state machine. */
function install(s: NodeState, leader: number, snapshot: Snapshot): void {
  const { lastIncludedIndex: index, lastIncludedTerm: term } = snapshot;
  const previousLast = s.log.lastIndex();
  const retained = s.log.installSnapshot(index, term);
  const previousCommit = s.commitIndex;
  s.commitIndex = index;
  s.lastApplied = index;
  s.snapshot = snapshot;
  s.snapshotToPersist = snapshot;
  s.snapshotToApply = snapshot;
  emit(s, 'snapshot-installed', retained ? RULE.snapshotReceiver6 : RULE.snapshotReceiver7,
    `installed the snapshot from S${leader} through index ${index} (term ${term}): ` +
    (retained
      ? `our entry ${index} has term ${term} too, so entries ${index + 1}..${previousLast} that follow it are kept`
      : previousLast >= index
        ? `our entry ${index} has a different term, so the whole log (through ${previousLast}) is discarded`
        : `our log ended at ${previousLast}, before the snapshot, so it is discarded`) +
    `; commitIndex ${previousCommit} -> ${index}; the state machine is reset to the snapshot`,
    { from: leader, lastIncludedIndex: index, lastIncludedTerm: term, retained, previousLastIndex: previousLast, length: snapshot.data.length });
}

function reply(s: NodeState, message: InstallSnapshot, bytesStored: number, done: boolean): void {
  send(s, {
    type: 'InstallSnapshotReply', from: s.config.id, to: message.from, term: s.term,
    lastIncludedIndex: message.lastIncludedIndex, bytesStored, done,
  });
}
