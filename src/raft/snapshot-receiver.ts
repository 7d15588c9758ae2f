// Follower side of InstallSnapshot (Figure 13, receiver implementation 1-8). Term checks (receiver 1, All Servers 2)
// happened before dispatch: here the message is of the current term. Chunks are accepted in offset order only, into
// a bounded buffer; an out-of-order chunk is answered with what we hold so the leader resumes from there.

import { fail } from './assert';
import { acceptLeader } from './append-receiver';
import { afterCommit, refreshMembership } from './membership';
import { RULE, characterRange, characters, entryRange } from './reasons';
import { emit, send, type IncomingSnapshot, type NodeState } from './state';
import type { InstallSnapshot, Snapshot } from './types';

/** Bound on a snapshot being reassembled (characters): beyond it the transfer is refused, not buffered. */
export const MAX_SNAPSHOT_CHARS = 256 * 1024 * 1024;

export function handleInstallSnapshot(s: NodeState, message: InstallSnapshot): void {
  if (message.term !== s.term) fail(`InstallSnapshot of term ${message.term} dispatched in term ${s.term}`);
  if (!acceptLeader(s, message)) return; // the message as a whole was validated in step (message-checks.ts)
  const covered = Math.max(s.commitIndex, s.log.snapshotIndex());
  if (message.lastIncludedIndex <= covered) {
    skipCovered(s, message, covered);
    return;
  }
  const previous = s.incomingSnapshot;
  const buffer = receiveChunk(s, message);
  if (buffer === null) return;
  if (!message.done) {
    chunkStored(s, message, buffer.length, previous);
    return;
  }
  s.incomingSnapshot = null;
  const snapshot: Snapshot = {
    lastIncludedIndex: message.lastIncludedIndex, lastIncludedTerm: message.lastIncludedTerm, data: buffer.chunks.join(''),
    ...(message.config === undefined ? {} : { config: message.config }),
  };
  const problem = s.config.snapshotProblem(snapshot);
  if (problem !== null) {
    emit(s, 'snapshot-rejected', RULE.snapshotUnusable,
      `the snapshot through ${message.lastIncludedIndex} from S${message.from} (${characters(snapshot.data.length)}) cannot be restored by the state machine: ` +
      `${problem}; not installed, the leader starts it over`,
      { from: message.from, lastIncludedIndex: message.lastIncludedIndex, problem: problem.slice(0, 300) });
    reply(s, message, 0, false);
    return;
  }
  install(s, message.from, snapshot);
  reply(s, message, buffer.length, true);
}

/**
 * Not Figure 13 (which would install it): a snapshot we already cover would move our state backwards, and everything
 * it holds is committed here already. etcd skips it the same way. The reply says done, so the leader moves on.
 */
function skipCovered(s: NodeState, message: InstallSnapshot, covered: number): void {
  const partial = s.incomingSnapshot;
  const dropped = partial !== null && partial.lastIncludedIndex <= covered ? `; ${droppedPartial(partial)}` : '';
  if (dropped !== '') s.incomingSnapshot = null;
  emit(s, 'message-ignored', RULE.snapshotNotNewer,
    `snapshot through index ${message.lastIncludedIndex} from S${message.from} brings nothing beyond what we have committed ` +
    `(through ${covered}): not installed; we reply done so the leader moves on${dropped}`,
    { from: message.from, lastIncludedIndex: message.lastIncludedIndex, commitIndex: s.commitIndex, snapshotIndex: s.log.snapshotIndex() });
  reply(s, message, message.offset + message.data.length, true);
}

/** Receivers 2-4: the chunk is stored (one at offset 0 starts the snapshot anew); reply and wait for more chunks. */
function chunkStored(s: NodeState, message: InstallSnapshot, held: number, previous: IncomingSnapshot | null): void {
  const dropped = message.offset === 0 && previous !== null && previous.length > 0 ? `; ${droppedPartial(previous)}` : '';
  emit(s, 'snapshot-chunk-stored', RULE.snapshotReceiver2,
    `stored ${characterRange(message.offset, held)} of the snapshot through ${message.lastIncludedIndex} from S${message.from} ` +
    `(${held} held): replying and waiting for the next chunk${dropped}`,
    { from: message.from, lastIncludedIndex: message.lastIncludedIndex, offset: message.offset, bytesStored: held });
  reply(s, message, held, false);
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
    emit(s, 'snapshot-rejected', RULE.snapshotReceiver2,
      `InstallSnapshot chunk at offset ${message.offset} from S${message.from} does not continue what we hold ` +
      `(${characters(held)} of the snapshot through ${message.lastIncludedIndex}): the leader resumes at ${held}`,
      { from: message.from, lastIncludedIndex: message.lastIncludedIndex, offset: message.offset, bytesStored: held });
    reply(s, message, held, false);
    return null;
  }
  if (buffer.length + message.data.length > MAX_SNAPSHOT_CHARS) {
    s.incomingSnapshot = null;
    emit(s, 'snapshot-rejected', RULE.flowControl,
      `the snapshot through ${message.lastIncludedIndex} from S${message.from} exceeds the ${MAX_SNAPSHOT_CHARS}-character bound: transfer refused`,
      { from: message.from, lastIncludedIndex: message.lastIncludedIndex, limit: MAX_SNAPSHOT_CHARS });
    reply(s, message, 0, false);
    return null;
  }
  buffer.chunks.push(message.data);
  buffer.length += message.data.length;
  return buffer;
}

/** Receiver 5's other half: a newer snapshot replaces a partial one. */
function droppedPartial(partial: { readonly lastIncludedIndex: number; readonly length: number }): string {
  return `the partial snapshot through ${partial.lastIncludedIndex} (${characters(partial.length)}) is discarded`;
}

/** Receivers 5-8: save the snapshot, keep the log suffix that follows it or discard the log, reset the state machine. */
function install(s: NodeState, leader: number, snapshot: Snapshot): void {
  const { lastIncludedIndex: index, lastIncludedTerm: term } = snapshot;
  const previousLast = s.log.lastIndex();
  const retained = s.log.installSnapshot(index, term, snapshot.config ?? null);
  const previousCommit = s.commitIndex;
  const previousApplied = s.lastApplied;
  s.commitIndex = index;
  s.lastApplied = index;
  s.snapshot = snapshot;
  s.snapshotToPersist = snapshot;
  s.snapshotToApply = snapshot;
  emit(s, 'snapshot-installed', retained ? RULE.snapshotReceiver6 : RULE.snapshotReceiver7,
    `installed the snapshot from S${leader} through index ${index} (term ${term}): ` +
    (retained
      ? `our entry ${index} has term ${term} too, so ${previousLast > index ? `the log after it is kept (${entryRange(index + 1, previousLast)})` : 'it is kept; no entries follow it'}`
      : previousLast >= index
        ? `our entry ${index} has a different term, so the whole log (through ${previousLast}) is discarded`
        : `our log ended at ${previousLast}, before the snapshot, so it is discarded`) +
    `; commitIndex ${previousCommit} -> ${index}; ` +
    (retained
      ? `the state machine, which had applied up to ${previousApplied}, loads the snapshot`
      : 'the state machine is reset to the snapshot'),
    { from: leader, lastIncludedIndex: index, lastIncludedTerm: term, retained, previousLastIndex: previousLast, length: snapshot.data.length });
  refreshMembership(s, RULE.configFromSnapshot, `installed the snapshot through index ${index} from S${leader}`);
  afterCommit(s);
}

function reply(s: NodeState, message: InstallSnapshot, bytesStored: number, done: boolean): void {
  send(s, {
    type: 'InstallSnapshotReply', from: s.config.id, to: message.from, term: s.term,
    lastIncludedIndex: message.lastIncludedIndex, bytesStored, done,
  });
}
