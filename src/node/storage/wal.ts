// The live WAL: accepts writes in call order, writes them in batches (one fdatasync covers every write that queued
// meanwhile: while a snapshot file or a compaction was being written, or, for callers that issue several writes
// in one go, all but the first), and compacts the file when it has grown enough.
//
// Invariant: the mirror equals (file contents) + (queue), in order. Writes are applied to the mirror when admitted
// to the queue, so compaction can write the mirror and count every queued write as done.
//
// The hot path (writeBatch) writes and fdatasyncs on the node's own thread, not in libuv's pool: the node has nothing
// to do meanwhile that does not wait for this write (a leader sends its AppendEntries before writing, see
// raft-runtime.ts), and each async call costs two thread hand-offs, which on a busy 2-core machine are the wait. With
// the synchronous pair, 3 nodes at 16 clients did 2823-3088 writes/s against 2273-2384 (nodes' CPU per write -25%),
// and 1-client p50 was 1.59-1.74 ms against 1.94-2.32 (runs alternated; docs/benchmarks.md). The node writes with
// writeThen, whose callback runs inside the call when the write is done at once: a follower's acknowledgement leaves
// right after its fdatasync, not after the rest of that run's work (applying committed entries). Group commit still
// happens where it matters: what arrives while the thread is blocked queues in the transport and the node's next
// Ready carries it all, in one write. Rare, larger work (snapshot files, compaction) stays asynchronous. The price:
// while fdatasync runs the node's timers wait too, so a disk whose sync takes tens of ms delays heartbeats by as
// much (etcd's raft loop has the same property; election timeouts are 150 ms and up by default).
//
// A write with a snapshot (Persist.snapshot) first has its snapshot file made durable (snapshot-file.ts), then its
// record, which refers to that file, is appended like any other; files of older snapshots are deleted once that
// record is durable. Such a write is always synced: the old file must not go while a crash could still lose the
// reference to the new one.
//
// The file is preallocated (wal-files.ts): records go at endBytes, inside the file's length, and when a batch would
// not fit the file first grows by whole preallocation steps of zeros, synced before the batch is written.

import { fdatasyncSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Persist } from '../../raft/types';
import type { LogMirror } from './log-mirror';
import type { ResolvedWalOptions } from './wal-options';
import { encodeFrames, writeSnapshotBody } from './snapshot-body';
import { MAX_SNAPSHOT_BYTES, removeSnapshotFilesExcept, snapshotDataBytes, writeSnapshotFile, type SnapshotRef } from './snapshot-file';
import { extendWithZerosSync, preallocatedLength, replaceWalFile, walPath, writeFullySync, type WalExtent } from './wal-files';
import { validatePersist } from './validate-persist';

export interface WalStats {
  /** Writes completed (written, and synced when they asked to be). */
  readonly writes: number;
  /** fdatasync calls made for writes (compactions fsync on their own and are not counted). */
  readonly syncs: number;
  /** Write syscalls made for writes: one per group-commit batch. */
  readonly batches: number;
  readonly compactions: number;
  /** Snapshot files written. */
  readonly snapshots: number;
  /** Deletions of superseded snapshot files that failed (harmless: openWal retries them). */
  readonly failedSnapshotDeletes: number;
  /** Offset after the last record: the WAL's data (compaction is decided on this). */
  readonly endBytes: number;
  /** File length: endBytes and the preallocated zeros after it (at most one preallocation step more). */
  readonly fileBytes: number;
  /** Times the file grew by preallocating more zeros (compactions and opens preallocate on their own). */
  readonly extensions: number;
  /** Last index of the current snapshot (0: none); the WAL holds entries after it only. */
  readonly snapshotIndex: number;
  readonly lastIndex: number;
  readonly term: number;
}

export interface Wal {
  readonly path: string;
  /** Resolves when the write is on disk, and durable (fdatasync) if `persist.mustSync`. Writes land in call order. */
  write(persist: Persist): Promise<void>;
  /**
   * The same write, with a callback (error null once on disk and durable as above) that may be called before this
   * returns: a write is usually done inside the call, and its completion then reaches the caller in the same run
   * instead of a later microtask (a follower's acknowledgement went out only after the rest of that run's work).
   */
  writeThen(persist: Persist, done: WriteDone): void;
  /** Rewrites the file as snapshot reference + hard state + log after it now (also happens as the file grows). */
  compact(): Promise<void>;
  stats(): WalStats;
  /** Flushes everything accepted (held unsynced writes too), then closes. Later writes reject; idempotent. */
  close(): Promise<void>;
}

/** How a write ends: error null once it is on disk (and durable when it asked to be). Called once. */
export type WriteDone = (error: Error | null) => void;

/** How a write or a compaction request ends (WriteDone). */
type Settle = WriteDone;

interface QueuedWrite {
  readonly frames: Buffer;
  readonly mustSync: boolean;
  readonly settle: Settle;
  /** The snapshot this write's record refers to, if any. */
  readonly snapshot: SnapshotRef | null;
  /** Its data until its file is durable; then null. The core holds the same string, so this is no copy. */
  snapshotData: string | null;
}

interface WaitingWrite {
  readonly persist: Persist;
  readonly settle: Settle;
}

export class FileWal implements Wal {
  readonly path: string;
  private readonly queue: QueuedWrite[] = [];
  private queuedSyncWrites = 0;
  private readonly waiting: WaitingWrite[] = [];
  private readonly compactionRequests: Settle[] = [];
  private flusherRunning = false;
  private flusherDone: Promise<void> = Promise.resolve();
  private holdTimer: NodeJS.Timeout | null = null;
  private holdExpired = false;
  private closing = false;
  private closed: Promise<void> | null = null;
  private failure: Error | null = null;
  private compactedBytes: number;
  /** A snapshot was recorded since the last compaction: the file's prefix is now mostly dead entries. */
  private snapshotSinceCompaction = false;
  /** The snapshot whose reference is durable in the WAL; every other snapshot file may go. */
  private durableSnapshot: SnapshotRef | null;
  private counts = { writes: 0, syncs: 0, batches: 0, compactions: 0, snapshots: 0, failedSnapshotDeletes: 0, extensions: 0 };
  private endBytes: number;
  private fileBytes: number;

  constructor(
    private readonly dir: string,
    private handle: FileHandle,
    extent: WalExtent,
    private readonly mirror: LogMirror,
    private readonly options: ResolvedWalOptions,
  ) {
    this.path = walPath(dir);
    this.endBytes = extent.endBytes;
    this.fileBytes = extent.fileBytes;
    this.compactedBytes = extent.endBytes;
    this.durableSnapshot = mirror.snapshot;
  }

  write(persist: Persist): Promise<void> {
    return new Promise<void>((resolve, reject) => this.writeThen(persist, settlePromise(resolve, reject)));
  }

  writeThen(persist: Persist, done: WriteDone): void {
    if (this.failure !== null) return done(this.failure);
    if (this.closing) return done(new Error(`WAL ${this.path} is closed`));
    if (persist.snapshot === null && persist.hardState === null && persist.entries.length === 0) return done(null);
    if (this.waiting.length >= this.options.maxWaitingWrites) {
      return done(new Error(`WAL ${this.path}: more than ${this.options.maxWaitingWrites} writes waiting`));
    }
    if (this.waiting.length === 0 && this.queue.length < this.options.maxQueuedWrites) this.admit(persist, done);
    else this.waiting.push({ persist, settle: done });
    this.kick();
  }

  compact(): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new Error(`WAL ${this.path} is closed`));
    return new Promise<void>((resolve, reject) => {
      this.compactionRequests.push(settlePromise(resolve, reject));
      this.kick();
    });
  }

  stats(): WalStats {
    return {
      ...this.counts,
      endBytes: this.endBytes,
      fileBytes: this.fileBytes,
      snapshotIndex: this.mirror.snapshotIndex,
      lastIndex: this.mirror.lastIndex,
      term: this.mirror.hardState.term,
    };
  }

  close(): Promise<void> {
    // Idempotent: shutdown paths may race; every caller gets the one close.
    this.closed ??= this.closeOnce();
    return this.closed;
  }

  private async closeOnce(): Promise<void> {
    this.closing = true; // from here on every queued write is due
    while (true) {
      if (this.flusherRunning) await this.flusherDone;
      else if (this.failure === null && this.hasWork()) this.kick();
      else break;
    }
    this.clearHoldTimer();
    await this.handle.close();
    if (this.failure !== null) throw this.failure;
  }

  private hasWork(): boolean {
    return this.queue.length > 0 || this.waiting.length > 0 || this.compactionRequests.length > 0;
  }

  /** Validates, encodes and applies to the mirror, in call order; a refused write leaves the mirror unchanged. */
  private admit(persist: Persist, settle: Settle): void {
    let frames: Buffer;
    let snapshot: SnapshotRef | null = null;
    let snapshotData: string | null = null;
    try {
      validatePersist(persist, this.mirror);
      if (persist.snapshot !== null) {
        snapshotData = persist.snapshot.data;
        const snapshotBytes = snapshotDataBytes(snapshotData);
        if (snapshotBytes > MAX_SNAPSHOT_BYTES) {
          throw new Error(`snapshot of ${snapshotBytes} bytes exceeds the bound of ${MAX_SNAPSHOT_BYTES}`);
        }
        snapshot = { index: persist.snapshot.lastIncludedIndex, term: persist.snapshot.lastIncludedTerm,
          generation: (this.mirror.snapshot?.generation ?? 0) + 1, bytes: snapshotBytes,
          ...(persist.snapshot.config === undefined ? {} : { config: persist.snapshot.config }) };
      }
      frames = encodeFrames(snapshot, persist.hardState, persist.entries);
    } catch (error) {
      complete(settle, error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (snapshot !== null) this.mirror.setSnapshot(snapshot);
    if (persist.hardState !== null) this.mirror.setHardState(persist.hardState);
    this.mirror.replaceFrom(persist.entries);
    const mustSync = persist.mustSync || snapshot !== null;
    this.queue.push({ frames, mustSync, settle, snapshot, snapshotData });
    if (mustSync) this.queuedSyncWrites++;
  }

  private admitWaiting(): void {
    while (this.waiting.length > 0 && this.queue.length < this.options.maxQueuedWrites) {
      const next = this.waiting.shift()!;
      this.admit(next.persist, next.settle);
    }
  }

  private kick(): void {
    if (this.flusherRunning) return;
    this.flusherRunning = true;
    this.flusherDone = this.flushLoop();
  }

  /** The only code that touches the file after open: one loop at a time, so file operations never overlap. */
  private async flushLoop(): Promise<void> {
    try {
      while (this.failure === null) {
        if (this.compactionDue()) await this.compactNow();
        else if (this.queue.length === 0) break;
        else if (this.queue[0]!.snapshotData !== null) await this.writeSnapshotFileOf(this.queue[0]!);
        else if (this.flushDue()) await this.writeBatch();
        else {
          this.armHoldTimer();
          break;
        }
      }
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
    } finally {
      // Cleared with no await after the loop's last check, so a write arriving later always finds it false and kicks.
      this.flusherRunning = false;
    }
    if (this.failure !== null) this.failEverything(this.failure);
    if (this.queue.length === 0) {
      this.clearHoldTimer();
      this.holdExpired = false;
    }
  }

  private compactionDue(): boolean {
    if (this.compactionRequests.length > 0) return true;
    if (this.queue.length === 0) return false;
    // After a snapshot most of the file is entries nobody needs; rewriting it is cheap then (a reference, the tail).
    const minBytes = this.snapshotSinceCompaction ? this.options.compactAfterSnapshotMinBytes : this.options.compactMinBytes;
    return this.endBytes >= Math.max(minBytes, 2 * this.compactedBytes);
  }

  private flushDue(): boolean {
    return (
      this.options.unsyncedHoldMs === 0 ||
      this.queuedSyncWrites > 0 ||
      this.holdExpired ||
      this.closing ||
      this.queue.length >= this.options.maxQueuedWrites ||
      this.waiting.length > 0
    );
  }

  private async writeBatch(): Promise<void> {
    let batchBytes = 0;
    let batchLength = 0;
    for (const queued of this.queue) {
      if (batchLength > 0 && batchBytes + queued.frames.length > this.options.maxBatchBytes) break;
      // A later snapshot's file must be durable before its record is written: the batch ends before it.
      if (batchLength > 0 && queued.snapshotData !== null) break;
      batchBytes += queued.frames.length;
      batchLength++;
    }
    const batch = this.queue.splice(0, batchLength);
    const mustSync = batch.some((queued) => queued.mustSync);
    if (mustSync) this.queuedSyncWrites -= batch.filter((queued) => queued.mustSync).length;
    this.admitWaiting(); // room was made: waiting writes join the queue and ride the next batch
    const bytes = batch.length === 1 ? batch[0]!.frames : Buffer.concat(batch.map((queued) => queued.frames));
    try {
      if (this.endBytes + bytes.length > this.fileBytes) {
        const grownBytes = preallocatedLength(this.endBytes + bytes.length, this.options.preallocateBytes);
        extendWithZerosSync(this.handle.fd, this.fileBytes, grownBytes);
        this.fileBytes = grownBytes;
        this.counts.extensions++;
      }
      writeFullySync(this.handle.fd, bytes, this.endBytes);
      this.endBytes += bytes.length;
      if (mustSync) {
        fdatasyncSync(this.handle.fd);
        this.counts.syncs++;
      }
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const queued of batch) complete(queued.settle, failure);
      throw failure;
    }
    this.counts.batches++;
    this.counts.writes += batch.length;
    let recorded: SnapshotRef | null = null;
    for (const queued of batch) recorded = queued.snapshot ?? recorded;
    // Old snapshot files go before the writes complete (a rare extra directory fsync), so a caller that saw its
    // snapshot write complete also sees the directory as it will stay.
    if (recorded !== null) {
      this.snapshotSinceCompaction = true;
      await this.snapshotDurable(recorded);
    }
    for (const queued of batch) complete(queued.settle, null);
  }

  /** Makes the snapshot file of `queued` durable; a failure stops the WAL before its record is written. */
  private async writeSnapshotFileOf(queued: QueuedWrite): Promise<void> {
    await writeSnapshotFile(this.dir, queued.snapshot!, queued.snapshotData!);
    queued.snapshotData = null;
    this.counts.snapshots++;
  }

  /**
   * The WAL now durably refers to `ref`: older snapshot files are no longer needed by any crash. A failed delete
   * loses nothing (the files are unreferenced, and openWal deletes them next time), so it does not stop the WAL.
   */
  private async snapshotDurable(ref: SnapshotRef): Promise<void> {
    this.durableSnapshot = ref;
    try {
      await removeSnapshotFilesExcept(this.dir, ref);
    } catch {
      this.counts.failedSnapshotDeletes++;
    }
  }

  /**
   * Writes the mirror to a fresh file and renames it over the live one. Every queued write is in the mirror, so the
   * new file covers them all: they complete here (durably) instead of being appended.
   */
  private async compactNow(): Promise<void> {
    const requests = this.compactionRequests.splice(0);
    const absorbed = this.queue.splice(0);
    this.queuedSyncWrites = 0;
    // Copy now: writes admitted while the compaction runs change the mirror, and they stay queued for the new file.
    const state = this.mirror.state();
    this.admitWaiting();
    // The new file refers to the newest snapshot; if its file is still to be written (an absorbed write), write it
    // first. Older absorbed snapshots are superseded: no file will ever refer to them.
    let newest: QueuedWrite | null = null;
    for (const queued of absorbed) if (queued.snapshot !== null) newest = queued;
    try {
      if (newest !== null && newest.snapshotData !== null) await this.writeSnapshotFileOf(newest);
      for (const queued of absorbed) queued.snapshotData = null;
      const extent = await replaceWalFile(this.dir, (handle, offset) => writeSnapshotBody(handle, offset, state),
        this.options.preallocateBytes);
      await this.handle.close();
      this.handle = await open(this.path, 'r+');
      this.endBytes = extent.endBytes;
      this.fileBytes = extent.fileBytes;
      this.compactedBytes = extent.endBytes;
      this.snapshotSinceCompaction = false;
      if (state.snapshot !== this.durableSnapshot && state.snapshot !== null) await this.snapshotDurable(state.snapshot);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const settle of [...requests, ...absorbed.map((queued) => queued.settle)]) complete(settle, failure);
      throw failure;
    }
    this.counts.compactions++;
    this.counts.writes += absorbed.length;
    for (const settle of [...absorbed.map((queued) => queued.settle), ...requests]) complete(settle, null);
  }

  private armHoldTimer(): void {
    if (this.holdTimer !== null) return;
    this.holdTimer = setTimeout(() => {
      this.holdTimer = null;
      this.holdExpired = true;
      this.kick();
    }, this.options.unsyncedHoldMs);
  }

  private clearHoldTimer(): void {
    if (this.holdTimer !== null) clearTimeout(this.holdTimer);
    this.holdTimer = null;
  }

  /**
   * After a failed write or fsync the file's state is unknown (and a retried fsync can report success for lost
   * pages), so the WAL stops: every pending and later operation rejects; the node must restart and recover.
   */
  private failEverything(failure: Error): void {
    this.clearHoldTimer();
    for (const queued of this.queue.splice(0)) complete(queued.settle, failure);
    for (const waiting of this.waiting.splice(0)) complete(waiting.settle, failure);
    for (const request of this.compactionRequests.splice(0)) complete(request, failure);
    this.queuedSyncWrites = 0;
  }
}

/**
 * Tells a write's caller how it ended. Callbacks run inside the flush loop (writeThen's callers get them there), so
 * an exception of theirs is not the WAL's failure: it is thrown again on its own, as a promise reaction's would be.
 */
function complete(settle: Settle, error: Error | null): void {
  try {
    settle(error);
  } catch (thrown) {
    queueMicrotask(() => {
      throw thrown;
    });
  }
}

function settlePromise(resolve: () => void, reject: (error: Error) => void): Settle {
  return (error) => (error === null ? resolve() : reject(error));
}
