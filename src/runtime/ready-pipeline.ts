// The one Ready loop, run by every node process (src/node/runtime/raft-runtime.ts) and by every simulated node
// (src/sim/engine/simulation.ts): drain the core's Ready batches and release their effects in the order that makes
// Raft's promises survive crashes. What a batch says to persist is durable BEFORE its messages are sent and before any
// client hears of the result. Storage completes writes in issue order and may let several share one sync (group
// commit); messages are released strictly in batch order, and committed entries are applied strictly in order.
//
// One exception to "durable before sent", the one the dissertation allows (§10.2.1): a leader's AppendEntries go out
// while its own write of the same entries is still in flight, so followers write in parallel with it. That is safe
// because nothing that depends on the leader's copy being durable leaves the node earlier: entries are applied (and
// clients answered) only once they are durable here, and a message goes early only if the commit index it carries
// covers nothing beyond the leader's durable log (DurablePrefix). The core counts the leader itself as soon as it
// appends; the pipeline makes sure that count is never acted on before the entry is durable.
//
// Applying has its own queue: a commit must not wait for the write of newer entries that happened to be issued before
// it (with group commit that cost a whole sync per reply under load), only for its own entries' durability.
//
// Log compaction (§7): after each applied batch, where the state machine's state is exactly that of its applied
// index, SnapshotPolicy decides whether to hand the core a snapshot; the core returns it in persist.snapshot, which
// storage makes durable with that batch. A snapshot installed from the leader arrives as ready.snapshotToApply and
// replaces the state machine's state in apply order, before that batch's committed entries.
//
// Storage, transport, clock and deferred work are interfaces (ports.ts): no I/O and no timers here.

import type { BugName } from '../raft/bug-names';
import type { Message, Persist, RaftNode, Ready } from '../raft/types';
import { DurablePrefix, type IssuedWrite } from './durable-prefix';
import type { LogStorage, MessageTransport, PipelineObserver, RuntimeClock, RuntimeScheduler, StateMachinePort } from './ports';
import { SnapshotPolicy, type SnapshotPolicyOptions } from './snapshot-policy';

/** A drain that keeps finding new Ready output this often is a core that never settles. */
const MAX_READY_ROUNDS = 64;

export interface ReadyPipelineOptions {
  readonly core: RaftNode;
  readonly storage: LogStorage;
  readonly transport: MessageTransport;
  readonly clock: RuntimeClock;
  readonly scheduler: RuntimeScheduler;
  readonly stateMachine: StateMachinePort;
  readonly snapshotPolicy: SnapshotPolicyOptions;
  readonly observer: PipelineObserver;
  /** Planted bugs; the pipeline acts on its own (`apply-before-durable`), the core on the others. */
  readonly bugs?: readonly BugName[];
  /** Batches that may wait for storage before the node stops taking input (see backlogFull); default: no limit. */
  readonly maxBacklogBatches?: number;
}

/** A write issued to storage; `done` once durable. */
interface WriteTicket {
  done: boolean;
}

/** One batch's place in the message order. */
interface MessageBatch {
  /** The batch's messages still to send (null: sent early, or none). */
  readonly held: readonly Message[] | null;
  /** Its write when the messages must wait for it (mustSync); null: nothing to wait for. */
  readonly gate: WriteTicket | null;
}

/** One batch's committed entries and reads, applied once `durableIndex` entries are durable here. */
interface ApplyBatch {
  readonly ready: Ready;
  readonly durableIndex: number;
}

export class ReadyPipeline {
  private readonly messageQueue: MessageBatch[] = [];
  private readonly applyQueue: ApplyBatch[] = [];
  private readonly durable: DurablePrefix;
  private readonly snapshots: SnapshotPolicy;
  /** Batches whose messages wait in the queue; while any do, later messages wait too (per-peer order). */
  private heldMessageBatches = 0;
  private stopped = false;
  private failed = false;
  private drainScheduled = false;
  private releasing = false;
  private releaseAgain = false;
  private idleWaiters: (() => void)[] = [];
  /** Planted bug `apply-before-durable`: committed entries are applied without waiting for the local disk. */
  private readonly applyBeforeDurable: boolean;
  private readonly maxBacklogBatches: number;
  /** The backlog was full at the last check: the timers wait, and the host was told (onBacklogChanged). */
  private wasBacklogFull = false;

  constructor(private readonly o: ReadyPipelineOptions) {
    const status = o.core.status();
    this.durable = new DurablePrefix(status.lastLogIndex);
    this.snapshots = new SnapshotPolicy(o.snapshotPolicy, status.snapshotIndex);
    this.applyBeforeDurable = (o.bugs ?? []).includes('apply-before-durable');
    this.maxBacklogBatches = o.maxBacklogBatches ?? Infinity;
  }

  get core(): RaftNode {
    return this.o.core;
  }

  /** Entries 1..durableIndex of this node's log are on its disk. */
  get durableIndex(): number {
    return this.durable.index;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /**
   * Batches waiting to be released: they pile up only while storage is behind (a write outstanding). A runtime
   * bounds its input by this (RaftRuntime drops peer messages past a limit), since nothing here may drop a batch.
   */
  get backlogBatches(): number {
    return this.messageQueue.length + this.applyQueue.length;
  }

  /**
   * The backlog reached maxBacklogBatches: storage is far behind (a slow or hung disk). Every input makes a batch that
   * must wait, so the node then takes none: its host drops peer messages unread (Raft tolerates lost messages) and
   * the core's timers wait, as in a paused process, until storage catches up. Without this a hung disk would grow
   * the queues with every heartbeat, and with every election the timers start.
   */
  get backlogFull(): boolean {
    return this.backlogBatches >= this.maxBacklogBatches;
  }

  /** No batch waits to be released and no drain is due. */
  get idle(): boolean {
    return this.backlogBatches === 0 && !this.drainScheduled;
  }

  /** Calls `done` once idle (at once if it is, or stopped). */
  whenIdle(done: () => void): void {
    if (this.stopped || this.idle) done();
    else this.idleWaiters.push(done);
  }

  /** Takes no more input and releases nothing more (a crash or a stop). */
  stop(): void {
    this.stopped = true;
    this.o.scheduler.cancel();
    this.notifyIdle();
  }

  /**
   * Every call into the core from outside the hot paths goes through here. The core validates every input before it
   * changes anything, so it throws only when one of its own invariants broke: its state may then be half-changed,
   * and answering clients or peers from it could break Raft's guarantees. So the node stops (coreFailed).
   */
  guarded(what: string, action: () => void): void {
    if (this.stopped) return;
    try {
      action();
    } catch (error) {
      this.coreFailed(what, error);
    }
  }

  /**
   * The core threw on `what`: stop, and report it as fatal. That is a crash, which Raft tolerates: storage holds only
   * whole Ready batches, so a restart recovers a consistent state. Carrying on would not be.
   */
  coreFailed(what: string, error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    this.stop();
    try {
      this.fail(new Error(`the Raft core failed on ${what}: ${text}; the node stops (a restart recovers from its disk)`,
        { cause: error }));
    } catch {
      // onFatal may rethrow after scheduling the exit (the node's main): the node is stopping either way.
    }
  }

  /** The core's timer is due (RuntimeScheduler.wakeAt). */
  readonly onTimer = (): void => {
    if (this.backlogFull) return; // the timers wait for storage (backlogFull); checkBacklog() rearms them
    this.guarded('its timer', () => this.o.core.tick(this.o.clock.nowMs()));
    this.drain();
  };

  /**
   * Drains on the scheduler's next turn: everything that arrives meanwhile (a burst of client requests, a batch of
   * replies) becomes one Ready, so many proposals share one AppendEntries and one sync.
   */
  drainSoon(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    this.o.scheduler.soon(this.scheduledDrain);
  }

  private readonly scheduledDrain = (): void => {
    this.drainScheduled = false;
    if (!this.stopped) this.drain();
    else this.notifyIdle();
  };

  /** Processes every Ready the core has, then asks to be woken at the core's next deadline. */
  drain(): void {
    if (this.stopped) return;
    try { // inline rather than through guarded(): this runs for every batch
      let rounds = 0;
      while (this.o.core.hasReady()) {
        if (++rounds > MAX_READY_ROUNDS) throw new Error(`still has Ready output after ${MAX_READY_ROUNDS} drains`);
        this.process(this.o.core.ready());
      }
    } catch (error) {
      this.coreFailed('its Ready output', error);
      return;
    }
    this.o.observer.afterDrain();
    this.reschedule();
    this.notifyIdle();
  }

  /** Asks to be woken at the core's next deadline (again: after a time-scale change it is at another real time). */
  reschedule(): void {
    if (this.stopped) return;
    this.o.scheduler.wakeAt(this.backlogFull ? Infinity : this.o.core.nextDeadlineMs(), this.onTimer);
  }

  /** Tells the host when the backlog fills or drains (backlogFull), and rearms the timers once it drained. */
  private checkBacklog(): void {
    const full = this.backlogFull;
    if (full === this.wasBacklogFull || this.stopped) return;
    this.wasBacklogFull = full;
    this.o.observer.onBacklogChanged?.(full);
    if (!full) this.reschedule();
  }

  private process(ready: Ready): void {
    this.o.observer.onReady(ready);
    const { persist, messages } = ready;
    const issued = this.issueDurableWrite(ready);
    const sentEarly = messages.length > 0 && this.maySendBeforeDurable(ready);
    // Followers can start on these before storage has even encoded our copy.
    if (sentEarly) for (let i = 0; i < messages.length; i++) this.o.transport.send(messages[i] as Message);
    else if (messages.length > 0) this.heldMessageBatches += 1;
    let ticket: WriteTicket | null = null;
    if (persist.snapshot !== null || persist.hardState !== null || persist.entries.length > 0) {
      const write: WriteTicket = { done: false };
      ticket = write;
      // Bound to the method rather than a closure per write: V8 compiles a closure per call again after every full GC
      // (docs/benchmarks.md, "Optimized code that died at every full GC"); a bound method's code lives with the class.
      this.o.storage.write(persist, this.written.bind(this, write, persist, issued));
    }
    // Planted bug `ack-before-persist`: the core says the messages need not wait for the disk.
    const gate = persist.mustSync ? ticket : null;
    this.messageQueue.push({ held: !sentEarly && messages.length > 0 ? messages : null, gate });
    if (ready.snapshotToApply !== null || ready.committedEntries.length > 0 || ready.readStates.length > 0 ||
      ready.readFailures.length > 0) {
      const lastCommitted = ready.committedEntries[ready.committedEntries.length - 1];
      this.applyQueue.push({ ready, durableIndex: lastCommitted?.index ?? 0 });
    }
    this.release(); // and checkBacklog()
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
    const entries = ready.persist.entries;
    const first = entries[0];
    const last = entries[entries.length - 1];
    return first && last ? this.durable.issued(first.index, last.index) : null;
  }

  /**
   * Whether this batch's messages may go out now, before its write is durable: only a leader's AppendEntries (new
   * entries for the followers to write in parallel, heartbeats), only when no earlier batch's messages still wait,
   * never with a term or vote change to persist, and only if each carries a commit index within the durable log.
   */
  private maySendBeforeDurable(ready: Ready): boolean {
    if (this.heldMessageBatches > 0 || ready.persist.hardState !== null) return false;
    if (!ready.persist.mustSync && ready.persist.entries.length > 0) return false; // planted bug: keep its path as is
    const durableIndex = this.durable.index;
    const messages = ready.messages;
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i] as Message;
      if (message.type !== 'AppendEntries' || message.leaderCommit > durableIndex) return false;
    }
    return true;
  }

  /** Storage finished a write (they finish in issue order). */
  private written(write: WriteTicket, persist: Persist, issued: IssuedWrite | null, error: Error | null): void {
    if (error !== null) {
      this.fail(new Error(`write-ahead log failed: ${error.message}`, { cause: error }));
      return;
    }
    write.done = true;
    if (this.stopped) return;
    const entries = persist.entries;
    // Not when the write is issued: until it is done, storage still holds its encoded copy of the snapshot.
    if (persist.snapshot !== null) this.o.observer.onLogCompacted();
    if (issued !== null) {
      if (entries.length > 0) this.o.observer.onDurable(entries); // an installed snapshot may come without entries
      this.durable.completed(issued);
    }
    this.release();
  }

  /** Releases, in order, every message batch whose write is durable, then every apply batch that is durable here. */
  private release(): void {
    // A release asked for from inside one (a state machine or observer callback that drained new output) is done by
    // the running one, which goes round again: otherwise a batch queued meanwhile waited for some later write.
    if (this.releasing) {
      this.releaseAgain = true;
      return;
    }
    this.releasing = true;
    try {
      do {
        this.releaseAgain = false;
        this.releaseMessages();
        this.releaseApplies();
      } while (this.releaseAgain && !this.stopped);
    } catch (error) {
      this.fail(error);
    } finally {
      this.releasing = false;
    }
    this.checkBacklog();
    this.notifyIdle();
  }

  private releaseMessages(): void {
    const queue = this.messageQueue;
    while (queue.length > 0) {
      const batch = queue[0] as MessageBatch;
      if (batch.gate !== null && !batch.gate.done) return;
      queue.shift();
      if (this.stopped) continue;
      const held = batch.held;
      if (held !== null) {
        for (let i = 0; i < held.length; i++) this.o.transport.send(held[i] as Message);
        this.heldMessageBatches -= 1;
      }
      this.o.observer.onReleased(); // after this batch's term, vote and log are durable
    }
  }

  private releaseApplies(): void {
    const queue = this.applyQueue;
    while (queue.length > 0) {
      const batch = queue[0] as ApplyBatch;
      if (batch.durableIndex > this.durable.index && !this.applyBeforeDurable) return;
      queue.shift();
      if (this.stopped) continue;
      const { ready } = batch;
      const stateMachine = this.o.stateMachine;
      if (ready.snapshotToApply !== null) stateMachine.restoreSnapshot(ready.snapshotToApply);
      if (ready.committedEntries.length > 0) stateMachine.apply(ready.committedEntries);
      if (ready.readStates.length > 0 || ready.readFailures.length > 0) stateMachine.reads(ready.readStates, ready.readFailures);
      this.compactIfDue();
      this.o.observer.onReleased();
    }
  }

  /** After an applied batch: the state machine's state is exactly that after its appliedIndex, what compact() needs. */
  private compactIfDue(): void {
    if (!this.snapshots.enabled) return;
    const stateMachine = this.o.stateMachine;
    const due = this.snapshots.afterApply(stateMachine.appliedIndex, this.o.core.status().snapshotIndex,
      () => stateMachine.takeSnapshot());
    if (due === null) return;
    try {
      this.o.core.compact(due.index, due.data);
    } catch (error) {
      // The core refused (its preconditions): the log stays as it is, which costs memory, not safety.
      this.o.observer.onError(`log compaction at index ${due.index} refused: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.drainSoon(); // the snapshot is in the next Ready's persist
  }

  /** Storage failed, or releasing a batch threw: the node cannot keep its promises and must stop, once. */
  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.stopped = true;
    this.o.scheduler.cancel();
    this.o.observer.onFatal(error instanceof Error ? error : new Error(String(error)));
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length === 0 || !(this.stopped || this.idle)) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const done of waiters) done();
  }
}
