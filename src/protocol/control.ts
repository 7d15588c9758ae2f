// Frames between the lab and its node processes (not between Raft peers: see wire.ts). The node connects to the
// lab's socket; every frame in both directions carries the per-run secret so that nothing else on the machine can
// drive a node or impersonate one. Decoding never throws: a bad frame is reported and changes nothing.
// A node decodes the lab's frames with the hand-written check here, without zod (a node process does not load it:
// docs/benchmarks.md); the lab decodes its nodes' frames with control-schema.ts, which also holds this check's rules
// as a zod schema, and the two agree (test/unit/protocol/hand-checks.test.ts).
import { isBugName } from '../raft/planted-bugs';
import type { BugName } from '../raft/bug-names';
import {
  boolean, integer, list, literal, object, oneOf, optional, record, refined, tagged, text, type Check,
} from './check';
import { checkElectionTimeoutRange } from './election-timeout';
import { checkLabClockSegment, checkNetworkDelay, type LabClockSegment } from './lab-clock';
import { checkFaultTable, type FaultTable } from './link-faults';
import { decodeWithCheck, MAX_MESSAGE_ID_CHARS, MAX_NODE_ID, type Decoded } from './validate';

import type { NodeToLabFrame } from './control-schema';

export type { MembershipAnswer, NodeToLabFrame, TransferAnswer } from './control-schema';

export const CONTROL_PROTOCOL_VERSION = 1;
export const MAX_CONTROL_FRAME_BYTES = 1024 * 1024;
/** Bounds a step's report: one step of one node sends at most one message per peer (a few with a client burst). */
export const MAX_STEP_MESSAGES = 1000;

/**
 * What a node reports to the lab. full: every message sent, received and dropped, every rule applied, and its log
 * writes (the UI). state: state changes, non-routine Raft events and log writes, no messages (headless runs whose
 * checkers compare the nodes' logs: chaos). quiet: role, term, vote and leader changes at once, index changes at
 * most every 100 ms, elections and other rare Raft events, and instead of log contents only which indexes hold which
 * terms (log-terms events, for the safety monitor; benchmarks: the cluster is measured, not watched; shipping every
 * entry to the lab cost ~20% of the throughput). A node's recovered log is sent at
 * start whatever the detail: it says hello before it is configured.
 */
export const EVENT_DETAILS = ['full', 'state', 'quiet'] as const;
export type EventDetail = (typeof EVENT_DETAILS)[number];

/** What a `step` frame asks a node to do. */
export const STEP_ACTIONS = ['timer', 'deliver', 'drop', 'duplicate', 'timeout'] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

export const MEMBERSHIP_CHANGE_TYPES = ['add', 'promote', 'remove'] as const;
export const MEMBERSHIP_MODES = ['single-server', 'joint'] as const;

/** Everything a node needs to run Raft; sent once all members have reported their endpoints. */
export interface NodeConfig {
  /** Each member's peer endpoint, by node id. */
  members: Record<string, string>;
  /**
   * The bootstrap configuration's voters (RaftConfig.members), used until the log or a snapshot holds a configuration.
   * Absent: every member (a cluster as started). Empty for a server added by a membership change: it waits to hear
   * from a leader (dissertation §4.2.1).
   */
  bootstrapMembers?: number[];
  /** How configurations change (RaftConfig.membershipMode); absent: one server at a time (dissertation ch. 4). */
  membershipMode?: (typeof MEMBERSHIP_MODES)[number];
  /** min == max: a fixed timeout; an inverted range is refused here, before the core would assert on it. */
  electionTimeoutMs: [number, number];
  heartbeatMs: number;
  /** The lab clock as it stands (a node restarted while the cluster is frozen starts frozen). */
  clock: LabClockSegment;
  networkDelayMs: [number, number];
  preVote: boolean;
  checkQuorum: boolean;
  bugs: BugName[];
  /** The cluster's compaction policy (ClusterSettings.snapshotEveryEntries); absent: the node's own. */
  snapshotEveryEntries?: number;
  snapshotKeepEntries?: number;
  randomSeed: number;
  faults: FaultTable;
  eventDetail: EventDetail;
}

interface FrameBase { v: typeof CONTROL_PROTOCOL_VERSION; secret: string }

/** A configuration change the lab asked a node to propose (dissertation ch. 4): add a learner, promote it, remove. */
export interface MembershipChangeRequest { type: (typeof MEMBERSHIP_CHANGE_TYPES)[number]; node: number }

export type LabToNodeFrame =
  | FrameBase & { type: 'shutdown' }
  | FrameBase & { type: 'configure'; config: NodeConfig }
  /** A member moved (restarted on a new port). */
  | FrameBase & { type: 'peers'; members: Record<string, string> }
  /** `version` (absent from older labs) is echoed in a faults-applied frame once the table is in force. */
  | FrameBase & { type: 'faults'; faults: FaultTable; version?: number }
  /** The lab clock changed (slow motion, freeze, run, a step's new time) or the network delay did. */
  | FrameBase & { type: 'clock'; clock: LabClockSegment; networkDelayMs: [number, number] }
  /** While frozen: report what you would do next (answered with `pending`). */
  | FrameBase & { type: 'query'; queryId: number }
  /**
   * Do one thing now and answer `step-done` once its effects are durable and sent: fire the core's due timer,
   * deliver / drop / duplicate a held message, or time out now (the election timer fires at once).
   */
  | FrameBase & { type: 'step'; stepId: number; action: StepAction; messageId?: string }
  /** Propose a configuration change (only a leader appends it); answered with `membership-done`. */
  | FrameBase & { type: 'membership'; changeId: number; change: MembershipChangeRequest }
  /** Hand leadership to `to` (only a leader can; dissertation §3.10); answered with `transfer-done`. */
  | FrameBase & { type: 'transfer'; transferId: number; to: number };

/** Endpoints are loopback TCP: nodes and lab share one machine. */
export const LOOPBACK_ENDPOINT = /^tcp:\/\/127\.0\.0\.1:\d{1,5}$/;
/** Keys of `members`: node ids as JSON object keys. */
export const MEMBER_KEY = /^\d{1,2}$/;
export const MIN_SECRET_CHARS = 16;
export const MAX_SECRET_CHARS = 128;

const nodeId = integer(1, MAX_NODE_ID);
const requestId = integer(0);
const messageId = text(1, MAX_MESSAGE_ID_CHARS);
const endpoint = text(0, Number.MAX_SAFE_INTEGER, LOOPBACK_ENDPOINT, 'must be tcp://127.0.0.1:<port>');
const members = record((name) => text(0, Number.MAX_SAFE_INTEGER, MEMBER_KEY, 'must be a node id')(name), endpoint);
const snapshotSetting = optional(integer(0, 1_000_000));

export const checkNodeConfig: Check<NodeConfig> = object<NodeConfig>({
  members,
  bootstrapMembers: optional(list(nodeId, MAX_NODE_ID)),
  membershipMode: optional(oneOf(MEMBERSHIP_MODES)),
  electionTimeoutMs: checkElectionTimeoutRange,
  heartbeatMs: integer(5, 30_000),
  clock: checkLabClockSegment,
  networkDelayMs: checkNetworkDelay,
  preVote: boolean,
  checkQuorum: boolean,
  bugs: list(refined(text(0, Number.MAX_SAFE_INTEGER), isBugName, 'unknown planted bug'), 16),
  snapshotEveryEntries: snapshotSetting,
  snapshotKeepEntries: snapshotSetting,
  randomSeed: integer(0),
  faults: checkFaultTable,
  eventDetail: oneOf(EVENT_DETAILS),
});

const base = { v: literal(CONTROL_PROTOCOL_VERSION), secret: text(MIN_SECRET_CHARS, MAX_SECRET_CHARS) };
type Frame<T extends LabToNodeFrame['type']> = Extract<LabToNodeFrame, { type: T }>;

export const checkLabToNode: Check<LabToNodeFrame> = tagged<LabToNodeFrame>('type', {
  shutdown: object<Frame<'shutdown'>>({ ...base, type: literal('shutdown') }),
  configure: object<Frame<'configure'>>({ ...base, type: literal('configure'), config: checkNodeConfig }),
  peers: object<Frame<'peers'>>({ ...base, type: literal('peers'), members }),
  faults: object<Frame<'faults'>>({ ...base, type: literal('faults'), faults: checkFaultTable, version: optional(integer(0)) }),
  clock: object<Frame<'clock'>>({ ...base, type: literal('clock'), clock: checkLabClockSegment, networkDelayMs: checkNetworkDelay }),
  query: object<Frame<'query'>>({ ...base, type: literal('query'), queryId: requestId }),
  step: object<Frame<'step'>>({ ...base, type: literal('step'), stepId: requestId, action: oneOf(STEP_ACTIONS), messageId: optional(messageId) }),
  membership: object<Frame<'membership'>>({
    ...base, type: literal('membership'), changeId: requestId,
    change: object<MembershipChangeRequest>({ type: oneOf(MEMBERSHIP_CHANGE_TYPES), node: nodeId }),
  }),
  transfer: object<Frame<'transfer'>>({ ...base, type: literal('transfer'), transferId: requestId, to: nodeId }),
});

/** A decoded frame whose secret is not the run's is refused (the lab's and the node's decoders both end here). */
export function decodeControlFrame<T extends { secret: string }>(decoded: Decoded<T>, expectedSecret: string): Decoded<T> {
  if (decoded.ok && !constantTimeEqual(decoded.value.secret, expectedSecret)) {
    return { ok: false, error: 'control frame with a wrong secret' };
  }
  return decoded;
}

export function decodeLabToNode(bytes: Uint8Array, expectedSecret: string): Decoded<LabToNodeFrame> {
  return decodeControlFrame(decodeWithCheck(bytes, checkLabToNode, MAX_CONTROL_FRAME_BYTES, 'control frame'), expectedSecret);
}

export function encodeControlFrame(frame: NodeToLabFrame | LabToNodeFrame): Buffer {
  return Buffer.from(JSON.stringify(frame), 'utf8');
}

// Why constant time: the secret is the only thing standing between a local process and the lab's controls.
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
