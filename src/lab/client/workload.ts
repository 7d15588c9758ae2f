// A client workload: C concurrent clients (one session each, one request at a time), a global start rate, K keys
// and an operation mix. Every operation is recorded in a history for the linearizability checker.
import type { ClientResult, KvOpName, WorkloadSpec } from '../../protocol/lab-api';
import { HistoryRecorder } from '../../check/history';
import { monotonicNowNs } from '../../shared/monotonic-clock';
import { KvClient, type KvClientContext } from './kv-client';
import { WorkloadOps } from './workload-ops';

export const MAX_HISTORY_OPS = 100_000;

export interface CompletedOp {
  readonly client: number;
  readonly op: KvOpName;
  readonly key: string;
  readonly callNs: number;
  readonly result: ClientResult;
}

export class Workload {
  readonly history = new HistoryRecorder({ maxOps: MAX_HISTORY_OPS });
  private running = false;
  private loops: Promise<void>[] = [];
  private opCounter = 0;
  /** Acknowledged writes as (clientId, seq), to check afterwards that none was lost. */
  readonly acknowledgedWrites: { clientId: string; key: string; index: number | null }[] = [];
  private readonly clients: KvClient[];
  private readonly ops: WorkloadOps;

  /**
   * `keyPrefix` names the run's keys (`${keyPrefix}0`..): the checker takes every key of a history to start absent, so
   * a run on a cluster that already holds data needs keys nothing wrote before (see ClientGateway.startWorkload).
   */
  constructor(readonly spec: WorkloadSpec, context: KvClientContext, private readonly onCompleted: (op: CompletedOp) => void,
    private readonly random: () => number = Math.random, keyPrefix = 'k') {
    this.ops = new WorkloadOps(spec, random, keyPrefix);
    this.clients = Array.from({ length: spec.clients }, (_, i) => new KvClient(context, `w${i}-${Math.floor(random() * 1e9).toString(36)}`));
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const intervalMs = (1000 * this.spec.clients) / this.spec.ratePerSecond;
    this.loops = this.clients.map((client, index) => this.loop(client, index, intervalMs));
  }

  /** Stops issuing operations and waits for the ones in flight (each ends: answered or timed out). */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(client: KvClient, clientIndex: number, intervalMs: number): Promise<void> {
    // Stagger the clients so their starts spread over the interval.
    await sleep(intervalMs * (clientIndex / this.spec.clients));
    let nextStartMs = performance.now();
    while (this.running && !this.history.isFull) {
      await this.runOne(client, clientIndex);
      nextStartMs += intervalMs;
      const waitMs = nextStartMs - performance.now();
      if (waitMs > 0) await sleep(waitMs);
      else nextStartMs = performance.now(); // fell behind: do not burst to catch up
    }
  }

  private async runOne(client: KvClient, clientIndex: number): Promise<void> {
    this.opCounter += 1;
    const request = this.ops.next(clientIndex, `${clientIndex}.${this.opCounter}`);
    const { op, key } = request;
    const callNs = Math.round(monotonicNowNs());
    const handle = this.history.invoke(clientIndex, request, callNs);
    // A client gives up after the spec's timeout: the operation is then `unknown` (it may or may not have taken effect,
    // as in Jepsen's histories), never retried forever.
    const result = await client.request({ ...request, ...(this.spec.requestTimeoutMs === undefined ? {} : { timeoutMs: this.spec.requestTimeoutMs }) });
    const retNs = Math.max(callNs, Math.round(monotonicNowNs()));
    if (result.status === 'ok') {
      this.history.complete(handle, op === 'get' ? { status: 'ok', value: result.value } : { status: 'ok' }, retNs);
      if (op !== 'get') this.acknowledgedWrites.push({ clientId: client.clientId, key, index: result.index });
    } else if (result.status === 'fail') {
      this.history.complete(handle, { status: 'fail' }, retNs);
    }
    // unknown: left uncompleted, recorded as unknown.
    this.ops.learn(clientIndex, request, result);
    this.onCompleted({ client: clientIndex, op, key, callNs, result });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
