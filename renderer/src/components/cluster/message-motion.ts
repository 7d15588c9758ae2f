// Turns the messages of a LabView into sprites to draw at one instant: where along its link each message is, and how
// it looks. Real delivery on 127.0.0.1 takes well under a millisecond, so a message is shown travelling for at least a
// fraction of the (time-scaled) heartbeat interval: in slow motion students watch it cross; a drop stays visible as an
// X for a moment. Everything is a function of (view, nowNs), so scrubbing the timeline replays the same motion.
import type { ClusterSettings } from '../../../../src/protocol/lab-api';
import type { MessageView } from '../../../../src/protocol/events';
import type { NodeId } from '../../../../src/protocol/raft';
import type { LabClockState, LabView, MessageInFlight, MessageOutcome } from '../../model/lab-view';
import { labTimeAt } from '../../../../src/protocol/lab-clock';
import { INSTALL_SNAPSHOT_HELP } from '../../model/message-help';

/** Upper bound on sprites drawn at once: beyond this the picture is noise and the frame rate suffers. */
export const MAX_SPRITES = 160;
/** A message in flight waits here (fraction of the way) until its arrival or loss is known. */
const IN_FLIGHT_PARK = 0.9;
/** A message that reached its receiver's rim but waits there (frozen, or not yet handed over) is drawn here. */
const ARRIVED_PARK = 0.97;
const NS_PER_MS = 1_000_000;

export interface MotionTiming {
  /** How long a message is shown crossing its link. */
  readonly travelNs: number;
  /** How long a dropped message's X stays on screen after the loss. */
  readonly dropLingerNs: number;
}

export type MessageVerdict = 'granted' | 'denied' | null;

/** How a message looks: fixed for its whole life, so it is worked out once per message, not once per frame. */
export interface MessageLook {
  readonly message: MessageView;
  /** V: RequestVote, A: AppendEntries, S: InstallSnapshot (Figure 13), ?: a type this UI does not know. */
  readonly letter: 'V' | 'A' | 'S' | '?';
  readonly isReply: boolean;
  /** Replies: vote granted / append succeeded, or not. */
  readonly verdict: MessageVerdict;
  readonly preVote: boolean;
  readonly entryCount: number;
  /** Its fields in one line, for the tooltip. */
  readonly summary: string;
}

export interface MessageSprite {
  readonly id: string;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly look: MessageLook;
  readonly dropped: boolean;
  readonly inFlight: boolean;
  /** In flight while the cluster is frozen: it waits (at its receiver, or on its way) until someone steps or resumes. */
  readonly held: boolean;
  /** 0 at the sender's rim, 1 at the receiver's. */
  readonly progress: number;
}

export function motionTiming(settings: Pick<ClusterSettings, 'heartbeatMs' | 'timeScale'>): MotionTiming {
  const scaledHeartbeatNs = settings.heartbeatMs * Math.max(1, settings.timeScale) * NS_PER_MS;
  return { travelNs: Math.max(0.6 * scaledHeartbeatNs, 15 * NS_PER_MS), dropLingerNs: Math.max(scaledHeartbeatNs, 300 * NS_PER_MS) };
}

const LETTERS: Readonly<Record<string, MessageLook['letter']>> = {
  RequestVote: 'V', RequestVoteReply: 'V', AppendEntries: 'A', AppendEntriesReply: 'A', InstallSnapshot: 'S', InstallSnapshotReply: 'S',
};

function verdictOf(message: MessageView): MessageVerdict {
  // An InstallSnapshot reply is a success once the follower holds the whole snapshot; a chunk in between has no verdict.
  const flag = message.type === 'RequestVoteReply' ? message.fields['voteGranted']
    : message.type === 'AppendEntriesReply' ? message.fields['success']
      : message.type === 'InstallSnapshotReply' && message.fields['done'] === true ? true : undefined;
  if (flag === true) return 'granted';
  if (flag === false) return 'denied';
  return null;
}

// Keyed by the model's message object, which stays the same from send to arrival; collected with it.
const looks = new WeakMap<MessageView, MessageLook>();

export function messageLook(message: MessageView): MessageLook {
  const cached = looks.get(message);
  if (cached) return cached;
  const verdict = verdictOf(message);
  const preVote = message.fields['preVote'] === true;
  const entryCount = message.entries?.length ?? 0;
  const letter = LETTERS[message.type] ?? '?';
  const look: MessageLook = {
    message,
    letter,
    // A student's own messages (Maelstrom's protocol) name their replies "<request>_ok".
    isReply: message.type.endsWith('Reply') || message.type.endsWith('_ok'),
    verdict,
    preVote,
    entryCount,
    summary: `${message.type}${preVote ? ' (pre-vote)' : ''} S${message.from}→S${message.to}, term ${message.term}` +
      `${entryCount > 0 ? `, ${entryCount} entries` : ''}${snapshotDetail(message)}${verdict === null ? '' : `: ${verdict}`}` +
      `${message.type === 'InstallSnapshot' ? `. ${INSTALL_SNAPSHOT_HELP}` : ''}`,
  };
  looks.set(message, look);
  return look;
}

function snapshotDetail(message: MessageView): string {
  const f = message.fields;
  if (message.type === 'InstallSnapshot') {
    return `, snapshot ≤ ${String(f['lastIncludedIndex'])} (term ${String(f['lastIncludedTerm'])}), chunk at ${String(f['offset'])}` +
      ` of ${String(f['dataChars'] ?? '?')} characters${f['done'] === true ? ' (last)' : ''}`;
  }
  if (message.type === 'InstallSnapshotReply') {
    return `, snapshot ≤ ${String(f['lastIncludedIndex'])}, ${String(f['bytesStored'])} characters held`;
  }
  return '';
}

function sprite(id: string, message: MessageView, progress: number, dropped: boolean, inFlight: boolean, held = false): MessageSprite {
  return { id, from: message.from, to: message.to, look: messageLook(message), dropped, inFlight, held, progress };
}

/** Where a message stamped with lab times is at lab time labNowMs: it travels exactly its network delay. */
function labProgress(message: MessageInFlight | MessageOutcome, labNowMs: number): number | null {
  const { sentAtLabMs, deliverAtLabMs } = message;
  if (sentAtLabMs === undefined || deliverAtLabMs === undefined || deliverAtLabMs <= sentAtLabMs) return null;
  return Math.max(0, (labNowMs - sentAtLabMs) / (deliverAtLabMs - sentAtLabMs));
}

/**
 * The messages visible at `nowNs`, newest first, at most MAX_SPRITES. A message the lab clock stamped moves in lab
 * time, from its send to its due arrival, so the picture is causal: it reaches its receiver when the receiver acts on
 * it (and stands still while the cluster is frozen). Older recordings and delay-free labs keep the heartbeat-based pace.
 */
export function messageSprites(view: Pick<LabView, 'inFlight' | 'recentOutcomes' | 'clock'>, nowNs: number, timing: MotionTiming): MessageSprite[] {
  const sprites: MessageSprite[] = [];
  const clock: LabClockState | undefined = view.clock;
  const labNowMs = clock ? labTimeAt(clock.segment, nowNs) : null;
  const frozen = clock?.segment.frozen ?? false;
  for (let i = view.inFlight.length - 1; i >= 0 && sprites.length < MAX_SPRITES; i -= 1) {
    const flight = view.inFlight[i];
    if (!flight || flight.sentAtNs > nowNs) continue;
    const inLabTime = labNowMs === null ? null : labProgress(flight, labNowMs);
    const progress = Math.min(inLabTime === null ? IN_FLIGHT_PARK : ARRIVED_PARK, inLabTime ?? (nowNs - flight.sentAtNs) / timing.travelNs);
    sprites.push(sprite(flight.id, flight.message, progress, false, true, frozen));
  }
  for (let i = view.recentOutcomes.length - 1; i >= 0 && sprites.length < MAX_SPRITES; i -= 1) {
    const outcome = view.recentOutcomes[i];
    if (!outcome || outcome.sentAtNs > nowNs) continue;
    const elapsedNs = nowNs - outcome.sentAtNs;
    // Moved in lab time: it arrived when it was received; nothing more to draw.
    if (outcome.fate === 'delivered' && outcome.deliverAtLabMs !== undefined) continue;
    if (outcome.fate === 'delivered') {
      const durationNs = Math.max(timing.travelNs, outcome.endedAtNs - outcome.sentAtNs);
      if (elapsedNs < durationNs) sprites.push(sprite(outcome.id, outcome.message, elapsedNs / durationNs, false, false));
      continue;
    }
    const visibleUntilNs = Math.max(outcome.sentAtNs + timing.travelNs / 2, outcome.endedAtNs) + timing.dropLingerNs;
    if (nowNs < visibleUntilNs) sprites.push(sprite(outcome.id, outcome.message, Math.min(0.5, elapsedNs / timing.travelNs), true, false));
  }
  return sprites;
}

/**
 * Share of the election timeout still to run (1 = just reset, 0 = firing), against the largest possible timeout: in
 * lab time when the node reports its deadline in lab time (so the arc holds still while the cluster is frozen).
 */
export function electionTimerFraction(deadlineNs: number | null, nowNs: number,
  settings: Pick<ClusterSettings, 'electionTimeoutMs' | 'timeScale'>, lab?: { deadlineMs: number | null | undefined; clock: LabClockState | undefined }): number | null {
  if (lab?.clock && lab.deadlineMs !== undefined) {
    if (lab.deadlineMs === null) return null;
    const leftMs = lab.deadlineMs - labTimeAt(lab.clock.segment, nowNs);
    return Math.min(1, Math.max(0, leftMs / settings.electionTimeoutMs[1]));
  }
  if (deadlineNs === null) return null;
  const totalNs = settings.electionTimeoutMs[1] * Math.max(1, settings.timeScale) * NS_PER_MS;
  if (totalNs <= 0) return null;
  return Math.min(1, Math.max(0, (deadlineNs - nowNs) / totalNs));
}
