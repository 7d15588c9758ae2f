// Simulated key-value clients against the simulated cluster, recording a history for the linearizability
// checker. Each node runs the KV state machine on what it applies (rebuilt from scratch after a restart, as the
// core re-applies its log). Clients keep one operation in flight (sessions, dissertation §6.3: a client registers
// through the log before its first write, then each write carries its session and a sequence number):
// writes go through the log at the node the client believes leads, reads use ReadIndex (§6.4) and are answered once
// the node has applied the read index. A request that times out, or reaches a node that is not leader, is retried
// elsewhere under the same sequence number, so a write takes effect at most once.
//
// Clients reach every node directly (like Jepsen's clients, they sit outside the partitions): a deposed leader in
// a minority partition still hears its clients, which is exactly how stale reads come about.

import type { HistoryOp } from '../../check/history';
import { HistoryRecorder, type HistoryRequest, type HistoryResponse } from '../../check/history-recorder';
import { encodeKvCommand, type KvCommand } from '../../kv/command';
import type { KvApplyResult } from '../../kv/result';
import { KvStateMachine } from '../../kv/state-machine';
import type { Entry, NodeId, ReadFailure, ReadState } from '../../raft/types';
import type { Prng } from '../engine/prng';
import type { Simulation } from '../engine/simulation';

export interface KvWorkloadOptions {
  readonly clients: number;
  readonly keys: number;
  /** Pause between a client's operations (ms). */
  readonly thinkMs: readonly [number, number];
  /** A request unanswered this long is retried at another node (ms). */
  readonly requestTimeoutMs: number;
  /** Pause before retrying after a "not leader" answer or a crashed node (ms). */
  readonly retryBackoffMs: readonly [number, number];
  /** Fraction of operations that are reads. */
  readonly readFraction: number;
  /** Bound on operations recorded. */
  readonly maxOps: number;
}

export const DEFAULT_KV_WORKLOAD: KvWorkloadOptions = {
  clients: 4,
  keys: 3,
  thinkMs: [0, 30],
  requestTimeoutMs: 300,
  retryBackoffMs: [5, 25],
  readFraction: 0.4,
  maxOps: 20_000,
};

interface Operation {
  readonly request: HistoryRequest;
  readonly handle: number;
  /** Session sequence number (writes only; reads do not enter the log). */
  readonly seq: number;
}

interface ClientState {
  readonly id: number;
  readonly clientId: string;
  /** The open session (its register entry's index); null until registered, and again after it expired. */
  session: number | null;
  nextSeq: number;
  leaderGuess: NodeId;
  operation: Operation | null;
  /** Bumped on every attempt: answers to older attempts are ignored. */
  attempt: number;
  /** Where the current attempt waits, so that a retry can withdraw it. */
  waitingAt: { readonly node: NodeId; readonly readId: string | null; readonly index: number | null } | null;
}

interface PendingWrite {
  readonly client: ClientState;
  readonly attempt: number;
  readonly seq: number;
}

interface PendingRead {
  readonly client: ClientState;
  readonly attempt: number;
  readonly key: string;
  /** Set once the node confirmed the read: it is answered when the node has applied this index. */
  index: number | null;
}

/** One node's KV replica and the client requests waiting on it. */
class Replica {
  stateMachine = new KvStateMachine();
  readonly writesByIndex = new Map<number, PendingWrite>();
  readonly reads = new Map<string, PendingRead>();
  /** While a client's propose() runs on this replica's node: what it applies meanwhile (a lone server applies at once). */
  appliedDuringPropose: Map<number, KvApplyResult | null> | null = null;

  reset(): void {
    this.stateMachine = new KvStateMachine();
    this.writesByIndex.clear();
    this.reads.clear();
  }
}

export class KvWorkload {
  readonly recorder: HistoryRecorder;
  private readonly replicas = new Map<NodeId, Replica>();
  private readonly clients: ClientState[] = [];
  private readonly options: KvWorkloadOptions;
  private stopIssuingAtMs = 0;
  private stopped = false;
  private nextReadId = 1;
  completed = 0;
  retries = 0;
  /** Writes answered session-expired (left unknown in the history). */
  sessionsExpired = 0;

  constructor(
    private readonly simulation: Simulation,
    private readonly random: Prng,
    options: Partial<KvWorkloadOptions> = {},
  ) {
    this.options = { ...DEFAULT_KV_WORKLOAD, ...options };
    if (this.options.clients < 1 || this.options.keys < 1) throw new Error('a KV workload needs clients and keys');
    this.recorder = new HistoryRecorder({ maxOps: this.options.maxOps });
    for (const id of simulation.members) this.replicas.set(id, new Replica());
    simulation.addListener({
      onApply: (node, entries) => this.onApply(node, entries),
      onReadState: (node, readState) => this.onReadState(node, readState),
      onReadFailure: (node, failure) => this.onReadFailure(node, failure),
      onCrash: (node) => this.replica(node).reset(),
      onRestart: (node) => this.replica(node).reset(),
      onSnapshot: (node, index, data) => this.onSnapshot(node, index, data),
    });
    // Log compaction (§7) snapshots the replica's KV state.
    simulation.setSnapshotSource((node) => this.replica(node).stateMachine.takeSnapshot());
  }

  /** Clients issue operations until `untilMs`; operations in flight then keep retrying until `stop()`. */
  start(untilMs: number): void {
    this.stopIssuingAtMs = untilMs;
    for (let id = 0; id < this.options.clients; id++) {
      const client: ClientState = {
        id, clientId: `client-${id}`, session: null, nextSeq: 1, leaderGuess: this.random.pick(this.simulation.members), operation: null, attempt: 0, waitingAt: null,
      };
      this.clients.push(client);
      this.simulation.schedule(this.random.between(0, 20), () => this.nextOperation(client));
    }
  }

  /** No more attempts; operations still in flight stay `unknown` in the history. */
  stop(): void {
    this.stopped = true;
  }

  get inFlight(): number {
    return this.clients.filter((client) => client.operation !== null).length;
  }

  history(): HistoryOp[] {
    return this.recorder.ops();
  }

  // ---- clients -----------------------------------------------------------------------------------------------

  private nextOperation(client: ClientState): void {
    if (this.stopped || this.simulation.nowMs >= this.stopIssuingAtMs || this.recorder.isFull) return;
    const key = `k${this.random.int(0, this.options.keys)}`;
    let request: HistoryRequest;
    if (this.random.chance(this.options.readFraction)) {
      request = { op: 'get', key };
    } else {
      const value = `${client.id}.${client.nextSeq}`; // unique, so a stale read is pinned to one write
      const roll = this.random.float();
      if (roll < 0.6) request = { op: 'put', key, value };
      else if (roll < 0.75) request = { op: 'delete', key };
      else request = { op: 'cas', key, from: this.guessCurrentValue(), to: value };
    }
    const seq = request.op === 'get' ? 0 : client.nextSeq++;
    const handle = this.recorder.invoke(client.id, request, this.nowNs());
    client.operation = { request, handle, seq };
    this.attempt(client);
  }

  /** A plausible current value for a cas: some value a client wrote recently (often right, often not). */
  private guessCurrentValue(): string {
    const writer = this.random.pick(this.clients);
    return `${writer.id}.${Math.max(1, writer.nextSeq - 1 - this.random.int(0, 2))}`;
  }

  private attempt(client: ClientState): void {
    const operation = client.operation;
    if (operation === null || this.stopped) return;
    this.withdraw(client);
    const attempt = ++client.attempt;
    const node = client.leaderGuess;
    const replica = this.replica(node);
    if (operation.request.op === 'get') {
      const requestId = `read-${this.nextReadId++}`;
      replica.reads.set(requestId, { client, attempt, key: operation.request.key, index: null });
      client.waitingAt = { node, readId: requestId, index: null };
      if (!this.simulation.readIndex(node, requestId)) {
        this.retryLater(client, null);
        return;
      }
    } else {
      // No session yet: register first (the write follows once the register entry is applied).
      const session = client.session;
      const command = session === null
        ? encodeKvCommand({ op: 'register', clientId: client.clientId })
        : encodeKvCommand(toCommand(client.clientId, session, operation.seq, operation.request));
      // A lone server commits and applies what it appends within propose(): its answer comes before the write can
      // be registered as waiting, so the replica keeps what it applies meanwhile for this client to claim.
      replica.appliedDuringPropose = new Map();
      const result = this.simulation.propose(node, command);
      const appliedMeanwhile = replica.appliedDuringPropose;
      replica.appliedDuringPropose = null;
      if (result === null || !result.ok) {
        this.retryLater(client, result === null ? null : result.leaderHint);
        return;
      }
      if (session === null) {
        // As a node does: the session id is the register entry's index, known as soon as it is appended; the write
        // follows at once (if the register never commits, the write is answered session-expired).
        client.session = result.index;
        this.attempt(client);
        return;
      }
      const pending: PendingWrite = { client, attempt, seq: operation.seq };
      const applied = appliedMeanwhile.get(result.index);
      if (applied !== undefined) {
        this.settleWrite(pending, applied);
        return;
      }
      replica.writesByIndex.set(result.index, pending);
      client.waitingAt = { node, readId: null, index: result.index };
    }
    this.simulation.schedule(this.options.requestTimeoutMs, () => {
      if (client.attempt === attempt && client.operation !== null) {
        // No answer: maybe the node is cut off or crashed. Try another one with the same sequence number.
        this.retries++;
        client.leaderGuess = this.otherNode(node);
        this.attempt(client);
      }
    });
  }

  private retryLater(client: ClientState, leaderHint: NodeId | null): void {
    this.retries++;
    this.withdraw(client);
    client.leaderGuess = leaderHint !== null && leaderHint !== client.leaderGuess ? leaderHint : this.otherNode(client.leaderGuess);
    const attempt = ++client.attempt; // invalidates any answer to the attempt that just failed
    this.simulation.schedule(this.random.between(this.options.retryBackoffMs[0], this.options.retryBackoffMs[1]), () => {
      if (client.attempt === attempt) this.attempt(client);
    });
  }

  private answer(client: ClientState, attempt: number, response: HistoryResponse): void {
    const operation = client.operation;
    if (operation === null || client.attempt !== attempt || this.stopped) return;
    this.recorder.complete(operation.handle, response, this.nowNs());
    this.completed++;
    this.withdraw(client);
    client.operation = null;
    client.attempt++;
    this.simulation.schedule(this.random.between(this.options.thinkMs[0], this.options.thinkMs[1]), () => this.nextOperation(client));
  }

  /** Forgets where the client's current attempt waits (its answer, if any comes, is no longer wanted). */
  private withdraw(client: ClientState): void {
    const waiting = client.waitingAt;
    if (waiting === null) return;
    client.waitingAt = null;
    const replica = this.replica(waiting.node);
    if (waiting.readId !== null) replica.reads.delete(waiting.readId);
    if (waiting.index !== null && replica.writesByIndex.get(waiting.index)?.client === client) replica.writesByIndex.delete(waiting.index);
  }

  private otherNode(node: NodeId): NodeId {
    const others = this.simulation.members.filter((id) => id !== node);
    return others.length === 0 ? node : this.random.pick(others);
  }

  // ---- replicas ----------------------------------------------------------------------------------------------

  private onApply(node: NodeId, entries: readonly Entry[]): void {
    const replica = this.replica(node);
    for (const entry of entries) {
      const result = replica.stateMachine.apply(entry.index, entry.command);
      replica.appliedDuringPropose?.set(entry.index, result);
      const waiting = replica.writesByIndex.get(entry.index);
      if (waiting === undefined) continue;
      replica.writesByIndex.delete(entry.index);
      this.settleWrite(waiting, result);
    }
    this.serveReads(replica);
  }

  /** A waiting write's index was applied with `result`: its answer, or (another entry took the index) a retry. */
  private settleWrite(waiting: PendingWrite, result: KvApplyResult | null): void {
    if (result !== null && result.clientId === waiting.client.clientId && result.seq === waiting.seq) {
      this.onWriteResult(waiting, result);
    } else {
      // Another entry took this index: the proposal was lost with a leader change. Retry.
      this.retryIfCurrent(waiting.client, waiting.attempt);
    }
  }

  private onWriteResult(waiting: PendingWrite, result: KvApplyResult): void {
    const client = waiting.client;
    if (client.attempt !== waiting.attempt || client.operation === null || this.stopped) return;
    if (result.status === 'session-expired') {
      // Dissertation §6.3: not applied by this attempt; an earlier one may have been. The operation stays unknown in
      // the history, and the client opens a new session for its next write.
      this.sessionsExpired++;
      this.withdraw(client);
      client.session = null;
      client.operation = null;
      client.attempt++;
      this.simulation.schedule(this.random.between(this.options.thinkMs[0], this.options.thinkMs[1]), () => this.nextOperation(client));
      return;
    }
    // 'stale' cannot happen with one request in flight per client.
    this.answer(client, waiting.attempt, { status: result.status === 'ok' ? 'ok' : 'fail' });
  }

  /** The replica's state is replaced by a snapshot (installed from the leader, or recovered at a restart). */
  private onSnapshot(node: NodeId, index: number, data: string): void {
    const replica = this.replica(node);
    replica.stateMachine = new KvStateMachine();
    replica.stateMachine.restoreSnapshot(index, data);
    // Writes waiting for an index the snapshot covers will never be applied one by one here: their outcome is
    // unknown to this replica, so retry them (the session makes a retry of an applied write a no-op).
    for (const [waitingIndex, waiting] of [...replica.writesByIndex]) {
      if (waitingIndex > index) continue;
      replica.writesByIndex.delete(waitingIndex);
      this.retryIfCurrent(waiting.client, waiting.attempt);
    }
    this.serveReads(replica);
  }

  private onReadState(node: NodeId, readState: ReadState): void {
    const replica = this.replica(node);
    const read = replica.reads.get(readState.requestId);
    if (read === undefined) return;
    read.index = readState.index;
    this.serveReads(replica);
  }

  private onReadFailure(node: NodeId, failure: ReadFailure): void {
    const replica = this.replica(node);
    const read = replica.reads.get(failure.requestId);
    if (read === undefined) return;
    replica.reads.delete(failure.requestId);
    if (read.client.attempt === read.attempt) this.retryLater(read.client, failure.leaderHint);
  }

  /** Answers confirmed reads whose index the replica has applied (ReadIndex step 4). */
  private serveReads(replica: Replica): void {
    const applied = replica.stateMachine.appliedIndex;
    for (const [requestId, read] of replica.reads) {
      if (read.index === null || read.index > applied) continue;
      replica.reads.delete(requestId);
      this.answer(read.client, read.attempt, { status: 'ok', value: replica.stateMachine.read(read.key) });
    }
  }

  private retryIfCurrent(client: ClientState, attempt: number): void {
    if (client.attempt === attempt && client.operation !== null) this.retryLater(client, null);
  }

  /** A server added by a membership change gets its (empty) state machine the first time it is heard from. */
  private replica(node: NodeId): Replica {
    let replica = this.replicas.get(node);
    if (replica === undefined) {
      if (!this.simulation.members.includes(node)) throw new Error(`no replica for S${node}`);
      replica = new Replica();
      this.replicas.set(node, replica);
    }
    return replica;
  }

  private nowNs(): number {
    return Math.round(this.simulation.nowMs * 1_000_000);
  }
}

function toCommand(clientId: string, session: number, seq: number, request: HistoryRequest): KvCommand {
  switch (request.op) {
    case 'put': return { clientId, session, seq, op: 'put', key: request.key, value: request.value };
    case 'delete': return { clientId, session, seq, op: 'delete', key: request.key };
    case 'cas': return { clientId, session, seq, op: 'cas', key: request.key, from: request.from, to: request.to };
    case 'get': throw new Error('a get does not go through the log');
  }
}
