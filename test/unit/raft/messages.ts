// Message builders and single-node drivers for tests that talk to one node directly.

import { createRaftNode } from '../../../src/raft';
import type {
  AppendEntries, AppendEntriesReply, Entry, InstallSnapshot, InstallSnapshotReply, Message, NodeId, PersistedState, RaftNode, Ready, RequestVote, RequestVoteReply,
} from '../../../src/raft';
import { nodeConfig, type ClusterOptions } from './cluster';

export function requestVote(from: NodeId, to: NodeId, term: number, lastLogIndex: number, lastLogTerm: number, preVote = false): RequestVote {
  return { type: 'RequestVote', from, to, term, lastLogIndex, lastLogTerm, preVote };
}

export function voteReply(from: NodeId, to: NodeId, term: number, voteGranted: boolean, preVote = false): RequestVoteReply {
  return { type: 'RequestVoteReply', from, to, term, voteGranted, preVote };
}

export function appendEntries(
  from: NodeId, to: NodeId, term: number, prevLogIndex: number, prevLogTerm: number,
  entries: readonly Entry[] = [], leaderCommit = 0, readRound = 0,
): AppendEntries {
  return { type: 'AppendEntries', from, to, term, prevLogIndex, prevLogTerm, entries, leaderCommit, readRound };
}

export function appendReply(
  from: NodeId, to: NodeId, term: number, success: boolean, matchIndex: number,
  conflict: { conflictTerm?: number; conflictIndex?: number; readRound?: number } = {},
): AppendEntriesReply {
  return {
    type: 'AppendEntriesReply', from, to, term, success, matchIndex,
    conflictTerm: conflict.conflictTerm ?? 0, conflictIndex: conflict.conflictIndex ?? 0, readRound: conflict.readRound ?? 0,
  };
}

export function installSnapshot(
  from: NodeId, to: NodeId, term: number, lastIncludedIndex: number, lastIncludedTerm: number,
  data: string, options: { offset?: number; done?: boolean } = {},
): InstallSnapshot {
  return {
    type: 'InstallSnapshot', from, to, term, lastIncludedIndex, lastIncludedTerm,
    offset: options.offset ?? 0, data, done: options.done ?? true,
  };
}

export function snapshotReply(
  from: NodeId, to: NodeId, term: number, lastIncludedIndex: number, bytesStored: number, done: boolean,
): InstallSnapshotReply {
  return { type: 'InstallSnapshotReply', from, to, term, lastIncludedIndex, bytesStored, done };
}

export function entry(index: number, term: number, command: string | null = `c${index}`): Entry {
  return { index, term, command };
}

/** A node of a 3-server cluster (1, 2, 3) by default, created at time 0. */
export function newNode(id: NodeId, state: PersistedState | null = null, options: ClusterOptions & { members?: readonly NodeId[] } = {}): RaftNode {
  return createRaftNode(nodeConfig(id, options.members ?? [1, 2, 3], options), state, 0);
}

/** Drains until nothing is left and merges the Readys (tests look at everything a step produced). */
export function drain(node: RaftNode): Ready {
  const readies: Ready[] = [];
  for (let i = 0; i < 10 && node.hasReady(); i++) readies.push(node.ready());
  const merged: Ready = {
    persist: {
      hardState: readies.map((r) => r.persist.hardState).filter((h) => h !== null).pop() ?? null,
      snapshot: readies.map((r) => r.persist.snapshot).filter((x) => x !== null).pop() ?? null,
      entries: readies.flatMap((r) => r.persist.entries),
      mustSync: readies.some((r) => r.persist.mustSync),
    },
    messages: readies.flatMap((r) => r.messages),
    snapshotToApply: readies.map((r) => r.snapshotToApply).filter((x) => x !== null).pop() ?? null,
    committedEntries: readies.flatMap((r) => r.committedEntries),
    readStates: readies.flatMap((r) => r.readStates),
    readFailures: readies.flatMap((r) => r.readFailures),
    events: readies.flatMap((r) => r.events),
  };
  return merged;
}

/** Times a node out: ticks it to its election deadline. */
export function timeOut(node: RaftNode): void {
  node.tick(node.nextDeadlineMs());
}

/** Makes node 1 leader of the next term (it starts from `state`): times out, collects votes from peers 2, 3, ... */
export function makeLeader(state: PersistedState | null = null, options: ClusterOptions & { members?: readonly NodeId[] } = {}): RaftNode {
  const node = newNode(1, state, options);
  timeOut(node);
  const peers = (options.members ?? [1, 2, 3]).filter((id) => id !== 1);
  for (const peer of peers) {
    if (node.status().role !== 'precandidate') break;
    node.step(voteReply(peer, 1, node.status().term + 1, true, true));
  }
  for (const peer of peers) {
    if (node.status().role !== 'candidate') break;
    node.step(voteReply(peer, 1, node.status().term, true));
  }
  if (node.status().role !== 'leader') throw new Error(`makeLeader: S1 is ${node.status().role}`);
  return node;
}

export function messagesOf<T extends Message['type']>(ready: Ready, type: T): Extract<Message, { type: T }>[] {
  return ready.messages.filter((m): m is Extract<Message, { type: T }> => m.type === type);
}
