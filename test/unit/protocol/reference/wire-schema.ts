// A test reference: the peer frame as zod schemas, the rules wire.ts's hand-written checks replaced. Only the tests
// hold those checks to it (hand-checks.test.ts, fast-checks.test.ts); every process decodes peer frames with wire.ts
// alone, and a node never loads zod (docs/benchmarks.md).
import { z } from 'zod';
import { messageProblem } from '../../../../src/raft/message-checks';
import type { Message } from '../../../../src/raft/types';
import { countSchema, nodeIdSchema } from '../../../../src/protocol/schema-helpers';
import { MAX_COMMAND_CHARS, MAX_CONFIGURATION_IDS, MAX_ENTRIES_PER_FRAME, MAX_MESSAGE_ID_CHARS, MAX_SNAPSHOT_CHUNK_CHARS, PEER_FRAME_VERSION, type PeerFrame } from '../../../../src/protocol/wire';

/**
 * A cluster configuration (dissertation ch. 4): voters, learners, and in joint consensus the old voters. A server in
 * both voters and learners, or listed twice, is refused by messageProblem (configurationProblem), as in the core.
 */
export const configurationSchema = z.strictObject({
  voters: z.array(nodeIdSchema).max(MAX_CONFIGURATION_IDS).readonly(),
  learners: z.array(nodeIdSchema).max(MAX_CONFIGURATION_IDS).readonly(),
  outgoing: z.array(nodeIdSchema).max(MAX_CONFIGURATION_IDS).readonly(),
});

export const entrySchema = z.strictObject({
  index: z.int().min(1),
  term: countSchema,
  command: z.string().max(MAX_COMMAND_CHARS).nullable(),
  /** Present on a configuration entry only (its command is null). */
  config: configurationSchema.optional(),
});

const addressing = { from: nodeIdSchema, to: nodeIdSchema, term: countSchema };

export const requestVoteSchema = z.strictObject({
  type: z.literal('RequestVote'),
  ...addressing,
  lastLogIndex: countSchema,
  lastLogTerm: countSchema,
  preVote: z.boolean(),
  /** Only on a vote request caused by TimeoutNow (dissertation §3.10). */
  leadershipTransfer: z.literal(true).optional(),
});

export const requestVoteReplySchema = z.strictObject({
  type: z.literal('RequestVoteReply'),
  ...addressing,
  voteGranted: z.boolean(),
  preVote: z.boolean(),
});

export const appendEntriesSchema = z.strictObject({
  type: z.literal('AppendEntries'),
  ...addressing,
  prevLogIndex: countSchema,
  prevLogTerm: countSchema,
  entries: z.array(entrySchema).max(MAX_ENTRIES_PER_FRAME).readonly(),
  leaderCommit: countSchema,
  readRound: countSchema,
});

export const appendEntriesReplySchema = z.strictObject({
  type: z.literal('AppendEntriesReply'),
  ...addressing,
  success: z.boolean(),
  matchIndex: countSchema,
  conflictTerm: countSchema,
  conflictIndex: countSchema,
  readRound: countSchema,
});

export const installSnapshotSchema = z.strictObject({
  type: z.literal('InstallSnapshot'),
  ...addressing,
  lastIncludedIndex: z.int().min(1),
  lastIncludedTerm: z.int().min(1),
  offset: countSchema,
  data: z.string().max(MAX_SNAPSHOT_CHUNK_CHARS),
  done: z.boolean(),
  /** The snapshot's configuration; absent: the bootstrap configuration (a snapshot taken before any change). */
  config: configurationSchema.optional(),
// A snapshot holds committed entries, whose terms never exceed the sender's: refused here, before it can move our term.
}).refine((message) => message.lastIncludedTerm <= message.term,
  { message: 'lastIncludedTerm must not exceed term', path: ['lastIncludedTerm'] });

export const installSnapshotReplySchema = z.strictObject({
  type: z.literal('InstallSnapshotReply'),
  ...addressing,
  lastIncludedIndex: z.int().min(1),
  bytesStored: countSchema,
  done: z.boolean(),
});

export const timeoutNowSchema = z.strictObject({
  type: z.literal('TimeoutNow'),
  ...addressing,
});

export const messageSchema = z.discriminatedUnion('type', [
  requestVoteSchema,
  requestVoteReplySchema,
  appendEntriesSchema,
  appendEntriesReplySchema,
  installSnapshotSchema,
  installSnapshotReplySchema,
  timeoutNowSchema,
]);

// Compile-time proof that the schema and the core's Message type describe the same values: each must be
// assignable to the other. If someone adds a field to a message in types.ts, this stops compiling until the
// schema follows.
type AssertAssignable<Sub extends Super, Super> = [Sub, Super];
export type MessageSchemaMatchesMessage = [
  AssertAssignable<z.infer<typeof messageSchema>, Message>,
  AssertAssignable<Message, z.infer<typeof messageSchema>>,
];

export const peerFrameSchema = z.strictObject({
  v: z.literal(PEER_FRAME_VERSION),
  /** Unique per sender, e.g. "3-1042"; a duplicated frame keeps its id so duplicates can be recognised. */
  id: z.string().min(1).max(MAX_MESSAGE_ID_CHARS),
  /**
   * Sender's CLOCK_MONOTONIC in ns when the core emitted the message. Not an integer check: past 2^53 ns
   * (~104 days of uptime) a float loses the last digits but stays ordered well enough.
   */
  sentAtNs: z.number().nonnegative(),
  /**
   * Lab time (ms, src/protocol/lab-clock.ts) at which the receiver may hand the message to its core: the sender's
   * lab time plus the cluster's network delay. Absent: at once. The receiver holds it until then (and while frozen).
   */
  deliverAtMs: z.number().nonnegative().optional(),
  msg: messageSchema.superRefine((message, context) => {
    const problem = messageProblem(message);
    if (problem !== null) context.addIssue({ code: 'custom', message: `not a message a Raft server sends: ${problem}` });
  }),
});

export type PeerFrameSchemaMatchesPeerFrame = [
  AssertAssignable<z.infer<typeof peerFrameSchema>, PeerFrame>,
  AssertAssignable<PeerFrame, z.infer<typeof peerFrameSchema>>,
];

