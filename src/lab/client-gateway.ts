// Where the lab's own clients meet the cluster: the UI's client box (one KV client of its own) and the workload
// (many). Every completed operation becomes a client-op event, checked on the way by the safety monitor for stale
// reads.
import { randomBytes } from 'node:crypto';
import type { ClientRequest, ClientResult, WorkloadReport, WorkloadSpec } from '../protocol/lab-api';
import type { NodeId } from '../raft/types';
import { monotonicNowNs } from '../shared/monotonic-clock';
import type { EventHub } from './event-hub';
import type { NodeConnections } from './client/node-connections';
import { KvClient, type KvClientContext } from './client/kv-client';
import { Workload } from './client/workload';
import { workloadReport, type WorkloadSource } from './client/workload-report';
import type { SafetyMonitor } from './safety/safety-monitor';
import { MaelstromConnections } from './maelstrom/maelstrom-connections';
import { MaelstromUiClient } from './maelstrom/maelstrom-ui-client';
import { LinKvPanelWorkload } from './maelstrom/lin-kv-panel-workload';
import { PROTOCOL_ERROR_MARK } from '../protocol/maelstrom';
import type { LinKvContext } from './maelstrom/lin-kv-workload';

export interface ClientGatewayOptions {
  readonly connections: NodeConnections;
  readonly events: EventHub;
  readonly safety: SafetyMonitor;
  /** Nodes running with a client endpoint, in any order. */
  readonly liveNodes: () => NodeId[];
  readonly leaderGuess: () => NodeId | null;
  /** The running leader of the highest term (top-term-leader.ts): where the lin-kv workload sends its requests. */
  readonly topTermLeader: () => NodeId | null;
  readonly timeScale: () => number;
  /** The nodes are a student's own (Maelstrom's protocol): the UI's client speaks lin-kv to them. */
  readonly ownNodes: () => boolean;
  readonly endpointOf: (id: NodeId) => string | null;
}

export class ClientGateway {
  private readonly uiClient: KvClient;
  /** The lab's own KV workload, when the panel's runs on the built-in Raft (chaos reads more than its report). */
  private workload: Workload | null = null;
  /** Workload runs started by this gateway: each run's keys are its own (w1-k0.., w2-k0..). */
  private workloadRuns = 0;
  /** What the workload panel started last: that workload, or the lin-kv one against a student's own nodes. */
  private panelWorkload: (WorkloadSource & { stop(): Promise<void> }) | null = null;
  private readonly maelstromConnections = new MaelstromConnections();
  private readonly maelstromClient: MaelstromUiClient;

  constructor(private readonly o: ClientGatewayOptions) {
    this.uiClient = new KvClient(this.clientContext(), `ui-${randomBytes(4).toString('hex')}`);
    this.maelstromClient = new MaelstromUiClient({ connections: this.maelstromConnections, liveNodes: o.liveNodes,
      endpointOf: o.endpointOf, leaderGuess: o.leaderGuess });
  }

  close(): void {
    this.maelstromConnections.close();
  }

  /** A new cluster's log holds no session yet (dissertation §6.3): the UI's client registers again. */
  forgetSessions(): void {
    this.uiClient.forgetSession();
  }

  async request(request: ClientRequest): Promise<ClientResult> {
    const callNs = monotonicNowNs();
    const result = this.o.ownNodes() ? await this.maelstromClient.request(request) : await this.uiClient.request(request);
    const atNs = monotonicNowNs();
    const stale = this.o.safety.clientOpCompleted(request.op, request.key, callNs, result, atNs);
    this.o.events.publish({ type: 'client-op', atNs, client: 0, op: request.op, key: request.key,
      status: result.status, value: result.value, servedBy: result.servedBy, latencyMs: result.latencyMs, callNs,
      ...(stale ? { stale: true } : {}) });
    return stale ? { ...result, stale: true } : result;
  }

  startWorkload(spec: WorkloadSpec): void {
    if (this.panelWorkload?.isRunning) throw new Error('a workload is already running; stop it first');
    if (this.o.ownNodes()) {
      const linKv = new LinKvPanelWorkload(spec, this.o.timeScale(), this.linKvContext());
      this.workload = null;
      this.panelWorkload = linKv;
      linKv.start();
      return;
    }
    // Keys nothing wrote before: the checker takes each key to start absent, and an earlier run, the client box or an
    // exercise may have written k0.. (a second run on the same keys was reported not linearizable on a correct cluster).
    this.workloadRuns += 1;
    const workload = new Workload(spec, this.clientContext(), (op) => {
      const atNs = monotonicNowNs();
      this.o.events.publish({ type: 'client-op', atNs, client: op.client + 1, op: op.op, key: op.key,
        status: op.result.status, value: op.result.value, servedBy: op.result.servedBy, latencyMs: op.result.latencyMs,
        callNs: op.callNs, ...(this.o.safety.clientOpCompleted(op.op, op.key, op.callNs, op.result, atNs) ? { stale: true as const } : {}) });
    }, Math.random, `w${this.workloadRuns}-k`);
    this.workload = workload;
    this.panelWorkload = workload;
    workload.start();
  }

  async stopWorkload(): Promise<WorkloadReport> {
    if (!this.panelWorkload) return workloadReport(null, false);
    await this.panelWorkload.stop();
    const report = workloadReport(this.panelWorkload, true);
    const linearizable = report.verdict === null || report.verdict.timedOut ? null : report.verdict.linearizable;
    this.o.events.publish({ type: 'workload', atNs: monotonicNowNs(), ops: report.ops, ok: report.ok, fail: report.fail,
      unknown: report.unknown, linearizable });
    return report;
  }

  /** Stops a running workload without reporting it (the cluster is going away). */
  async haltWorkload(): Promise<void> {
    await this.panelWorkload?.stop();
  }

  workloadReport(): WorkloadReport {
    return workloadReport(this.panelWorkload, false);
  }

  get currentWorkload(): Workload | null {
    return this.workload;
  }

  /**
   * The lin-kv clients' view of a student's nodes: the running ones (each client connection pointed at the node's
   * current endpoint: a restarted node listens on a new port), the node the lab last heard lead first.
   */
  private linKvContext(): LinKvContext {
    return {
      connections: this.maelstromConnections,
      runningNodes: () => this.o.liveNodes().filter((id) => {
        const endpoint = this.o.endpointOf(id);
        this.maelstromConnections.setEndpoint(id, endpoint);
        return endpoint !== null;
      }),
      preferredNode: () => this.o.topTermLeader(),
      random: Math.random,
      publish: (event) => this.o.events.publish(event),
      onProtocolProblem: (text) => this.o.events.publish({ type: 'error', atNs: monotonicNowNs(), node: null,
        message: `${PROTOCOL_ERROR_MARK} ${text}` }),
    };
  }

  clientContext(): KvClientContext {
    return {
      connections: this.o.connections,
      liveNodes: this.o.liveNodes,
      leaderGuess: this.o.leaderGuess,
      timeScale: this.o.timeScale,
    };
  }
}
