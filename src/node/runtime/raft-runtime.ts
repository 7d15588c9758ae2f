// A node process's Raft: the one Ready pipeline (src/runtime/ready-pipeline.ts: durability before effects, the
// leader's early AppendEntries, group commit, the apply queue, log compaction), wired to this process's write-ahead
// log, ZeroMQ transport, lab clock and KV state machine, plus what only a node does: client requests and their
// replies, ReadIndex reads waiting for the KV, and reports to the lab. The simulator runs the same pipeline.
import type { KvStateMachine } from '../../kv/state-machine';
import type { KvApplyResult } from '../../kv/result';
import { SESSION_NEVER_OPENED_ERROR, type ClientReplyFrame, type ClientRequestFrame } from '../../protocol/client';
import type { EventDetail } from '../../protocol/control';
import type { PeerFrame } from '../../protocol/wire';
import type { BugName } from '../../raft/bug-names';
import type { Entry, MembershipChange, Message, NodeId, ProposeResult, RaftNode, ReadFailure, ReadState, Ready, Snapshot, TransferResult } from '../../raft/types';
import type { MembershipAnswer, TransferAnswer } from '../../protocol/control';
import { decodeKvLogCommand, encodeKvCommand, type KvLogCommand } from '../../kv/command';
import { sessionNeverOpened } from '../../kv/session-origin';
import { monotonicNowNs } from '../../shared/monotonic-clock';
import type { LogStorage, PipelineObserver, RuntimeScheduler, StateMachinePort } from '../../runtime/ports';
import { ReadyPipeline } from '../../runtime/ready-pipeline';
import type { SnapshotPolicyOptions } from '../../runtime/snapshot-policy';
import type { EventReporter } from '../reporting/event-reporter';
import type { LabClock } from './lab-clock';
import type { NetworkDelay } from './network-delay';
import type { Wal } from '../storage';
import type { PeerTransport, SendFate } from '../transport/peer-transport';
import { toMessageView } from '../reporting/message-view';
import { kvStateEvent } from '../reporting/kv-state-report';
import { NodeStateTracker } from '../reporting/node-state-tracker';
import { logEntryView } from '../reporting/log-entry-view';
import { QUIET_STATE_REPORT_INTERVAL_MS, StateReportPacer } from '../reporting/state-report-pacer';
import { DurableTerms } from './durable-terms';

const MAX_PENDING_WRITES = 10_000;
/** Raft events a node does not report, per event detail: in state, the routine ones; in quiet, also per-batch ones. */
const ROUTINE_EVENT_KINDS = ['append-accepted', 'message-ignored', 'proposal-accepted', 'read-confirmed'];
const SKIPPED_EVENT_KINDS: Readonly<Record<EventDetail, ReadonlySet<string>>> = {
  full: new Set(),
  state: new Set(ROUTINE_EVENT_KINDS),
  quiet: new Set([...ROUTINE_EVENT_KINDS, 'entries-appended', 'commit-advanced']),
};
const MAX_PENDING_READS = 10_000;
/**
 * Ready batches that may wait for a slow or stuck disk before the node stops taking input (why: ReadyPipeline's
 * backlogFull). Then peer messages are dropped unread, clients are answered retry, and its timers wait.
 */
export const MAX_BACKLOG_BATCHES = 4096;
/** settled() gives up after this many rounds of new work (a step causes a handful; a flood must not hang it). */
const MAX_SETTLE_ROUNDS = 50;

type Reply = (frame: Omit<ClientReplyFrame, 'v' | 'requestId' | 'node'>) => void;

interface PendingWrite { readonly term: number; readonly reply: Reply }
interface PendingRead { readonly key: string; readonly reply: Reply; index: number | null }

export interface RaftRuntimeOptions {
  readonly nodeId: number;
  readonly core: RaftNode;
  readonly wal: Wal;
  readonly transport: PeerTransport;
  readonly clock: LabClock;
  /** Deferred work and the core's timer on this process's event loop (EventLoopScheduler). */
  readonly scheduler: RuntimeScheduler;
  /** Added to every message's due time at its receiver (lab ms); absent: none. */
  readonly networkDelay?: NetworkDelay;
  readonly kv: KvStateMachine;
  readonly reporter: EventReporter;
  /** What to report to the lab: see EVENT_DETAILS. */
  readonly eventDetail: EventDetail;
  /** When to compact the log. */
  readonly snapshotPolicy: SnapshotPolicyOptions;
  /** Planted bugs (the pipeline acts on its own ones; the core got the list in its config). */
  readonly bugs?: readonly BugName[];
  /** Something went wrong that the node survives (reported to the lab as an error). */
  onError(message: string): void;
  /**
   * Called once the log dropped a compacted prefix and the WAL wrote its snapshot (so the WAL's encoded copy of it
   * is garbage too): thousands of entries just became garbage at once. main.ts runs a full GC here, which keeps the
   * node's resident memory near its live size instead of letting V8 grow the heap first (see snapshot-policy.ts).
   */
  onLogCompacted?(): void;
  /**
   * The node cannot keep its promises and must stop: the WAL failed, a snapshot cannot be restored, or the core
   * threw (a broken invariant: see ReadyPipeline.guarded). The error says which.
   */
  onFatal(error: Error): void;
}

export class RaftRuntime {
  private readonly pipeline: ReadyPipeline;
  private messageCounter = 0;
  private readonly incarnation = process.pid.toString(36);
  private readonly pendingWrites = new Map<number, PendingWrite>();
  private readonly pendingReads = new Map<string, PendingRead>();
  private readonly stateTracker: NodeStateTracker;
  private stopped = false;
  /** The reason of the core's last proposal-rejected event (read by proposeMembership right after it drains). */
  private lastRejection: string | null = null;
  private readonly fullDetail: boolean;
  /** Paces state reports in quiet mode; null: every change is reported at once. */
  private readonly statePacer: StateReportPacer | null;
  /** Quiet mode: the durable log's terms, sent before the node's next event instead of every entry. */
  private readonly durableTerms: DurableTerms | null;

  constructor(private readonly o: RaftRuntimeOptions) {
    this.fullDetail = o.eventDetail === 'full';
    const wal = o.wal;
    // The pipeline's completion is called inside the write when the WAL syncs at once (its usual case): a follower's
    // acknowledgement then goes out right after its fdatasync, before the committed entries of the same run are applied.
    const storage: LogStorage = { write: (persist, done) => wal.writeThen(persist, done) };
    const stateMachine: StateMachinePort = {
      get appliedIndex() { return o.kv.appliedIndex; },
      restoreSnapshot: (snapshot) => this.restoreSnapshot(snapshot),
      apply: (entries) => this.apply(entries),
      reads: (readStates, readFailures) => this.reads(readStates, readFailures),
      takeSnapshot: () => o.kv.takeSnapshot(),
    };
    const observer: PipelineObserver = {
      onReady: (ready) => this.reportEvents(ready),
      onDurable: (entries) => this.reportLogWrite(entries),
      onReleased: () => this.reportStateIfChanged(),
      onLogCompacted: () => { if (o.onLogCompacted) o.scheduler.soon(o.onLogCompacted); },
      afterDrain: () => undefined,
      onError: (message) => o.onError(message),
      onBacklogChanged: (full) => this.reportBacklog(full),
      onFatal: (error) => o.onFatal(error),
    };
    this.pipeline = new ReadyPipeline({ core: o.core, storage, transport: { send: (message) => this.sendMessage(message) },
      clock: o.clock, scheduler: o.scheduler, stateMachine, snapshotPolicy: o.snapshotPolicy, observer,
      maxBacklogBatches: MAX_BACKLOG_BATCHES, ...(o.bugs === undefined ? {} : { bugs: o.bugs }) });
    const pipeline = this.pipeline;
    this.stateTracker = new NodeStateTracker(o.core, o.clock, () => pipeline.durableIndex, () => o.kv.appliedIndex);
    this.statePacer = o.eventDetail === 'quiet'
      ? new StateReportPacer(QUIET_STATE_REPORT_INTERVAL_MS, () => performance.now(), this.reportStateNow) : null;
    this.durableTerms = o.eventDetail === 'quiet' ? new DurableTerms(o.nodeId) : null;
    const durableTerms = this.durableTerms;
    if (durableTerms) o.reporter.sendBeforeEachEvent((atNs) => durableTerms.take(atNs));
  }

  start(): void {
    // Report at once what the node recovered (term, vote, log), before any traffic changes it: the lab's view of a
    // restarted node must not keep showing its state from before the crash.
    this.reportStateIfChanged();
    this.pipeline.drain();
  }

  private reportStateIfChanged(): void {
    if (this.statePacer) this.statePacer.changed(this.o.core.status());
    else this.reportStateNow();
  }

  private readonly reportStateNow = (): void => {
    const state = this.stateTracker.changed();
    if (state) this.o.reporter.report({ type: 'node-state', atNs: monotonicNowNs(), node: this.o.nodeId, state });
  };

  stop(): void {
    this.stopped = true;
    this.pipeline.stop();
    this.statePacer?.stop();
  }

  onPeerFrame(frame: PeerFrame): void {
    if (this.stopped) return;
    if (this.pipeline.backlogFull) {
      this.reportDropped(frame, `this node's disk is ${MAX_BACKLOG_BATCHES} batches behind: dropped unread (the sender retries)`);
      return;
    }
    if (this.fullDetail) {
      this.o.reporter.report({ type: 'message', atNs: monotonicNowNs(), node: this.o.nodeId, direction: 'receive',
        id: frame.id, message: toMessageView(frame.msg), dropReason: null });
    }
    // Inline rather than through guarded(): this runs for every peer message, and a closure plus the description
    // string built for each one showed in the write path's garbage collection.
    try {
      this.o.core.tick(this.o.clock.nowMs());
      this.o.core.step(frame.msg);
    } catch (error) {
      this.coreFailed(`${frame.msg.type} ${frame.id} from S${frame.msg.from}`, error);
      return;
    }
    this.pipeline.drainSoon();
  }

  /** The core threw on `what`: the node stops (see ReadyPipeline.coreFailed). */
  private coreFailed(what: string, error: unknown): void {
    this.stop();
    this.pipeline.coreFailed(what, error);
  }

  /** Reports the fate of each frame the transport was handed (called synchronously from send). */
  onSent(frame: PeerFrame, fate: SendFate): void {
    if (!this.fullDetail) return;
    const dropped = fate === 'dropped' || fate === 'blocked';
    const labTimes = !dropped && frame.deliverAtMs !== undefined
      ? { sentAtLabMs: this.o.clock.nowMs(), deliverAtLabMs: frame.deliverAtMs } : {};
    // Stamped when the frame was made (beside the clock reading its due time came from), not now: under load the
    // process can be descheduled inside send(), and a later stamp made a delayed message look faster than its delay.
    this.o.reporter.report({ type: 'message', atNs: frame.sentAtNs, node: this.o.nodeId,
      direction: dropped ? 'drop' : 'send', id: frame.id, message: toMessageView(frame.msg),
      dropReason: fate === 'blocked' ? 'link blocked (partition)' : fate === 'dropped' ? 'lost (injected loss or full queue)' : null,
      ...labTimes });
  }

  onInboundBlocked(frame: PeerFrame): void {
    this.reportDropped(frame, 'link blocked (partition, receiving side)');
  }

  /** Said in every event detail: a node that stops taking input must never do so silently. */
  private reportBacklog(full: boolean): void {
    const text = full
      ? `S${this.o.nodeId}'s disk is far behind: ${MAX_BACKLOG_BATCHES} Ready batches wait for its writes. Until it catches ` +
        'up it drops peer messages unread and its timers wait, as if it were paused (Raft tolerates lost messages)'
      : `S${this.o.nodeId}'s disk caught up: it takes peer messages again and its timers run`;
    this.o.reporter.report({ type: 'node-note', atNs: monotonicNowNs(), node: this.o.nodeId, text, rule: null });
  }

  /** A message that reached this node will never be handed to the core. */
  reportDropped(frame: PeerFrame, reason: string): void {
    if (!this.fullDetail) return;
    this.o.reporter.report({ type: 'message', atNs: monotonicNowNs(), node: this.o.nodeId, direction: 'drop',
      id: frame.id, message: toMessageView(frame.msg), dropReason: reason });
  }

  /** RaftScope's "time out": the election timer fires now (a lab control; frozen or not). */
  timeoutNow(): void {
    if (this.stopped) return;
    this.pipeline.guarded('a time-out-now from the lab', () => {
      this.o.core.tick(this.o.clock.nowMs());
      this.o.core.forceElectionTimeout();
    });
    this.pipeline.drain();
  }

  /**
   * A configuration change from the lab (dissertation ch. 4): the core appends it if this server leads and no change
   * is pending; otherwise the answer carries the core's own reason (its proposal-rejected event).
   */
  proposeMembership(change: MembershipChange): MembershipAnswer {
    if (this.stopped) return { ok: false, index: null, leaderHint: null, error: `S${this.o.nodeId} is stopping` };
    this.lastRejection = null;
    let result: ProposeResult;
    try {
      this.o.core.tick(this.o.clock.nowMs());
      result = this.o.core.proposeMembership(change);
    } catch (error) {
      this.coreFailed('a configuration change from the lab', error);
      return { ok: false, index: null, leaderHint: null, error: `S${this.o.nodeId} failed on the change` };
    }
    this.pipeline.drain(); // synchronous: the core's events (and its reason for a refusal) are reported now
    if (result.ok) return { ok: true, index: result.index, leaderHint: this.o.nodeId, error: null };
    return { ok: false, index: null, leaderHint: result.leaderHint,
      error: this.lastRejection ?? `S${this.o.nodeId} refused the configuration change` };
  }

  /**
   * A leadership transfer from the lab (dissertation §3.10): the core begins it if this server leads and `to` is a
   * voter; the rest (TimeoutNow, the target's election, or the abort after an election timeout) are its events.
   */
  transferLeadership(to: NodeId): TransferAnswer {
    if (this.stopped) return { ok: false, leaderHint: null, error: `S${this.o.nodeId} is stopping` };
    let result: TransferResult;
    try {
      this.o.core.tick(this.o.clock.nowMs());
      result = this.o.core.transferLeadership(to);
    } catch (error) {
      this.coreFailed('a leadership transfer from the lab', error);
      return { ok: false, leaderHint: null, error: `S${this.o.nodeId} failed on the transfer` };
    }
    this.pipeline.drain(); // synchronous: the transfer's first events (or its refusal) are reported before the answer
    return result.ok ? { ok: true, leaderHint: this.o.nodeId, error: null } : { ok: false, leaderHint: result.leaderHint, error: result.reason };
  }

  /** A step while frozen: fire the timers due at the lab's current time. */
  fireDueTimers(): void {
    if (this.stopped) return;
    this.pipeline.guarded('a step of its timers', () => this.o.core.tick(this.o.clock.nowMs()));
    this.pipeline.drain();
  }

  /** When the core's next timer fires (lab ms). */
  nextTimerMs(): number {
    return this.o.core.nextDeadlineMs();
  }

  /**
   * Resolves once everything started so far has played out: Ready batches drained, written, their messages sent
   * and their entries applied (a step's report must list every message the step caused).
   */
  async settled(): Promise<void> {
    for (let round = 0; round < MAX_SETTLE_ROUNDS; round += 1) {
      await new Promise<void>((resolve) => this.pipeline.whenIdle(resolve));
      await new Promise<void>((resolve) => setImmediate(resolve)); // let a scheduled drain run
      if (this.stopped || this.pipeline.idle) return;
    }
  }

  handleClient(request: ClientRequestFrame, reply: Reply): void {
    if (this.stopped) return;
    if (this.pipeline.backlogFull) {
      reply({ status: 'retry', value: null, leaderHint: null, index: null, error: 'this node\'s disk is far behind; try again later' });
      return;
    }
    try { // inline, as in onPeerFrame: every client request
      this.o.core.tick(this.o.clock.nowMs());
      if (request.op === 'get') this.startRead(request, reply);
      else this.startWrite(request, reply);
    } catch (error) {
      this.coreFailed(`client request ${request.requestId}`, error);
      return;
    }
    this.pipeline.drainSoon();
  }

  private startWrite(request: ClientRequestFrame, reply: Reply): void {
    if (this.pendingWrites.size >= MAX_PENDING_WRITES) {
      reply({ status: 'retry', value: null, leaderHint: null, index: null, error: 'too many writes in flight' });
      return;
    }
    let command: string;
    try {
      command = encodeKvCommand(commandOf(request));
    } catch (error) {
      reply({ status: 'error', value: null, leaderHint: null, index: null, error: (error as Error).message });
      return;
    }
    const proposed = this.o.core.propose(command);
    if (!proposed.ok) {
      reply({ status: 'not-leader', value: null, leaderHint: proposed.leaderHint, index: null, error: null });
      return;
    }
    this.pendingWrites.get(proposed.index)?.reply({ status: 'retry', value: null, leaderHint: null, index: null,
      error: 'superseded' });
    if (request.op === 'register') {
      // The session id is the register entry's index, known now: the client's first write need not wait a commit
      // round for it (nor, on a paused cluster, the student's steps). This promises nothing: a write is applied only
      // if the entry at that index turns out to be this client's register, otherwise it is answered session-expired.
      reply({ status: 'ok', value: null, leaderHint: null, index: proposed.index, error: null });
      return;
    }
    this.pendingWrites.set(proposed.index, { term: proposed.term, reply });
  }

  private startRead(request: ClientRequestFrame, reply: Reply): void {
    if (this.pendingReads.size >= MAX_PENDING_READS || this.pendingReads.has(request.requestId)) {
      reply({ status: 'retry', value: null, leaderHint: null, index: null, error: 'too many reads in flight' });
      return;
    }
    this.pendingReads.set(request.requestId, { key: request.key ?? '', reply, index: null });
    this.o.core.readIndex(request.requestId);
  }

  /** Each Ready batch's Raft events go to the lab (as much of them as its event detail asks for). */
  private reportEvents(ready: Ready): void {
    const atNs = monotonicNowNs();
    for (const event of ready.events) {
      if (event.kind === 'proposal-rejected') this.lastRejection = event.reason;
      if (SKIPPED_EVENT_KINDS[this.o.eventDetail].has(event.kind)) continue;
      this.o.reporter.report({ type: 'raft', atNs, node: this.o.nodeId, event: { ...event, data: { ...event.data } } });
    }
  }

  /**
   * The leader's snapshot replaces the KV's whole state. A bad one throws (the KV validates it and changes nothing):
   * the node cannot go on without a state machine that matches its log, so that stops it (the pipeline's onFatal).
   */
  private restoreSnapshot(snapshot: Snapshot): void {
    const index = snapshot.lastIncludedIndex;
    try {
      this.o.kv.restoreSnapshot(index, snapshot.data);
    } catch (error) {
      throw new Error(`cannot restore the snapshot up to entry ${index}: ${error instanceof Error ? error.message : String(error)}`);
    }
    // The UI rebuilds KV from applied entries and never sees the snapshot's data: tell it the state outright.
    this.o.reporter.report(kvStateEvent(this.o.nodeId, monotonicNowNs(), index, this.o.kv.snapshotData()));
    // Writes proposed here (while leader) that the snapshot covers were never applied here: whether each took
    // effect is unknown on this node, so the client retries (its session makes a retry apply at most once).
    for (const [pendingIndex, pending] of this.pendingWrites) {
      if (pendingIndex > index) continue;
      this.pendingWrites.delete(pendingIndex);
      pending.reply({ status: 'retry', value: null, leaderHint: null, index: null,
        error: `entry ${pendingIndex} is covered by a snapshot installed from the leader` });
    }
  }

  private sendMessage(message: Message): void {
    this.messageCounter += 1;
    const id = `${this.o.nodeId}.${this.incarnation}-${this.messageCounter}`;
    const delay = this.o.networkDelay;
    // Stamped whenever the lab clock matters (a delay, or frozen): the receiver holds the message until then.
    const frame: PeerFrame = (delay && !delay.isZero) || this.o.clock.frozen
      ? { v: 1, id, sentAtNs: monotonicNowNs(), deliverAtMs: this.o.clock.nowMs() + (delay?.sampleMs() ?? 0), msg: message }
      : { v: 1, id, sentAtNs: monotonicNowNs(), msg: message };
    this.o.transport.send(frame);
  }

  private reportLogWrite(entries: readonly Entry[]): void {
    if (this.durableTerms) {
      this.durableTerms.written(entries);
      return;
    }
    this.o.reporter.report({ type: 'log-write', atNs: monotonicNowNs(), node: this.o.nodeId,
      entries: entries.slice(0, 1024).map(logEntryView) });
  }

  private apply(entries: readonly Entry[]): void {
    for (const entry of entries) {
      const result = this.o.kv.apply(entry.index, entry.command);
      const pending = this.pendingWrites.get(entry.index);
      if (!pending) continue;
      this.pendingWrites.delete(entry.index);
      if (pending.term !== entry.term) {
        pending.reply({ status: 'retry', value: null, leaderHint: null, index: null,
          error: `entry ${entry.index} was replaced by one from term ${entry.term}: leadership changed` });
      } else if (result?.status === 'session-expired' && this.neverOpened(entry)) {
        pending.reply({ status: 'session-expired', value: null, leaderHint: null, index: entry.index, error: SESSION_NEVER_OPENED_ERROR });
      } else {
        pending.reply(replyFor(result, entry.index));
      }
    }
  }

  /**
   * The session `write` (a committed write answered session-expired) names never opened: its register's index is
   * below the write's, so committed, and holds another command (sessionNeverOpened). False when that entry was
   * compacted away: the session may then have opened and expired.
   */
  private neverOpened(write: Entry): boolean {
    if (write.command === null) return false;
    let command: KvLogCommand;
    try {
      command = decodeKvLogCommand(write.command);
    } catch {
      return false;
    }
    const session = command.op === 'register' ? undefined : command.session;
    if (session === undefined || session >= write.index) return false;
    const snapshotIndex = this.o.core.status().snapshotIndex;
    const atSession = session > snapshotIndex ? this.o.core.log()[session - snapshotIndex - 1] : undefined;
    return atSession !== undefined && atSession.index === session && sessionNeverOpened(atSession.command, command.clientId);
  }

  /** A batch's ReadIndex answers, after its entries were applied: serve every read the KV has caught up with. */
  private reads(readStates: readonly ReadState[], readFailures: readonly ReadFailure[]): void {
    for (const readState of readStates) this.confirmRead(readState.requestId, readState.index);
    for (const failure of readFailures) this.failRead(failure.requestId, failure.leaderHint);
    this.serveReadyReads();
  }

  private confirmRead(requestId: string, index: number): void {
    const read = this.pendingReads.get(requestId);
    if (read) read.index = index;
  }

  private failRead(requestId: string, leaderHint: number | null): void {
    const read = this.pendingReads.get(requestId);
    if (!read) return;
    this.pendingReads.delete(requestId);
    read.reply({ status: 'not-leader', value: null, leaderHint, index: null, error: null });
  }

  /** ReadIndex, last step: answer once the state machine has caught up with the read index (§6.4). */
  private serveReadyReads(): void {
    for (const [requestId, read] of this.pendingReads) {
      if (read.index === null || read.index > this.o.kv.appliedIndex) continue;
      this.pendingReads.delete(requestId);
      read.reply({ status: 'ok', value: this.o.kv.read(read.key), leaderHint: null, index: read.index, error: null });
    }
  }

  /** After a time-scale change the next deadline is at a different real time. */
  reschedule(): void {
    this.pipeline.reschedule();
  }
}

/** The log command of a client's write or register (the frame was validated: a write carries key and session). */
function commandOf(request: ClientRequestFrame): KvLogCommand {
  // Plain literals, no spreads: this runs for every client write (encodeKvCommand validates and copies it anyway).
  const { clientId, session, seq } = request;
  const key = request.key ?? '';
  switch (request.op) {
    case 'register': return { clientId, op: 'register' };
    case 'put': return { clientId, session, seq, op: 'put', key, value: request.value ?? '' };
    case 'delete': return { clientId, session, seq, op: 'delete', key };
    case 'cas': return { clientId, session, seq, op: 'cas', key, from: request.from ?? '', to: request.to ?? '' };
    case 'get': throw new Error('a get does not go through the log');
  }
}

/** For a register, `index` (the entry's index) is the new session's id. */
function replyFor(result: KvApplyResult | null, index: number): Omit<ClientReplyFrame, 'v' | 'requestId' | 'node'> {
  if (result === null) return { status: 'error', value: null, leaderHint: null, index, error: 'not a client command' };
  switch (result.status) {
    case 'ok':
      return { status: 'ok', value: null, leaderHint: null, index, error: null };
    case 'fail':
      return { status: 'fail', value: result.value ?? null, leaderHint: null, index, error: result.reason ?? 'failed' };
    case 'session-expired':
      return { status: 'session-expired', value: null, leaderHint: null, index,
        error: 'the session has expired (or was never registered): the request was not applied; register a new session' };
    case 'stale':
      return { status: 'error', value: null, leaderHint: null, index, error: 'a newer request of this client was already applied' };
  }
}
