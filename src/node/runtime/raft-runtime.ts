// Runs the pure core for real: timers from a (scaled) monotonic clock, the write-ahead log, the ZeroMQ transport
// and the KV state machine. The one rule that makes Raft's promises survive crashes lives here: what a Ready batch
// says to persist is durable BEFORE its messages are sent and before any client hears of the result. The WAL writes
// a batch synchronously (storage/wal.ts), or queues it behind an asynchronous snapshot or WAL-file write, where
// several batches then share one fdatasync; either way messages are released strictly in order, and committed
// entries are applied strictly in order.
//
// One exception to "durable before sent", the one the dissertation allows (§10.2.1): a leader's AppendEntries go out
// while its own write of the same entries is still in flight, so followers write in parallel with it. That is safe
// because nothing that depends on the leader's copy being durable leaves the process earlier: entries are applied
// (and clients answered) only once they are durable here, and a message goes early only if the commit index it
// carries covers nothing beyond the leader's durable log (DurablePrefix). The core counts the leader itself as
// soon as it appends; the runtime makes sure that count is never acted on before the entry is durable.
//
// Log compaction (§7): on the apply chain, where the KV's state is exactly that of its applied index, the runtime
// hands the core snapshots (SnapshotPolicy decides when); the core returns them in persist.snapshot, which the WAL
// makes durable before anything else of that batch. A snapshot installed from the leader arrives as
// ready.snapshotToApply and replaces the KV's state on the apply chain, before that batch's committed entries.
import type { KvStateMachine } from '../../kv/state-machine';
import type { KvApplyResult } from '../../kv/result';
import type { ClientReplyFrame, ClientRequestFrame } from '../../protocol/client';
import type { EventDetail } from '../../protocol/control';
import type { PeerFrame } from '../../protocol/wire';
import type { Entry, MembershipChange, NodeId, ProposeResult, RaftNode, Ready, Snapshot, TransferResult } from '../../raft/types';
import type { MembershipAnswer, TransferAnswer } from '../../protocol/control';
import { encodeKvCommand, type KvLogCommand } from '../../kv/command';
import { monotonicNowNs } from '../../shared/monotonic-clock';
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
import { DurablePrefix, type IssuedWrite } from './durable-prefix';
import { SnapshotPolicy, type SnapshotPolicyOptions } from './snapshot-policy';
import { DurableTerms } from './durable-terms';

const MAX_PENDING_WRITES = 10_000;
/** Raft events that happen on every heartbeat; left out when only state changes are reported. */
/** Raft events a node does not report, per event detail: in state, the routine ones; in quiet, also per-batch ones. */
const ROUTINE_EVENT_KINDS = ['append-accepted', 'message-ignored', 'proposal-accepted', 'read-confirmed'];
const SKIPPED_EVENT_KINDS: Readonly<Record<EventDetail, ReadonlySet<string>>> = {
  full: new Set(),
  state: new Set(ROUTINE_EVENT_KINDS),
  quiet: new Set([...ROUTINE_EVENT_KINDS, 'entries-appended', 'commit-advanced']),
};
const MAX_PENDING_READS = 10_000;
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
  /** Added to every message's due time at its receiver (lab ms); absent: none. */
  readonly networkDelay?: NetworkDelay;
  readonly kv: KvStateMachine;
  readonly reporter: EventReporter;
  /** What to report to the lab: see EVENT_DETAILS. */
  readonly eventDetail: EventDetail;
  /** When to compact the log. */
  readonly snapshotPolicy: SnapshotPolicyOptions;
  /** Something went wrong that the node survives (reported to the lab as an error). */
  onError(message: string): void;
  /**
   * Called right after the log dropped a compacted prefix (a snapshot was handed to the WAL): thousands of entries
   * just became garbage at once. main.ts runs a full GC here, which keeps the node's resident memory near its live
   * size instead of letting V8 grow the heap first (see snapshot-policy.ts).
   */
  onLogCompacted?(): void;
  /**
   * The node cannot keep its promises and must stop: the WAL failed, a snapshot cannot be restored, or the core
   * threw (a broken invariant: see guarded). The error says which.
   */
  onFatal(error: Error): void;
}

export class RaftRuntime {
  /** Messages (and state reports) of each Ready batch, released in order once its write is durable. */
  private chain: Promise<void> = Promise.resolve();
  /** Committed entries and reads of each batch, applied in order once durable here (see applyWhenDurable). */
  private applyChain: Promise<void> = Promise.resolve();
  private failed = false;
  private timer: NodeJS.Timeout | null = null;
  private messageCounter = 0;
  private readonly incarnation = process.pid.toString(36);
  private readonly pendingWrites = new Map<number, PendingWrite>();
  private readonly pendingReads = new Map<string, PendingRead>();
  private readonly stateTracker: NodeStateTracker;
  private stopped = false;
  private drainScheduled = false;
  /** The reason of the core's last proposal-rejected event (read by proposeMembership right after it drains). */
  private lastRejection: string | null = null;
  private readonly fullDetail: boolean;
  private readonly durable: DurablePrefix;
  /** Ready batches whose messages wait in the chain; while any do, later messages wait too (per-peer order). */
  private heldMessageBatches = 0;
  private readonly snapshots: SnapshotPolicy;
  /** Paces state reports in quiet mode; null: every change is reported at once. */
  private readonly statePacer: StateReportPacer | null;
  /** Quiet mode: the durable log's terms, sent before the node's next event instead of every entry. */
  private readonly durableTerms: DurableTerms | null;

  constructor(private readonly o: RaftRuntimeOptions) {
    this.fullDetail = o.eventDetail === 'full';
    const status = o.core.status();
    this.durable = new DurablePrefix(status.lastLogIndex);
    this.snapshots = new SnapshotPolicy(o.snapshotPolicy, status.snapshotIndex);
    this.stateTracker = new NodeStateTracker(o.core, o.clock, () => this.durable.index);
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
    this.drain();
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
    if (this.timer) clearTimeout(this.timer);
    this.statePacer?.stop();
  }

  onPeerFrame(frame: PeerFrame): void {
    if (this.stopped) return;
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
    this.drainSoon();
  }

  /**
   * Every call into the core goes through here. The core validates every input before it changes anything (an
   * invalid message is reported and ignored), so it throws only when one of its own invariants broke: its state may
   * then be half-changed, and answering clients or peers from it could break Raft's guarantees. So the node stops,
   * cleanly: it reports the error, takes no more input, and exits (onFatal). That is a crash, which Raft tolerates:
   * the WAL holds only whole Ready batches, so a restart recovers a consistent state. Carrying on would not be.
   */
  private guarded(what: string, action: () => void): void {
    if (this.stopped) return;
    try {
      action();
    } catch (error) {
      this.coreFailed(what, error);
    }
  }

  /** The core threw on `what`: stop the node (see guarded). The hot paths catch inline and call this. */
  private coreFailed(what: string, error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    this.stop();
    try {
      this.fail(new Error(`the Raft core failed on ${what}: ${text}; the node stops (a restart recovers from its disk)`));
    } catch {
      // onFatal may rethrow after scheduling the exit (main.ts): the node is stopping either way.
    }
  }

  /** Reports the fate of each frame the transport was handed (called synchronously from send). */
  onSent(frame: PeerFrame, fate: SendFate): void {
    if (!this.fullDetail) return;
    const dropped = fate === 'dropped' || fate === 'blocked';
    const labTimes = !dropped && frame.deliverAtMs !== undefined
      ? { sentAtLabMs: this.o.clock.nowMs(), deliverAtLabMs: frame.deliverAtMs } : {};
    this.o.reporter.report({ type: 'message', atNs: monotonicNowNs(), node: this.o.nodeId,
      direction: dropped ? 'drop' : 'send', id: frame.id, message: toMessageView(frame.msg),
      dropReason: fate === 'blocked' ? 'link blocked (partition)' : fate === 'dropped' ? 'lost (injected loss or full queue)' : null,
      ...labTimes });
  }

  onInboundBlocked(frame: PeerFrame): void {
    this.reportDropped(frame, 'link blocked (partition, receiving side)');
  }

  /** A message that reached this node will never be handed to the core. */
  reportDropped(frame: PeerFrame, reason: string): void {
    if (!this.fullDetail) return;
    this.o.reporter.report({ type: 'message', atNs: monotonicNowNs(), node: this.o.nodeId, direction: 'drop',
      id: frame.id, message: toMessageView(frame.msg), dropReason: reason });
  }

  /** RaftScope's "time out": the election timer fires now (a lab control; frozen or not). */
  timeoutNow(): void {
    this.guarded('a time-out-now from the lab', () => {
      this.o.core.tick(this.o.clock.nowMs());
      this.o.core.forceElectionTimeout();
    });
    this.drain();
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
    this.drain(); // synchronous: the core's events (and its reason for a refusal) are reported now
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
    this.drain(); // synchronous: the transfer's first events (or its refusal) are reported before the answer
    return result.ok ? { ok: true, leaderHint: this.o.nodeId, error: null } : { ok: false, leaderHint: result.leaderHint, error: result.reason };
  }

  /** A step while frozen: fire the timers due at the lab's current time. */
  fireDueTimers(): void {
    this.guarded('a step of its timers', () => this.o.core.tick(this.o.clock.nowMs()));
    this.drain();
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
      const chain = this.chain;
      const applyChain = this.applyChain;
      await Promise.all([chain, applyChain]);
      await new Promise<void>((resolve) => setImmediate(resolve)); // let a scheduled drain run
      if (this.stopped || (chain === this.chain && applyChain === this.applyChain && !this.drainScheduled)) return;
    }
  }

  handleClient(request: ClientRequestFrame, reply: Reply): void {
    if (this.stopped) return;
    try { // inline, as in onPeerFrame: every client request
      this.o.core.tick(this.o.clock.nowMs());
      if (request.op === 'get') this.startRead(request, reply);
      else this.startWrite(request, reply);
    } catch (error) {
      this.coreFailed(`client request ${request.requestId}`, error);
      return;
    }
    this.drainSoon();
  }

  /**
   * Batching: everything that arrives in one turn of the event loop (a burst of client requests, a batch of
   * replies) is drained as one Ready, so many proposals share one AppendEntries and one fdatasync.
   */
  private drainSoon(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      if (!this.stopped) this.drain();
    });
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

  private drain(): void {
    if (!this.stopped) {
      try { // inline, as in onPeerFrame: every batch
        while (this.o.core.hasReady()) this.process(this.o.core.ready());
      } catch (error) {
        this.coreFailed('its Ready output', error);
      }
    }
    this.schedule();
  }

  private process(ready: Ready): void {
    const atNs = monotonicNowNs();
    for (const event of ready.events) {
      if (event.kind === 'proposal-rejected') this.lastRejection = event.reason;
      if (SKIPPED_EVENT_KINDS[this.o.eventDetail].has(event.kind)) continue;
      this.o.reporter.report({ type: 'raft', atNs, node: this.o.nodeId, event: { ...event, data: { ...event.data } } });
    }
    const { persist, messages } = ready;
    const issued = this.issueDurableWrite(ready);
    const sentEarly = messages.length > 0 && this.maySendBeforeDurable(ready);
    // Followers can start on these before the WAL has even encoded our copy.
    if (sentEarly) for (const message of messages) this.sendMessage(message);
    else if (messages.length > 0) this.heldMessageBatches += 1;
    const needsWrite = persist.snapshot !== null || persist.hardState !== null || persist.entries.length > 0;
    const written = needsWrite ? this.o.wal.write(persist).catch((error: unknown) => {
      throw new Error(`write-ahead log failed: ${error instanceof Error ? error.message : String(error)}`);
    }) : null;
    if (persist.snapshot !== null && this.o.onLogCompacted) setImmediate(this.o.onLogCompacted);
    if (written) {
      // The WAL completes writes in issue order, so the durable prefix (and the log-write reports) follow the log.
      written.then(() => {
        if (issued) this.onDurable(persist.entries, issued);
      }).catch(this.fail);
    }
    // Planted bug `ack-before-persist`: the core says the messages need not wait for the disk.
    const gate = persist.mustSync && written ? written : null;
    const previous = this.chain;
    this.chain = (async () => {
      await previous;
      if (gate) await gate;
      if (this.stopped) return;
      if (!sentEarly && messages.length > 0) {
        for (const message of messages) this.sendMessage(message);
        this.heldMessageBatches -= 1;
      }
      this.reportStateIfChanged(); // after this batch's term, vote and log are durable
    })().catch(this.fail);
    if (ready.snapshotToApply !== null || ready.committedEntries.length > 0 || ready.readStates.length > 0 ||
      ready.readFailures.length > 0) this.applyWhenDurable(ready);
  }

  /**
   * Tells the durable prefix what this batch's write replaces. A snapshot installed from the leader may replace the
   * whole log after its index (Figure 13: when our entry there has another term), so the log past it counts as
   * rewritten up to where the core's log now ends. A snapshot taken here changes no entry: only its entries count.
   */
  private issueDurableWrite(ready: Ready): IssuedWrite | null {
    const installed = ready.snapshotToApply;
    if (installed !== null) {
      const snapshotIndex = installed.lastIncludedIndex;
      return this.durable.issued(snapshotIndex + 1, Math.max(snapshotIndex, this.o.core.status().lastLogIndex));
    }
    const first = ready.persist.entries[0];
    const last = ready.persist.entries[ready.persist.entries.length - 1];
    return first && last ? this.durable.issued(first.index, last.index) : null;
  }

  /**
   * Applies a batch's committed entries (and answers its reads) once they are durable here and every earlier batch
   * has been applied. Not behind the message chain: a commit must not wait for the write of newer entries that
   * happened to be issued before it (with group commit that cost a whole fdatasync per reply under load).
   */
  private applyWhenDurable(ready: Ready): void {
    const lastCommitted = ready.committedEntries[ready.committedEntries.length - 1];
    const durable = lastCommitted ? this.durable.whenDurable(lastCommitted.index) : null;
    const previous = this.applyChain;
    this.applyChain = (async () => {
      await previous;
      if (durable) await durable;
      if (this.stopped) return;
      if (ready.snapshotToApply !== null) this.restoreSnapshot(ready.snapshotToApply);
      this.apply(ready.committedEntries);
      for (const readState of ready.readStates) this.confirmRead(readState.requestId, readState.index);
      for (const failure of ready.readFailures) this.failRead(failure.requestId, failure.leaderHint);
      this.serveReadyReads();
      this.compactIfDue();
      this.reportStateIfChanged();
    })().catch(this.fail);
  }

  /**
   * The leader's snapshot replaces the KV's whole state. A bad one throws (the KV validates it and changes nothing):
   * the node cannot go on without a state machine that matches its log, so that stops it (via fail).
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

  /** On the apply chain: the KV's state is exactly that after kv.appliedIndex, what compact() needs. */
  private compactIfDue(): void {
    const kv = this.o.kv;
    const due = this.snapshots.afterApply(kv.appliedIndex, this.o.core.status().snapshotIndex, () => kv.takeSnapshot());
    if (due === null) return;
    try {
      this.o.core.compact(due.index, due.data);
    } catch (error) {
      // The core refused (its preconditions): the log stays as it is, which costs memory, not safety.
      this.o.onError(`log compaction at index ${due.index} refused: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.drainSoon(); // the snapshot is in the next Ready's persist
  }

  private onDurable(entries: readonly Entry[], issued: IssuedWrite): void {
    if (this.stopped) return;
    if (entries.length > 0) this.reportLogWrite(entries); // an installed snapshot may come without entries
    this.durable.completed(issued);
  }

  /** A write failed (or an invariant broke): the node cannot keep its promises and must stop, once. */
  private readonly fail = (error: unknown): void => {
    if (this.failed) return;
    this.failed = true;
    this.o.onFatal(error instanceof Error ? error : new Error(String(error)));
  };

  /**
   * Whether this batch's messages may go out now, before its write is durable: only a leader's AppendEntries (new
   * entries for the followers to write in parallel, heartbeats), only when no earlier batch's messages still wait,
   * never with a term or vote change to persist, and only if each carries a commit index within the durable log.
   */
  private maySendBeforeDurable(ready: Ready): boolean {
    if (this.heldMessageBatches > 0 || ready.persist.hardState !== null) return false;
    if (!ready.persist.mustSync && ready.persist.entries.length > 0) return false; // planted bug: keep its path as is
    const durableIndex = this.durable.index;
    for (const message of ready.messages) {
      if (message.type !== 'AppendEntries' || message.leaderCommit > durableIndex) return false;
    }
    return true;
  }

  private sendMessage(message: Ready['messages'][number]): void {
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
      } else {
        pending.reply(replyFor(result, entry.index));
      }
    }
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

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const delayMs = this.o.clock.realDelayUntilMs(this.o.core.nextDeadlineMs());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.guarded('its timer', () => this.o.core.tick(this.o.clock.nowMs()));
      this.drain();
    }, Math.min(delayMs, 60_000));
  }

  /** After a time-scale change the next deadline is at a different real time. */
  reschedule(): void {
    this.schedule();
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
