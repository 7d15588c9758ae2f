// Maelstrom's lin-kv workload against a student's nodes: C clients ("c1".."cC"), each one request at a time to a
// random running node: read {key} -> read_ok {value}, write {key, value} -> write_ok, cas {key, from, to} -> cas_ok.
// Keys and values are integers, as Maelstrom sends them; the history records them as decimal strings in our history
// format (src/check/history.ts), so `raft-lab check` and the linearizability checker work unchanged. Outcomes:
// - read_ok: ok with its value; error 20 (key does not exist) on a read: ok, absent;
// - write_ok / cas_ok: ok; a cas refused with 20 or 22 (the key did not hold `from`): fail; any other definite error
//   (see isDefiniteError): it did not happen, and a write is recorded failed while a cas is left out, since a failed
//   cas in our history format is an observation of the key;
// - a timeout, error 11 or 13 or any indefinite error: unknown (the operation may or may not have happened);
// - a request that never left (its node is down): as a definite error.
// A reply that is not an answer to the request (another type, a non-integer value) is a protocol problem of the
// node: reported, and the operation counted unknown.
import { HistoryRecorder, type HistoryRequest, type HistoryResponse } from '../../check/history';
import type { UnsequencedLabEvent } from '../../protocol/events';
import { isDefiniteError, MAELSTROM_ERRORS, nodeNameOf, type MaelstromMessage } from '../../protocol/maelstrom';
import type { NodeId } from '../../raft/types';
import { monotonicNowNs } from '../../shared/monotonic-clock';
import type { MaelstromConnections, RequestOutcome } from './maelstrom-connections';

export const MAX_LIN_KV_OPS = 100_000;
const REQUEST_TIMEOUT_MS = 1000;
const THINK_MIN_MS = 10;
const THINK_SPREAD_MS = 40;
const NO_NODE_WAIT_MS = 50;
const FINAL_READ_RETRY_MS = 200;

export const LIN_KV_OPS = ['read', 'write', 'cas'] as const;
export type LinKvOp = typeof LIN_KV_OPS[number];

export interface LinKvSpec {
  readonly clients: number;
  readonly keys: number;
  /**
   * Operations started per second across all clients (the app's workload panel); absent: each client thinks
   * 10-50 ms between operations (raft-lab maelstrom).
   */
  readonly ratePerSecond?: number;
  /** Share of each operation (normalised); absent: a third each. */
  readonly mix?: Readonly<Partial<Record<LinKvOp, number>>>;
  /** How long a client waits for a reply before it records the operation unknown; absent: 1 s. */
  readonly requestTimeoutMs?: number;
  /**
   * The keys are firstKey..firstKey+K-1 (absent: 0..K-1). The checker takes every key to start absent, so a workload
   * on a cluster that already holds data (the app's) needs keys nothing wrote before.
   */
  readonly firstKey?: number;
}

export interface LinKvContext {
  readonly connections: MaelstromConnections;
  /** The nodes a client may pick now (running ones). */
  runningNodes(): readonly NodeId[];
  readonly random: () => number;
  /**
   * The node client `client` (1..C) asks, when the caller knows better than chance (the node the lab last heard
   * lead); null: a random running node. A client asks it once and records what it answers: after an indefinite error
   * (11) the operation may still take effect, so it is never retried elsewhere.
   */
  preferredNode?(client: number): NodeId | null;
  publish(event: UnsequencedLabEvent): void;
  /** A node answered something that is not an answer: a protocol problem. */
  onProtocolProblem(text: string): void;
}

/** Why an operation ended unknown: no reply in time, error 11, another indefinite error, or a reply that is no answer. */
export type UnknownCause = 'timeout' | 'temporarilyUnavailable' | 'otherIndefiniteError' | 'notAnAnswer';
export type UnknownCauseCounts = Record<UnknownCause, number>;

/** A failed operation `sawValue` when the node said the key did not hold what a cas expected (errors 20 and 22). */
type Outcome = { status: 'ok'; value?: string | null } | { status: 'fail'; sawValue: boolean } | { status: 'unknown'; cause: UnknownCause };

export class LinKvWorkload {
  readonly history = new HistoryRecorder({ maxOps: MAX_LIN_KV_OPS });
  private running = false;
  private loops: Promise<void>[] = [];
  private nextValue = 1;
  /** The last value seen for each key: a cas from it has a chance to succeed. */
  private readonly lastSeen = new Map<number, number>();
  /** The history's unknown operations by cause, so a run can say what its `unknown` count is made of. */
  readonly unknownCauses: UnknownCauseCounts = { timeout: 0, temporarilyUnavailable: 0, otherIndefiniteError: 0, notAnAnswer: 0 };

  private readonly mix: readonly [LinKvOp, number][];
  private readonly mixTotal: number;

  constructor(readonly spec: LinKvSpec, private readonly c: LinKvContext) {
    const shares = spec.mix ?? { read: 1, write: 1, cas: 1 };
    this.mix = LIN_KV_OPS.map((op): [LinKvOp, number] => [op, Math.max(0, shares[op] ?? 0)]).filter(([, share]) => share > 0);
    this.mixTotal = this.mix.reduce((sum, [, share]) => sum + share, 0);
    if (this.mixTotal <= 0) throw new Error('the lin-kv workload needs a share of read, write or cas');
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = Array.from({ length: this.spec.clients }, (_, i) => this.loop(i + 1));
  }

  /** Stops issuing operations and waits for those in flight (each ends: answered or timed out). */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /**
   * After the run (healed, every node back): reads every key until a node answers it definitely, as client
   * "c(C+1)", and records those reads too. The final value of each key (null: absent), undefined where no node
   * answered before the deadline.
   */
  async finalReads(deadlineMs: number): Promise<Map<number, string | null | undefined>> {
    const client = this.spec.clients + 1;
    const until = performance.now() + deadlineMs;
    const finals = new Map<number, string | null | undefined>();
    const firstKey = this.spec.firstKey ?? 0;
    for (let key = firstKey; key < firstKey + this.spec.keys; key += 1) {
      let attempt = 0;
      finals.set(key, undefined);
      while (performance.now() < until && !this.history.isFull) {
        const nodes = this.c.runningNodes();
        const node = nodes[(key + attempt) % Math.max(1, nodes.length)];
        attempt += 1;
        if (node === undefined) {
          await sleep(FINAL_READ_RETRY_MS);
          continue;
        }
        const outcome = await this.runOne(client, node, 'read', key);
        if (outcome.status === 'ok') {
          finals.set(key, outcome.value ?? null);
          break;
        }
        await sleep(FINAL_READ_RETRY_MS);
      }
    }
    return finals;
  }

  private async loop(client: number): Promise<void> {
    const rate = this.spec.ratePerSecond;
    const intervalMs = rate === undefined || rate <= 0 ? null : (1000 * this.spec.clients) / rate;
    // Paced clients are staggered so their starts spread over the interval.
    if (intervalMs !== null) await sleep(intervalMs * ((client - 1) / this.spec.clients));
    let nextStartMs = performance.now();
    while (this.running && !this.history.isFull) {
      const node = this.pickNode(client);
      if (node === undefined) {
        await sleep(NO_NODE_WAIT_MS);
        continue;
      }
      await this.runOne(client, node, this.pickOp(), (this.spec.firstKey ?? 0) + Math.floor(this.c.random() * this.spec.keys));
      if (intervalMs === null) {
        await sleep(THINK_MIN_MS + this.c.random() * THINK_SPREAD_MS);
        continue;
      }
      nextStartMs += intervalMs;
      const waitMs = nextStartMs - performance.now();
      if (waitMs > 0) await sleep(waitMs);
      else nextStartMs = performance.now(); // fell behind: do not burst to catch up
    }
  }

  private pickNode(client: number): NodeId | undefined {
    const nodes = this.c.runningNodes();
    const preferred = this.c.preferredNode?.(client) ?? null;
    if (preferred !== null && nodes.includes(preferred)) return preferred;
    return nodes[Math.floor(this.c.random() * nodes.length)];
  }

  private pickOp(): LinKvOp {
    let draw = this.c.random() * this.mixTotal;
    for (const [op, share] of this.mix) {
      draw -= share;
      if (draw < 0) return op;
    }
    return this.mix[this.mix.length - 1]?.[0] ?? 'read';
  }

  private async runOne(client: number, node: NodeId, op: LinKvOp, key: number): Promise<Outcome> {
    const src = `c${client}`;
    const msgId = this.c.connections.nextMsgId(src);
    let body: Record<string, unknown>;
    let request: HistoryRequest;
    if (op === 'read') {
      body = { type: 'read', msg_id: msgId, key };
      request = { op: 'get', key: String(key) };
    } else if (op === 'write') {
      const value = this.nextValue++;
      body = { type: 'write', msg_id: msgId, key, value };
      request = { op: 'put', key: String(key), value: String(value) };
    } else {
      const from = this.lastSeen.get(key) ?? Math.max(1, this.nextValue - 1 - Math.floor(this.c.random() * 3));
      const to = this.nextValue++;
      body = { type: 'cas', msg_id: msgId, key, from, to };
      request = { op: 'cas', key: String(key), from: String(from), to: String(to) };
    }
    const callNs = Math.round(monotonicNowNs());
    const message: MaelstromMessage = { src, dest: nodeNameOf(node), body: body as MaelstromMessage['body'] };
    const outcome = this.outcomeOf(op, node, await this.c.connections.request(node, message, this.spec.requestTimeoutMs ?? REQUEST_TIMEOUT_MS));
    const retNs = Math.max(callNs, Math.round(monotonicNowNs()));
    // Recorded once its fate is known, with the time it was sent. An operation that certainly did not happen and saw
    // nothing (a request that never left, a cas refused for another reason than its value) is left out: a failed
    // cas in the history says the key did not hold `from`, which only errors 20 and 22 tell.
    if (outcome.status === 'fail' && !outcome.sawValue && op === 'cas') {
      this.publishOp(client, request, outcome, node, callNs, retNs);
      return outcome;
    }
    const handle = this.history.invoke(client, request, callNs);
    if (outcome.status === 'unknown') this.unknownCauses[outcome.cause] += 1;
    else {
      const response: HistoryResponse = outcome.status === 'ok'
        ? (op === 'read' ? { status: 'ok', value: outcome.value ?? null } : { status: 'ok' }) : { status: 'fail' };
      this.history.complete(handle, response, retNs);
    }
    if (outcome.status === 'ok') this.remember(key, op, outcome.value, request);
    this.publishOp(client, request, outcome, node, callNs, retNs);
    return outcome;
  }

  private publishOp(client: number, request: HistoryRequest, outcome: Outcome, node: NodeId, callNs: number, retNs: number): void {
    this.c.publish({ type: 'client-op', atNs: retNs, client, op: request.op, key: request.key, status: outcome.status,
      value: outcome.status === 'ok' && request.op === 'get' ? outcome.value ?? null : null, servedBy: node,
      latencyMs: (retNs - callNs) / 1e6, callNs });
  }

  private remember(key: number, op: LinKvOp, value: string | null | undefined, request: HistoryRequest): void {
    if (op === 'read' && value !== null && value !== undefined) this.lastSeen.set(key, Number(value));
    if (request.op === 'put') this.lastSeen.set(key, Number(request.value));
    if (request.op === 'cas') this.lastSeen.set(key, Number(request.to));
  }

  private outcomeOf(op: LinKvOp, node: NodeId, outcome: RequestOutcome): Outcome {
    if (outcome.kind === 'refused') return { status: 'fail', sawValue: false };
    if (outcome.kind === 'timeout') return { status: 'unknown', cause: 'timeout' };
    const body = outcome.message.body;
    if (body.type === 'error') {
      const code = body['code'];
      if (typeof code !== 'number' || !Number.isInteger(code)) {
        this.c.onProtocolProblem(`n${node} answered a ${op} with an error without an integer code: ${JSON.stringify(body).slice(0, 300)}`);
        return { status: 'unknown', cause: 'notAnAnswer' };
      }
      if (op === 'read' && code === MAELSTROM_ERRORS.keyDoesNotExist) return { status: 'ok', value: null };
      const sawValue = code === MAELSTROM_ERRORS.keyDoesNotExist || code === MAELSTROM_ERRORS.preconditionFailed;
      if (isDefiniteError(code)) return { status: 'fail', sawValue };
      return { status: 'unknown', cause: code === MAELSTROM_ERRORS.temporarilyUnavailable ? 'temporarilyUnavailable' : 'otherIndefiniteError' };
    }
    if (body.type !== `${op}_ok`) {
      this.c.onProtocolProblem(`n${node} answered a ${op} with "${body.type}" (expected ${op}_ok or error)`);
      return { status: 'unknown', cause: 'notAnAnswer' };
    }
    if (op !== 'read') return { status: 'ok' };
    const value = body['value'];
    if (value === null) return { status: 'ok', value: null };
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      this.c.onProtocolProblem(`n${node} answered a read with a value that is not an integer: ${JSON.stringify(value)?.slice(0, 100)}`);
      return { status: 'unknown', cause: 'notAnAnswer' };
    }
    return { status: 'ok', value: String(value) };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
