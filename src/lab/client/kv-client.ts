// A KV client with a session (dissertation §6.3): each write carries (clientId, seq); a retry reuses the seq so
// the cluster applies it at most once. It follows leader hints, retries on timeouts, and when it cannot know
// whether a write happened it says so (`unknown`) rather than guessing.
import { randomBytes } from 'node:crypto';
import type { ClientRequest, ClientResult } from '../../protocol/lab-api';
import type { ClientReplyFrame } from '../../protocol/client';
import type { NodeId } from '../../raft/types';
import { monotonicNowMs } from '../../node/clock';
import type { NodeConnections } from './node-connections';

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

export class KvClient {
  readonly clientId: string;
  private seq = 0;
  private busy = false;
  private lastServer: NodeId | null = null;
  private attempt = 0;

  constructor(private readonly context: KvClientContext, clientId?: string) {
    this.clientId = clientId ?? `c-${randomBytes(6).toString('hex')}`;
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
    const seq = isWrite ? ++this.seq : 0;
    let target: NodeId | null = request.node ?? this.context.leaderGuess() ?? this.liveOrNull(this.lastServer);
    let lastError = 'no node answered';
    let sentOnce = false;
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
      const reply = await this.context.connections.request(target, {
        v: 1, requestId: `${this.clientId}-${seq}-${this.attempt}`, clientId: this.clientId, seq, op: request.op, key: request.key,
        ...(request.value !== undefined ? { value: request.value } : {}),
        ...(request.from !== undefined ? { from: request.from } : {}),
        ...(request.to !== undefined ? { to: request.to } : {}),
      }, Math.max(1, Math.min(ATTEMPT_TIMEOUT_MS * scale, remainingMs)));
      const outcome = this.interpret(reply, target, request, startedMs);
      if (outcome.done) return outcome.result;
      lastError = outcome.error;
      target = outcome.next;
      if (outcome.backoff) await sleep(BACKOFF_MS * scale);
    }
    const latencyMs = monotonicNowMs() - startedMs;
    // A write that may have reached a leader may have been applied: unknown. A read that never answered is
    // unknown too (it had no effect either way).
    return { status: 'unknown', value: null, servedBy: null, latencyMs, index: null,
      error: `timed out after ${Math.round(latencyMs)} ms${sentOnce ? '' : ' without reaching any node'}: ${lastError}` };
  }

  private interpret(reply: ClientReplyFrame | null, target: NodeId, request: ClientRequest, startedMs: number):
    { done: true; result: ClientResult } | { done: false; next: NodeId | null; error: string; backoff: boolean } {
    if (reply === null) return { done: false, next: this.pickNode(target), error: `S${target} did not answer in time`, backoff: false };
    const latencyMs = monotonicNowMs() - startedMs;
    switch (reply.status) {
      case 'ok':
        this.lastServer = reply.node;
        return { done: true, result: { status: 'ok', value: request.op === 'get' ? reply.value : request.op === 'put' ? request.value ?? null : request.op === 'cas' ? request.to ?? null : null,
          servedBy: reply.node, latencyMs, index: reply.index, error: null } };
      case 'fail':
        this.lastServer = reply.node;
        return { done: true, result: { status: 'fail', value: reply.value, servedBy: reply.node, latencyMs, index: reply.index,
          error: reply.error === 'cas-mismatch' ? `cas failed: the value is ${reply.value === null ? 'absent' : `"${reply.value}"`}, not "${request.from ?? ''}"` : reply.error } };
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
