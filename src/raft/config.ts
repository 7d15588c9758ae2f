// Validates a RaftConfig once, at construction, and resolves its defaults.

import { assert } from './assert';
import { isBugName } from './planted-bugs';
import { bootstrapConfiguration } from './membership';
import type { BugName, Configuration, MembershipMode, NodeId, RaftConfig, Snapshot } from './types';

export const DEFAULT_MAX_ENTRIES_PER_MESSAGE = 64;
export const DEFAULT_MAX_SNAPSHOT_CHUNK_CHARS = 256 * 1024;
export const DEFAULT_MAX_INFLIGHT_MESSAGES = 64;
export const DEFAULT_MAX_INFLIGHT_BYTES = 1024 * 1024;

export interface ResolvedConfig {
  readonly id: NodeId;
  /** The bootstrap configuration: in effect until the log holds a configuration entry (empty for a joining server). */
  readonly bootstrap: Configuration;
  readonly membershipMode: MembershipMode;
  readonly electionTimeoutMinMs: number;
  readonly electionTimeoutMaxMs: number;
  readonly heartbeatMs: number;
  readonly randomSeed: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly bugs: ReadonlySet<BugName>;
  readonly maxEntriesPerMessage: number;
  readonly maxSnapshotChunkChars: number;
  readonly maxInflightMessages: number;
  readonly maxInflightBytes: number;
  readonly snapshotProblem: (snapshot: Snapshot) => string | null;
}

export function resolveConfig(config: RaftConfig): ResolvedConfig {
  const { id, members } = config;
  // Empty members: a server joining a running cluster, which learns its configuration from the leader's log.
  assert(Number.isSafeInteger(id) && id >= 1, `node id ${id} must be an integer >= 1`);
  assert(new Set(members).size === members.length, `duplicate member ids in [${members.join(', ')}]`);
  for (const member of members) assert(Number.isSafeInteger(member) && member >= 1, `member id ${member} must be an integer >= 1`);
  assert(members.length === 0 || members.includes(id), `node id ${id} is not among members [${members.join(', ')}]`);
  const mode = config.membershipMode ?? 'single-server';
  assert(mode === 'single-server' || mode === 'joint', `membershipMode must be 'single-server' or 'joint', got ${String(mode)}`);
  const [minMs, maxMs] = config.electionTimeoutMs;
  assert(Number.isFinite(minMs) && minMs > 0, `electionTimeoutMs min must be > 0, got ${minMs}`);
  // min == max is a fixed timeout with no randomness (legal, and the paper's worst case in Figure 16).
  assert(Number.isFinite(maxMs) && maxMs >= minMs, `electionTimeoutMs must be a range [min, max) with max >= min, got [${minMs}, ${maxMs})`);
  assert(Number.isFinite(config.heartbeatMs) && config.heartbeatMs > 0, `heartbeatMs must be > 0, got ${config.heartbeatMs}`);
  const maxEntries = config.maxEntriesPerMessage ?? DEFAULT_MAX_ENTRIES_PER_MESSAGE;
  assert(Number.isSafeInteger(maxEntries) && maxEntries >= 1, `maxEntriesPerMessage must be an integer >= 1, got ${maxEntries}`);
  const maxChunk = config.maxSnapshotChunkChars ?? DEFAULT_MAX_SNAPSHOT_CHUNK_CHARS;
  assert(Number.isSafeInteger(maxChunk) && maxChunk >= 1, `maxSnapshotChunkChars must be an integer >= 1, got ${maxChunk}`);
  const maxInflightMessages = config.maxInflightMessages ?? DEFAULT_MAX_INFLIGHT_MESSAGES;
  assert(Number.isSafeInteger(maxInflightMessages) && maxInflightMessages >= 1, `maxInflightMessages must be an integer >= 1, got ${maxInflightMessages}`);
  const maxInflightBytes = config.maxInflightBytes ?? DEFAULT_MAX_INFLIGHT_BYTES;
  assert(Number.isSafeInteger(maxInflightBytes) && maxInflightBytes >= 1, `maxInflightBytes must be an integer >= 1, got ${maxInflightBytes}`);
  const bugs = config.bugs ?? [];
  for (const bug of bugs) assert(isBugName(bug), `unknown planted bug "${String(bug)}"`);
  return {
    id,
    bootstrap: bootstrapConfiguration(members),
    membershipMode: mode,
    electionTimeoutMinMs: minMs,
    electionTimeoutMaxMs: maxMs,
    heartbeatMs: config.heartbeatMs,
    randomSeed: config.randomSeed,
    preVote: config.preVote ?? false,
    checkQuorum: config.checkQuorum ?? false,
    bugs: new Set(bugs),
    maxEntriesPerMessage: maxEntries,
    maxSnapshotChunkChars: maxChunk,
    maxInflightMessages,
    maxInflightBytes,
    snapshotProblem: config.snapshotProblem ?? acceptAnySnapshot,
  };
}

const acceptAnySnapshot = (): null => null;
