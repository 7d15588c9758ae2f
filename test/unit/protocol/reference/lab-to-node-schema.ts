// A test reference: the lab→node control frames as zod schemas, the rules control.ts's hand-written checks replaced.
// Only the tests hold those checks to it (hand-checks.test.ts, snapshot-policy-settings.test.ts); a node decodes its
// control frames with control.ts alone and never loads zod (docs/benchmarks.md).
import { z } from 'zod';
import { isBugName } from '../../../../src/raft/planted-bugs';
import {
  CONTROL_PROTOCOL_VERSION, EVENT_DETAILS, STEP_ACTIONS, type LabToNodeFrame, type NodeConfig,
} from '../../../../src/protocol/control';
import { membershipChangeSchema } from '../../../../src/protocol/control-schema';
import { electionTimeoutRangeSchema } from '../../../../src/protocol/election-timeout-schema';
import { labClockSegmentSchema, networkDelaySchema } from '../../../../src/protocol/lab-clock-schema';
import { faultTableSchema } from '../../../../src/protocol/link-faults-schema';
import { MAX_MESSAGE_ID_CHARS } from '../../../../src/protocol/validate';

const nodeId = z.number().int().min(1).max(25);
const secret = z.string().min(16).max(128);
const messageId = z.string().min(1).max(MAX_MESSAGE_ID_CHARS);
const requestId = z.number().int().nonnegative();

const endpoint = z.string().regex(/^tcp:\/\/127\.0\.0\.1:\d{1,5}$/);

/** Everything a node needs to run Raft; sent once all members have reported their endpoints. */
export const nodeConfigSchema = z.strictObject({
  members: z.record(z.string().regex(/^\d{1,2}$/), endpoint),
  /**
   * The bootstrap configuration's voters (RaftConfig.members), used until the log or a snapshot holds a configuration.
   * Absent: every member (a cluster as started). Empty for a server added by a membership change: it waits to hear
   * from a leader (dissertation §4.2.1).
   */
  bootstrapMembers: z.array(nodeId).max(25).optional(),
  /** How configurations change (RaftConfig.membershipMode); absent: one server at a time (dissertation ch. 4). */
  membershipMode: z.enum(['single-server', 'joint']).optional(),
  /** min == max: a fixed timeout; an inverted range is refused here, before the core would assert on it. */
  electionTimeoutMs: electionTimeoutRangeSchema,
  heartbeatMs: z.number().int().min(5).max(30_000),
  /** The lab clock as it stands (a node restarted while the cluster is frozen starts frozen). */
  clock: labClockSegmentSchema,
  networkDelayMs: networkDelaySchema,
  preVote: z.boolean(),
  checkQuorum: z.boolean(),
  bugs: z.array(z.string().refine(isBugName, 'unknown planted bug')).max(16),
  /** The cluster's compaction policy (ClusterSettings.snapshotEveryEntries); absent: the node's own. */
  snapshotEveryEntries: z.number().int().min(0).max(1_000_000).optional(),
  snapshotKeepEntries: z.number().int().min(0).max(1_000_000).optional(),
  randomSeed: z.number().int().nonnegative(),
  faults: faultTableSchema,
  eventDetail: z.enum(EVENT_DETAILS),
});

const base = { v: z.literal(CONTROL_PROTOCOL_VERSION), secret };

export const labToNodeSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...base, type: z.literal('shutdown') }),
  z.strictObject({ ...base, type: z.literal('configure'), config: nodeConfigSchema }),
  /** A member moved (restarted on a new port). */
  z.strictObject({ ...base, type: z.literal('peers'), members: z.record(z.string().regex(/^\d{1,2}$/), endpoint) }),
  /** `version` (absent from older labs) is echoed in a faults-applied frame once the table is in force. */
  z.strictObject({ ...base, type: z.literal('faults'), faults: faultTableSchema, version: z.number().int().nonnegative().optional() }),
  /** The lab clock changed (slow motion, freeze, run, a step's new time) or the network delay did. */
  z.strictObject({ ...base, type: z.literal('clock'), clock: labClockSegmentSchema, networkDelayMs: networkDelaySchema }),
  /** While frozen: report what you would do next (answered with `pending`). */
  z.strictObject({ ...base, type: z.literal('query'), queryId: requestId }),
  /**
   * Do one thing now and answer `step-done` once its effects are durable and sent: fire the core's due timer,
   * deliver / drop / duplicate a held message, or time out now (the election timer fires at once).
   */
  z.strictObject({ ...base, type: z.literal('step'), stepId: requestId, action: z.enum(STEP_ACTIONS), messageId: messageId.optional() }),
  /** Propose a configuration change (only a leader appends it); answered with `membership-done`. */
  z.strictObject({ ...base, type: z.literal('membership'), changeId: requestId, change: membershipChangeSchema }),
  /** Hand leadership to `to` (only a leader can; dissertation §3.10); answered with `transfer-done`. */
  z.strictObject({ ...base, type: z.literal('transfer'), transferId: requestId, to: nodeId }),
]);


type AssertAssignable<Sub extends Super, Super> = [Sub, Super];
export type ControlSchemasMatchTypes = [
  AssertAssignable<z.infer<typeof nodeConfigSchema>, NodeConfig>,
  AssertAssignable<NodeConfig, z.infer<typeof nodeConfigSchema>>,
  AssertAssignable<z.infer<typeof labToNodeSchema>, LabToNodeFrame>,
  AssertAssignable<LabToNodeFrame, z.infer<typeof labToNodeSchema>>,
];

