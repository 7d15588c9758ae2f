// Validates a RaftConfig once, at construction, and resolves its defaults.

import { assert } from './assert';
import { isBugName } from './planted-bugs';
import { quorumSize } from './quorum';
import type { BugName, NodeId, RaftConfig, Snapshot } from './types';

export const DEFAULT_MAX_ENTRIES_PER_MESSAGE = 64;
export const DEFAULT_MAX_SNAPSHOT_CHUNK_CHARS = 256 * 1024;

export interface ResolvedConfig {
  readonly id: NodeId;
  readonly members: readonly NodeId[];
  /** Every member but this node: a node never sends to itself. */
  readonly peers: readonly NodeId[];
  readonly quorum: number;
  readonly electionTimeoutMinMs: number;
  readonly electionTimeoutMaxMs: number;
  readonly heartbeatMs: number;
  readonly randomSeed: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly bugs: ReadonlySet<BugName>;
  readonly maxEntriesPerMessage: number;
  readonly maxSnapshotChunkChars: number;
  readonly snapshotProblem: (snapshot: Snapshot) => string | null;
}

export function resolveConfig(config: RaftConfig): ResolvedConfig {
  const { id, members } = config;
  assert(members.length >= 1, 'a cluster needs at least one member');
  assert(new Set(members).size === members.length, `duplicate member ids in [${members.join(', ')}]`);
  for (const member of members) assert(Number.isSafeInteger(member) && member >= 1, `member id ${member} must be an integer >= 1`);
  assert(members.includes(id), `node id ${id} is not among members [${members.join(', ')}]`);
  const [minMs, maxMs] = config.electionTimeoutMs;
  assert(Number.isFinite(minMs) && minMs > 0, `electionTimeoutMs min must be > 0, got ${minMs}`);
  // min == max is a fixed timeout with no randomness (legal, and the paper's worst case in Figure 16).
  assert(Number.isFinite(maxMs) && maxMs >= minMs, `electionTimeoutMs must be a range [min, max) with max >= min, got [${minMs}, ${maxMs})`);
  assert(Number.isFinite(config.heartbeatMs) && config.heartbeatMs > 0, `heartbeatMs must be > 0, got ${config.heartbeatMs}`);
  const maxEntries = config.maxEntriesPerMessage ?? DEFAULT_MAX_ENTRIES_PER_MESSAGE;
  assert(Number.isSafeInteger(maxEntries) && maxEntries >= 1, `maxEntriesPerMessage must be an integer >= 1, got ${maxEntries}`);
  const maxChunk = config.maxSnapshotChunkChars ?? DEFAULT_MAX_SNAPSHOT_CHUNK_CHARS;
  assert(Number.isSafeInteger(maxChunk) && maxChunk >= 1, `maxSnapshotChunkChars must be an integer >= 1, got ${maxChunk}`);
  const bugs = config.bugs ?? [];
  for (const bug of bugs) assert(isBugName(bug), `unknown planted bug "${String(bug)}"`);
  return {
    id,
    members: [...members],
    peers: members.filter((member) => member !== id),
    quorum: quorumSize(members.length),
    electionTimeoutMinMs: minMs,
    electionTimeoutMaxMs: maxMs,
    heartbeatMs: config.heartbeatMs,
    randomSeed: config.randomSeed,
    preVote: config.preVote ?? false,
    checkQuorum: config.checkQuorum ?? false,
    bugs: new Set(bugs),
    maxEntriesPerMessage: maxEntries,
    maxSnapshotChunkChars: maxChunk,
    snapshotProblem: config.snapshotProblem ?? acceptAnySnapshot,
  };
}

const acceptAnySnapshot = (): null => null;
