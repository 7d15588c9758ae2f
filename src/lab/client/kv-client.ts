// A KV client with a session (dissertation §6.3): before its first write it registers, and the index of the register
// entry is its session; each write then carries (session, seq), and a retry reuses the seq so the cluster applies it
// at most once. If the session is not open (the cluster answers session-expired), the write was not applied by that
// request: when no earlier attempt of it can have been applied either (every one was refused, or the session never
// opened: its register entry was lost with a leader change), the client registers a new session and sends the write
// again; otherwise an earlier attempt may have taken effect before the session
// expired, so it reports `unknown` and registers a new session for its next write. It follows leader hints, retries
// on timeouts, and when it cannot know whether a write happened it says so (`unknown`) rather than guessing.
import { randomBytes } from 'node:crypto';
import type { ClientRequest, ClientResult } from '../../protocol/lab-api';
import { SESSION_NEVER_OPENED_ERROR, type ClientReplyFrame, type ClientRequestFrame } from '../../protocol/client';
import type { NodeId } from '../../raft/types';
import { monotonicNowMs } from '../../shared/monotonic-clock';
import type { NodeConnections } from './node-connections';
import { CAS_MISMATCH_ERROR_PREFIX } from './workload-ops';

const DEFAULT_TIMEOUT_MS = 5000;
const ATTEMPT_TIMEOUT_MS = 600;
const BACKOFF_MS = 20;
const MIN_ATTEMPT_MS = 5;

export interface KvClientContext {
  readonly connections: NodeConnections;
  /** Nodes that are up now (their client endpoints are known). */
  liveNodes(): NodeId[];
  /** The lab's best guess of the leader. */
  leaderGuess(): NodeId | null;
  timeScale(): number;
}

/** What one exchange with the cluster ended with: a final reply, or no final reply before the deadline. */
type Exchange =
  | { readonly done: true; readonly reply: ClientReplyFrame; readonly uncertain: boolean }
  | { readonly done: false; readonly error: string; readonly sentOnce: boolean };

/** A write whose session turned out not to be open, with no attempt that may have been applied, is resent this often. */
const MAX_SESSION_RENEWALS = 2;
/** Dropped session ids a client remembers, so that it never opens one of them again (see openSession). */
const MAX_DROPPED_SESSIONS = 64;

export class KvClient {
  readonly clientId: string;
  /** The open session (its register entry's index), or null before the first write and after one expired. */
  private session: number | null = null;
  private seq = 0;
  private busy = false;
  private lastServer: NodeId | null = null;
  private attempt = 0;
  /** Sessions this client stopped using, oldest first (see openSession). */
  private readonly droppedSessions = new Set<number>();

  constructor(private readonly context: KvClientContext, clientId?: string) {
    this.clientId = clientId ?? `c-${randomBytes(6).toString('hex')}`;
  }

  /** Forgets the session (the lab started a new cluster: its logs, and so its sessions, are new). */
  forgetSession(): void {
    this.session = null;
    this.seq = 0;
    this.droppedSessions.clear(); // ids in the new cluster's log say nothing about the old one's
  }

  async request(request: ClientRequest): Promise<ClientResult> {
    if (this.busy) throw new Error(`client ${this.clientId} already has a request in flight (one at a time per session)`);
    this.busy = true;
    try {
      return await this.run(request);
    } finally {
      this.busy = false;
    }
  }

  private async run(request: ClientRequest): Promise<ClientResult> {
    const startedMs = monotonicNowMs();
    const scale = this.context.timeScale();
    const deadlineMs = startedMs + (request.timeoutMs ?? DEFAULT_TIMEOUT_MS) * scale;
    const isWrite = request.op !== 'get';
    let outcome: Exchange;
    let session: number | null = null;
    for (let renewals = 0; ; renewals += 1) {
      if (isWrite && this.session === null) {
        const opened = await this.openSession(request.node, deadlineMs);
        if (typeof opened === 'string') {
          return this.unknown(startedMs, `could not open a session (dissertation §6.3) before the deadline, so the write was not sent: ${opened}`);
        }
        this.session = opened;
        this.seq = 0;
      }
      session = this.session;
      const seq = isWrite ? ++this.seq : 0;
      outcome = await this.exchange(() => ({
        v: 1, requestId: `${this.clientId}-${seq}-${this.attempt}`, clientId: this.clientId,
        ...(isWrite && session !== null ? { session } : {}), seq, op: request.op, key: request.key,
        ...(request.value !== undefined ? { value: request.value } : {}),
        ...(request.from !== undefined ? { from: request.from } : {}),
        ...(request.to !== undefined ? { to: request.to } : {}),
      }), request.node, deadlineMs);
      if (!(outcome.done && outcome.reply.status === 'session-expired')) break;
      this.dropSession();
      // Refused by every attempt: applied nowhere, so a new session may send it again (its register may have been
      // lost with a leader change, or the lab started a new cluster). After an attempt whose fate is unknown, only if
      // the session never opened: then no attempt of it can ever be applied.
      const neverOpened = outcome.reply.error === SESSION_NEVER_OPENED_ERROR;
      if ((outcome.uncertain && !neverOpened) || renewals >= MAX_SESSION_RENEWALS) break;
    }
    if (!outcome.done) {
      // A write that may have reached a leader may have been applied: unknown. A read that never answered is
      // unknown too (it had no effect either way).
      const latencyMs = monotonicNowMs() - startedMs;
      return this.unknown(startedMs, `timed out after ${Math.round(latencyMs)} ms${outcome.sentOnce ? '' : ' without reaching any node'}: ${outcome.error}`);
    }
    const reply = outcome.reply;
    const latencyMs = monotonicNowMs() - startedMs;
    this.lastServer = reply.node;
    switch (reply.status) {
      case 'ok':
        return { status: 'ok', value: request.op === 'get' ? reply.value : request.op === 'put' ? request.value ?? null : request.op === 'cas' ? request.to ?? null : null,
          servedBy: reply.node, latencyMs, index: reply.index, error: null };
      case 'session-expired':
        // Not applied by this request; an earlier attempt of it may have been, before the session expired.
        return { status: 'unknown', value: null, servedBy: reply.node, latencyMs, index: null,
          error: outcome.uncertain && reply.error !== SESSION_NEVER_OPENED_ERROR
            ? `session ${session ?? 0} expired: this request was not applied, an earlier attempt may have been; the next write opens a new session`
            : `session ${session ?? 0} was not open either, after ${MAX_SESSION_RENEWALS} new sessions: the write was not applied` };
      default:
        return { status: 'fail', value: reply.value, servedBy: reply.node, latencyMs, index: reply.index,
          error: reply.error === 'cas-mismatch' ? `${CAS_MISMATCH_ERROR_PREFIX} the value is ${reply.value === null ? 'absent' : `"${reply.value}"`}, not "${request.from ?? ''}"` : reply.error };
    }
  }

  /**
   * Registers (dissertation §6.3) and returns the new session's id, or why none opened before the deadline. A session
   * id this client dropped is never taken again. A leader hands out the id when it appends the register, before it
   * commits; a deposed one can hand out an index whose entry is later replaced, and a later register can land on that
   * same index. An attempt sent in the dropped session (seq 1, 2, ...) whose answer never came may still be in flight:
   * in a new session of the same number it would be applied as that session's write, and a different write sent with
   * the same seq would get its cached answer. The refused register's own session goes unused and expires like any other.
   */
  private async openSession(pinned: NodeId | undefined, deadlineMs: number): Promise<number | string> {
    for (;;) {
      const registered = await this.exchange(() => ({ v: 1, requestId: `${this.clientId}-register-${this.attempt}`, clientId: this.clientId,
        seq: 0, op: 'register' }), pinned, deadlineMs);
      if (!registered.done) return registered.error;
      // The write itself was never sent; a register that did get through opened a session nobody uses (it expires).
      if (registered.reply.status !== 'ok' || registered.reply.index === null) return registered.reply.error ?? registered.reply.status;
      if (!this.droppedSessions.has(registered.reply.index)) return registered.reply.index;
    }
  }

  /** Forgets the open session, remembering its id (openSession never takes it again). */
  private dropSession(): void {
    if (this.session === null) return;
    this.droppedSessions.add(this.session);
    // Bounded: only a session dropped in the last few renewals can still have attempts in flight.
    if (this.droppedSessions.size > MAX_DROPPED_SESSIONS) {
      const oldest = this.droppedSessions.values().next();
      if (oldest.done !== true) this.droppedSessions.delete(oldest.value);
    }
    this.session = null;
  }

  private unknown(startedMs: number, error: string): ClientResult {
    return { status: 'unknown', value: null, servedBy: null, latencyMs: monotonicNowMs() - startedMs, index: null, error };
  }

  /**
   * Sends the frame `build` makes (rebuilt per attempt) until a node gives a final answer (ok, fail, or
   * session-expired) or the deadline passes: follows hints, retries on timeouts and retry answers.
   */
  private async exchange(build: () => ClientRequestFrame, pinned: NodeId | undefined, deadlineMs: number): Promise<Exchange> {
    const scale = this.context.timeScale();
    let target: NodeId | null = pinned ?? this.context.leaderGuess() ?? this.liveOrNull(this.lastServer);
    let lastError = 'no node answered';
    let sentOnce = false;
    // Whether an attempt may have been proposed without our learning its fate (no answer, or a retry answer).
    let uncertain = false;
    // An attempt needs time to be answered: with less left than that, stop rather than send a request whose outcome
    // we would never learn (and which a caller who pinned `node` did not ask to go elsewhere).
    const minimumAttemptMs = MIN_ATTEMPT_MS * scale;
    while (deadlineMs - monotonicNowMs() >= minimumAttemptMs) {
      target ??= this.pickNode(null);
      if (target === null) {
        lastError = 'no node is running';
        await sleep(BACKOFF_MS * 5 * scale);
        continue;
      }
      this.attempt += 1;
      const remainingMs = deadlineMs - monotonicNowMs();
      sentOnce = true;
      const reply = await this.context.connections.request(target, build(), Math.max(1, Math.min(ATTEMPT_TIMEOUT_MS * scale, remainingMs)));
      if (reply === null || reply.status === 'retry') uncertain = true;
      const outcome = this.interpret(reply, target);
      if (outcome.done) return { done: true, reply: outcome.reply, uncertain };
      lastError = outcome.error;
      target = outcome.next;
      if (outcome.backoff) await sleep(BACKOFF_MS * scale);
    }
    return { done: false, error: lastError, sentOnce };
  }

  private interpret(reply: ClientReplyFrame | null, target: NodeId):
    { done: true; reply: ClientReplyFrame } | { done: false; next: NodeId | null; error: string; backoff: boolean } {
    if (reply === null) return { done: false, next: this.pickNode(target), error: `S${target} did not answer in time`, backoff: false };
    switch (reply.status) {
      case 'ok':
      case 'fail':
      case 'session-expired':
        return { done: true, reply };
      case 'not-leader':
        return { done: false, next: reply.leaderHint !== null && reply.leaderHint !== target ? reply.leaderHint : this.pickNode(target),
          error: `S${target} is not the leader`, backoff: reply.leaderHint === null };
      case 'retry':
        return { done: false, next: target, error: reply.error ?? `S${target} asked to retry`, backoff: true };
      case 'error':
        return { done: false, next: this.pickNode(target), error: reply.error ?? 'error', backoff: true };
    }
  }

  /** The node that answered last, unless the lab knows it is down now (a crashed leader would eat an attempt). */
  private liveOrNull(node: NodeId | null): NodeId | null {
    return node !== null && this.context.liveNodes().includes(node) ? node : null;
  }

  /** Another live node than `avoid`, round-robin. */
  private pickNode(avoid: NodeId | null): NodeId | null {
    const nodes = this.context.liveNodes();
    if (nodes.length === 0) return null;
    const candidates = nodes.length > 1 ? nodes.filter((node) => node !== avoid) : nodes;
    return candidates[this.attempt % candidates.length] ?? null;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
