// The replicated key-value state machine. Every replica applies the same committed entries in the same order
// (Figure 2: "apply log[lastApplied] to state machine"), so everything here must be deterministic: no clocks, no
// randomness, no iteration over anything whose order could differ between replicas.
import { decodeKvLogCommand, type KvCas, type KvCommand, type KvLogCommand, type KvPut } from './command';
import { KV_MAX_SESSIONS, KV_MAX_STORE_BYTES } from './limits';
import type { KvApplyResult } from './result';
import { ClientSessions } from './sessions';
import { decodeKvSnapshot, encodeKvSnapshot, type KvSnapshotState } from './snapshot';
import { utf8ByteLength } from './utf8';

export interface KvStateMachineOptions {
  /** Bound of the client session table: past it the least recently used session expires (see sessions.ts). */
  readonly maxSessions?: number;
  /** Bound on the bytes of all keys plus values; a write that would pass it fails with reason 'store-full'. */
  readonly maxStoreBytes?: number;
}

export class KvStateMachine {
  private readonly values = new Map<string, string>();
  private readonly sessions: ClientSessions;
  private readonly maxSessions: number;
  private readonly maxStoreBytes: number;
  private appliedIndexValue = 0;
  private storeBytesValue = 0;
  private malformedCommandCountValue = 0;

  constructor(options: KvStateMachineOptions = {}) {
    this.maxSessions = options.maxSessions ?? KV_MAX_SESSIONS;
    this.sessions = new ClientSessions(this.maxSessions);
    this.maxStoreBytes = options.maxStoreBytes ?? KV_MAX_STORE_BYTES;
    if (!Number.isSafeInteger(this.maxStoreBytes) || this.maxStoreBytes < 0) {
      throw new RangeError(`maxStoreBytes must be a non-negative integer, got ${this.maxStoreBytes}`);
    }
  }

  /** Index of the last log entry applied (0 before any). */
  get appliedIndex(): number {
    return this.appliedIndexValue;
  }

  /** Bytes of all keys plus values now stored. */
  get storeBytes(): number {
    return this.storeBytesValue;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Committed entries whose command could not be decoded; they were skipped like no-ops (see apply). */
  get malformedCommandCount(): number {
    return this.malformedCommandCountValue;
  }

  /**
   * Applies the committed entry at `index`, which must be `appliedIndex + 1`. A null command is a leader's no-op
   * (§8): it only advances appliedIndex and returns null. Returns the result to send back to the client.
   *
   * A command that cannot be decoded also returns null and changes nothing but appliedIndex: it is already committed
   * on every replica, and throwing would crash every replica on the same entry forever. Proposers validate with
   * encodeKvCommand/decodeKvCommand, so this only counts (malformedCommandCount) and never happens in a correct lab.
   */
  apply(index: number, command: string | null): KvApplyResult | null {
    if (!Number.isSafeInteger(index) || index !== this.appliedIndexValue + 1) {
      throw new Error(`apply out of order: index ${index} after appliedIndex ${this.appliedIndexValue}`);
    }
    this.appliedIndexValue = index;
    if (command === null) return null;
    let decoded: KvLogCommand;
    try {
      decoded = decodeKvLogCommand(command);
    } catch {
      this.malformedCommandCountValue++;
      return null;
    }
    // Dissertation §6.3: a register command opens a session whose id is this entry's index.
    if (decoded.op === 'register') return this.sessions.register(index, decoded.clientId);
    return this.applyCommand(decoded);
  }

  /** The current value of `key`, null if absent. A linearizable read must first wait for the ReadIndex (§6.4). */
  read(key: string): string | null {
    return this.values.get(key) ?? null;
  }

  /** Every key and value, keys sorted, as a plain object for the UI. */
  snapshotData(): Record<string, string> {
    const keys = [...this.values.keys()].sort();
    // Object.fromEntries defines own properties, so a key named "__proto__" is stored like any other.
    return Object.fromEntries(keys.map((key) => [key, this.values.get(key) ?? '']));
  }

  /** The whole state after entry `appliedIndex`, for log compaction (§7); see snapshot.ts for the format. */
  takeSnapshot(): string {
    return encodeKvSnapshot({
      appliedIndex: this.appliedIndexValue,
      values: [...this.values],
      sessions: this.sessions.list(),
      malformedCommandCount: this.malformedCommandCountValue,
    });
  }

  /**
   * Replaces the whole state with a snapshot's (one installed from the leader, or recovered from disk). `index` is
   * the snapshot's lastIncludedIndex, which the data must agree with. Validates everything before changing anything:
   * on a bad snapshot it throws and the state is untouched.
   */
  restoreSnapshot(index: number, data: string): void {
    const { state, storeBytes } = this.checkedSnapshot(index, data);
    this.sessions.replaceAll(state.sessions);
    this.values.clear();
    for (const [key, value] of state.values) this.values.set(key, value);
    this.storeBytesValue = storeBytes;
    this.appliedIndexValue = state.appliedIndex;
    this.malformedCommandCountValue = state.malformedCommandCount;
  }

  /**
   * Null when restoreSnapshot(index, data) would succeed, otherwise why not. Pure: the Raft core asks this before it
   * installs a snapshot from the leader (RaftConfig.snapshotProblem), so a bad one is refused rather than installed.
   */
  snapshotProblem(index: number, data: string): string | null {
    try {
      this.checkedSnapshot(index, data);
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  /** Decodes and checks a snapshot against this machine's bounds; throws saying what is wrong. */
  private checkedSnapshot(index: number, data: string): { state: KvSnapshotState; storeBytes: number } {
    const state = decodeKvSnapshot(data);
    if (state.appliedIndex !== index) throw new Error(`KV snapshot holds the state after entry ${state.appliedIndex}, not ${index}`);
    let storeBytes = 0;
    for (const [key, value] of state.values) storeBytes += utf8ByteLength(key) + utf8ByteLength(value);
    if (storeBytes > this.maxStoreBytes) throw new Error(`KV snapshot holds ${storeBytes} bytes, more than the bound ${this.maxStoreBytes}`);
    if (state.sessions.length > this.maxSessions) throw new Error(`KV snapshot holds ${state.sessions.length} sessions, more than the bound ${this.maxSessions}`);
    return { state, storeBytes };
  }

  private applyCommand(command: KvCommand): KvApplyResult {
    const { clientId, session: sessionId, seq } = command;
    const session = this.sessions.lookup(clientId, sessionId, seq);
    switch (session.kind) {
      case 'expired':
        // Dissertation §6.3: never applied again; the client learns its session is gone.
        return { clientId, seq, status: 'session-expired', duplicate: false };
      case 'duplicate':
        this.sessions.touch(clientId, sessionId);
        return { ...session.result, duplicate: true };
      case 'stale':
        this.sessions.touch(clientId, sessionId);
        return { clientId, seq, status: 'stale', duplicate: true };
      case 'new': {
        const result = this.execute(command);
        this.sessions.record(sessionId, result);
        return result;
      }
    }
  }

  private execute(command: KvCommand): KvApplyResult {
    const done: KvApplyResult = { clientId: command.clientId, seq: command.seq, status: 'ok', duplicate: false };
    switch (command.op) {
      case 'put':
        return this.store(command, command.value) ? done : this.storeFull(command);
      case 'delete':
        this.remove(command.key);
        return done;
      case 'cas':
        return this.compareAndSet(command, done);
    }
  }

  private compareAndSet(command: KvCas, done: KvApplyResult): KvApplyResult {
    const current = this.values.get(command.key);
    if (current === undefined || current !== command.from) {
      return { ...done, status: 'fail', reason: 'cas-mismatch', value: current ?? null };
    }
    return this.store(command, command.to) ? done : this.storeFull(command);
  }

  /** Sets key to value unless that would pass maxStoreBytes; returns whether it did. */
  private store(command: KvPut | KvCas, value: string): boolean {
    const previous = this.values.get(command.key);
    const keyBytes = utf8ByteLength(command.key);
    const freedBytes = previous === undefined ? 0 : keyBytes + utf8ByteLength(previous);
    const neededBytes = keyBytes + utf8ByteLength(value);
    const nextBytes = this.storeBytesValue - freedBytes + neededBytes;
    if (nextBytes > this.maxStoreBytes) return false;
    this.values.set(command.key, value);
    this.storeBytesValue = nextBytes;
    return true;
  }

  private remove(key: string): void {
    const previous = this.values.get(key);
    if (previous === undefined) return;
    this.values.delete(key);
    this.storeBytesValue -= utf8ByteLength(key) + utf8ByteLength(previous);
    if (this.storeBytesValue < 0) throw new Error('storeBytes went negative');
  }

  private storeFull(command: KvCommand): KvApplyResult {
    return { clientId: command.clientId, seq: command.seq, status: 'fail', reason: 'store-full', duplicate: false };
  }
}
