// What the Ready pipeline (ready-pipeline.ts) needs from the world, as interfaces: a node process wires its WAL,
// ZeroMQ transport, KV and event-loop timers (src/node); the simulator wires a simulated disk, its network, the
// test's state machine and its virtual clock (src/sim). Nothing here does I/O or reads a clock.

import type { Entry, Message, Persist, ReadFailure, ReadState, Ready, Snapshot } from '../raft/types';

/** Stable storage for the core's persist: hard state, entries replacing a suffix, snapshots. */
export interface LogStorage {
  /**
   * Issues a write of `persist`. `done` is called once it is durable (error null) or has failed; writes complete in
   * the order they were issued (several may share one sync: group commit). `done` may be called before write returns.
   */
  write(persist: Persist, done: (error: Error | null) => void): void;
}

/** Hands a Raft message to the network (best effort: it may be lost, delayed or reordered there). */
export interface MessageTransport {
  send(message: Message): void;
}

/** The time the core's timers run on (ms). */
export interface RuntimeClock {
  nowMs(): number;
}

/** Deferred work: the pipeline never calls setImmediate or setTimeout itself. */
export interface RuntimeScheduler {
  /** Runs `task` after the current input has been handled (a node: its event loop's next turn), in call order. */
  soon(task: () => void): void;
  /**
   * The core's next deadline (RuntimeClock ms; Infinity: none): call `wake` (the pipeline's onTimer) then, in place
   * of any wake-up asked for earlier. Waking early is allowed (the pipeline ticks the core, which fires only what is
   * due, and asks again); waking late is not.
   */
  wakeAt(deadlineMs: number, wake: () => void): void;
  /** No more wake-ups (the pipeline stopped). */
  cancel(): void;
}

/** The replicated state machine and the reads waiting on it. */
export interface StateMachinePort {
  /** Highest index applied (by an entry or a restored snapshot). */
  readonly appliedIndex: number;
  /** Replaces the state with a snapshot's (installed from the leader); may throw if it is unusable. */
  restoreSnapshot(snapshot: Snapshot): void;
  /** Committed entries, in log order, each once. */
  apply(entries: readonly Entry[]): void;
  /** ReadIndex answers of the batch just applied (§6.4): confirmed at an index, or failed (not leader). */
  reads(readStates: readonly ReadState[], readFailures: readonly ReadFailure[]): void;
  /** The state after appliedIndex, encoded for a snapshot. */
  takeSnapshot(): string;
}

/** What the pipeline tells its host (reporting, checking); every call is optional work for the host. */
export interface PipelineObserver {
  /** Each Ready batch as drained, before any of its effects. */
  onReady(ready: Ready): void;
  /** These entries became durable here (a completed write). */
  onDurable(entries: readonly Entry[]): void;
  /** A batch's effects were released (messages sent, entries applied): the node's reported state may have moved. */
  onReleased(): void;
  /** The log dropped a compacted prefix, and the write of its snapshot is durable (storage let go of its copy). */
  onLogCompacted(): void;
  /** A drain of the core's Ready output finished. */
  afterDrain(): void;
  /** Something the node survives (reported). */
  onError(message: string): void;
  /**
   * The backlog of batches waiting for storage reached ReadyPipelineOptions.maxBacklogBatches (full), or fell back
   * below it: while full the node takes no input and its timers wait (see ReadyPipeline.backlogFull).
   */
  onBacklogChanged?(full: boolean): void;
  /** The node cannot keep its promises and must stop (storage failed, the core threw, a snapshot was unusable). */
  onFatal(error: Error): void;
}
