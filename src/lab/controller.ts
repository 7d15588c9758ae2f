// The lab controller: starts node processes, listens to them on its control socket, breaks them on request, runs
// clients against them, and turns what they report into the one event stream and the cluster view that the UI,
// the recorder and the checkers share.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as zmq from 'zeromq';
import { CONTROL_PROTOCOL_VERSION, decodeNodeToLab, encodeControlFrame, type EventDetail, type LabToNodeFrame, type NodeToLabFrame } from '../protocol/control';
import {
  DEFAULT_SETTINGS, type ClientRequest, type ClientResult, type ClusterPhase, type ClusterSettings, type LabApi,
  type LabSnapshot, type NodeDetail, type NodeStatus, type NodeView, type PartitionGroups, type WorkloadReport,
  type WorkloadSpec, type LogEntryView,
} from '../protocol/lab-api';
import type { LabEvent, UnsequencedLabEvent } from '../protocol/events';
import type { LinkFaults } from '../protocol/link-faults';
import type { NodeId } from '../raft/types';
import { monotonicNowNs } from '../shared/monotonic-clock';
import { EventHub } from './event-hub';
import { FaultState } from './fault-state';
import { defaultNodeLauncher, type NodeLauncher } from './node-launcher';
import { NodeMirror } from './node-mirror';
import { CommittedLog } from './committed-log';
import { NodeProcess } from './node-process';
import { validateNodeEvent } from './node-event-intake';
import { recoveryNote } from './recovery-note';
import { NodeConnections } from './client/node-connections';
import { KvClient, type KvClientContext } from './client/kv-client';
import { Workload } from './client/workload';
import { workloadReport } from './client/workload-report';
import { LabTimeKeeper } from './lab-time-keeper';
import { ClusterStepper, type NextAction } from './cluster-stepper';
import { describeStep, formatLabMs, MessageNotes } from './step-notes';
import { SafetyMonitor } from './safety/safety-monitor';
import type { HeldMessageAction, NetworkDelayMs, StepResult } from '../protocol/lab-clock';
import { summarizeDemo, summarizeExercise, type Demo, type DemoSummary, type Exercise, type ExerciseSummary } from '../protocol/exercise/schema';
import { loadCatalog, loadDemos } from '../exercise/catalog';
import { MAX_HEADLESS_NODES } from '../protocol/lab-api';
import type { ExperimentSpec, ExperimentState } from '../protocol/experiments';
import { ExperimentRunner } from './experiments/experiment-runner';

const STOP_GRACE_MS = 2000;
const START_DEADLINE_MS = 20_000;
/** How long setPartition/setLinkFaults/healAll wait for the nodes to say they applied the new tables. */
const FAULTS_APPLIED_DEADLINE_MS = 2000;
const MAX_REJECTION_REPORTS_PER_SECOND = 5;

export interface LabControllerOptions {
  readonly launcher?: NodeLauncher;
  /** Where node data directories live; a fresh temporary directory by default (removed at close). */
  readonly dataRoot?: string;
  /** Largest cluster allowed: 9 for the UI, up to 25 headless. */
  readonly maxNodes?: number;
  /** Window of events kept in memory. */
  readonly windowEvents?: number;
  /** What the nodes report (see EVENT_DETAILS); full, for the UI, by default. */
  readonly eventDetail?: EventDetail;
  /** Where the built-in exercises are (assets/exercises); found beside the code when absent. */
  readonly exercisesDir?: string;
  /** Settings a cluster starts with until someone changes them: DEFAULT_SETTINGS (headless) unless given. */
  readonly initialSettings?: ClusterSettings;
}

interface NodeSlot {
  view: NodeView;
  process: NodeProcess | null;
  clientEndpoint: string | null;
  configured: boolean;
  readonly mirror: NodeMirror;
  /** Why the process last failed, from its own last words on stderr. */
  lastFailure: string | null;
  /** Version of the last fault table this process said it applied (see pushFaults). */
  appliedFaultsVersion: number;
}

export class LabController implements LabApi {
  readonly events: EventHub;
  /** Runs Raft's invariant checks over the merged stream and publishes what breaks (src/lab/safety). */
  private readonly safety: SafetyMonitor;
  private readonly secret = randomBytes(24).toString('hex');
  private readonly nodes = new Map<NodeId, NodeSlot>();
  /** The cluster's committed log, gathered from the mirrors (see committed-log.ts); one per cluster run. */
  private committed = new CommittedLog();
  /** Numbers the fault tables sent to the nodes; each node echoes the last one it applied. */
  private faultsVersion = 0;
  private readonly faults = new FaultState();
  private readonly connections = new NodeConnections();
  private readonly uiClient: KvClient;
  private workload: Workload | null = null;
  private phase: ClusterPhase = 'stopped';
  private settings: ClusterSettings = DEFAULT_SETTINGS;
  private readonly ownsDataRoot: boolean;
  readonly dataRoot: string;
  private closed = false;
  private readonly waiters = new Set<() => void>();
  private rejectionReports = { windowStartMs: 0, count: 0 };
  private knownLeader: NodeId | null = null;
  private readonly clock: LabTimeKeeper;
  private readonly stepper: ClusterStepper;
  /** What each recent message was, so that a step can say what it delivered. */
  private readonly messageNotes = new MessageNotes();
  /** Steps, timeouts and held-message actions run one at a time, in the order asked. */
  private stepChain: Promise<unknown> = Promise.resolve();
  /** Experiments (Figure 16, the client sweep) run on a lab of their own: see experiments/experiment-runner.ts. */
  private readonly experiments = new ExperimentRunner(() => LabController.create({ launcher: this.launcher,
    maxNodes: MAX_HEADLESS_NODES, windowEvents: 1000, eventDetail: 'quiet' }));

  private constructor(
    private readonly control: zmq.Router,
    readonly controlEndpoint: string,
    private readonly launcher: NodeLauncher,
    readonly maxNodes: number,
    dataRoot: string | undefined,
    windowEvents: number | undefined,
    private readonly eventDetail: EventDetail,
    initialSettings: ClusterSettings,
    private readonly exercisesDir: string | undefined,
  ) {
    this.events = new EventHub(windowEvents);
    this.safety = new SafetyMonitor({ eventDetail, publish: (event) => this.events.publish(event) });
    this.events.subscribe((events) => this.safety.observe(events));
    this.settings = initialSettings;
    this.clock = new LabTimeKeeper(initialSettings.timeScale);
    this.stepper = new ClusterStepper({
      send: (node, frame) => this.sendToNode(node, frame),
      answeringNodes: () => [...this.nodes.values()].filter((slot) => this.isAnswering(slot)).map((slot) => slot.view.id),
      isAnswering: (node) => { const slot = this.nodes.get(node); return slot !== undefined && this.isAnswering(slot); },
      waitUntil: (condition, deadlineMs, what) => this.waitUntil(condition, deadlineMs, what),
    });
    this.ownsDataRoot = dataRoot === undefined;
    this.dataRoot = dataRoot ?? mkdtempSync(join(tmpdir(), 'raft-lab-'));
    mkdirSync(this.dataRoot, { recursive: true });
    this.uiClient = new KvClient(this.clientContext(), `ui-${randomBytes(4).toString('hex')}`);
    void this.receiveLoop();
  }

  static async create(options: LabControllerOptions = {}): Promise<LabController> {
    const control = new zmq.Router({ linger: 0, maxMessageSize: 2 * 1024 * 1024, receiveHighWaterMark: 100_000 });
    await control.bind('tcp://127.0.0.1:*');
    const endpoint = control.lastEndpoint;
    if (!endpoint) throw new Error('raft-lab: control socket did not report its endpoint');
    return new LabController(control, endpoint, options.launcher ?? defaultNodeLauncher(), options.maxNodes ?? 9,
      options.dataRoot, options.windowEvents, options.eventDetail ?? 'full', options.initialSettings ?? DEFAULT_SETTINGS,
      options.exercisesDir);
  }

  // ---- cluster lifecycle -------------------------------------------------------------------------------------

  async getSnapshot(): Promise<LabSnapshot> {
    return this.snapshot();
  }

  async startCluster(patch: Partial<ClusterSettings>): Promise<LabSnapshot> {
    this.assertOpen();
    if (this.phase !== 'stopped') await this.stopCluster();
    const settings: ClusterSettings = { ...this.settings, ...patch };
    if (!Number.isInteger(settings.nodeCount) || settings.nodeCount < 1 || settings.nodeCount > this.maxNodes) {
      throw new Error(`node count must be between 1 and ${this.maxNodes}, got ${settings.nodeCount}`);
    }
    if (settings.electionTimeoutMs[0] > settings.electionTimeoutMs[1]) throw new Error('election timeout: min must not exceed max');
    this.settings = settings;
    this.faults.healAll();
    this.knownLeader = null;
    this.messageNotes.clear();
    this.clock.restart(settings.timeScale, settings.startPaused ?? false);
    this.setPhase('starting');
    this.publishClock();
    rmSync(this.dataRoot, { recursive: true, force: true });
    mkdirSync(this.dataRoot, { recursive: true });
    this.uiClient.forgetSession(); // a new cluster's log holds no session yet (dissertation §6.3)
    for (let id = 1; id <= settings.nodeCount; id += 1) this.spawnNode(id);
    try {
      await this.waitUntil(() => this.allConfigured(), START_DEADLINE_MS, 'all nodes to start and report in');
    } catch (error) {
      await this.stopCluster();
      throw error;
    }
    this.setPhase('running');
    return this.snapshot();
  }

  async stopCluster(): Promise<LabSnapshot> {
    if (this.phase === 'stopped') return this.snapshot();
    this.setPhase('stopping');
    await this.workload?.stop();
    await Promise.all([...this.nodes.values()].map(async (slot) => {
      if (slot.process) {
        this.sendToNode(slot.view.id, { type: 'shutdown' });
        await slot.process.stop(STOP_GRACE_MS);
      }
    }));
    this.nodes.clear();
    this.committed = new CommittedLog();
    this.setPhase('stopped');
    return this.snapshot();
  }

  subscribe(listener: (events: readonly LabEvent[]) => void): () => void {
    return this.events.subscribe(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.experiments.close();
    await this.stopCluster();
    this.closed = true;
    this.events.close();
    this.connections.close();
    this.control.close();
    if (this.ownsDataRoot) rmSync(this.dataRoot, { recursive: true, force: true });
  }

  /** Last resort from a process 'exit' handler: synchronous, kills whatever still runs. */
  killAllNow(): void {
    this.experiments.killAllNow();
    for (const slot of this.nodes.values()) {
      slot.process?.signal('SIGCONT');
      slot.process?.signal('SIGKILL');
    }
  }

  // ---- faults ------------------------------------------------------------------------------------------------

  async crashNode(id: NodeId): Promise<void> {
    const slot = this.requireNode(id);
    if (!slot.process || slot.process.isExited) throw new Error(`S${id} is not running`);
    this.publishFault('crash', [id], `S${id} crashed (SIGKILL): it loses everything not on its disk`);
    slot.process.signal('SIGKILL');
    await this.waitUntil(() => slot.process?.isExited ?? true, 5000, `S${id} to die`);
  }

  async restartNode(id: NodeId): Promise<void> {
    const slot = this.requireNode(id);
    if (slot.process && !slot.process.isExited) throw new Error(`S${id} is still running; crash or stop it first`);
    this.publishFault('restart', [id], `S${id} restarted from its data directory`);
    this.spawnNode(id);
    const restarted = this.requireNode(id);
    await this.waitUntil(() => restarted.configured || (restarted.process?.isExited ?? true), START_DEADLINE_MS, `S${id} to restart`);
    if (!restarted.configured) {
      throw new Error(`S${id} could not restart: ${restarted.lastFailure ?? 'its process exited during start-up'}`);
    }
  }

  async pauseNode(id: NodeId): Promise<void> {
    const slot = this.requireRunning(id);
    if (slot.view.status === 'paused') return;
    slot.process?.signal('SIGSTOP');
    this.publishFault('pause', [id], `S${id} paused (SIGSTOP): frozen with all its state, timers stopped`);
    this.updateNode(id, {}, 'paused', 'SIGSTOP');
  }

  async resumeNode(id: NodeId): Promise<void> {
    const slot = this.requireNode(id);
    if (slot.view.status !== 'paused') return;
    slot.process?.signal('SIGCONT');
    this.publishFault('resume', [id], `S${id} resumed (SIGCONT): it carries on as if no time had passed`);
    this.updateNode(id, {}, 'running', 'SIGCONT');
  }

  async wipeNode(id: NodeId): Promise<void> {
    const slot = this.requireNode(id);
    if (slot.process && !slot.process.isExited) {
      slot.process.signal('SIGKILL');
      await this.waitUntil(() => slot.process?.isExited ?? true, 5000, `S${id} to die`);
    }
    rmSync(join(this.dataRoot, `node-${id}`), { recursive: true, force: true });
    this.publishFault('wipe', [id], `S${id}'s disk was wiped: it forgot its term, vote and log`);
  }

  async setPartition(groups: PartitionGroups): Promise<void> {
    this.assertRunning();
    this.faults.setPartition(groups, this.memberIds());
    const shown = groups.map((group) => `{${group.map((node) => `S${node}`).join(', ')}}`).join(' | ');
    this.publishFault('partition', groups.flat(), `partition: ${shown} (unlisted nodes form one more group)`);
    await this.pushFaults();
  }

  async setLinkFaults(from: NodeId, to: NodeId, patch: Partial<LinkFaults>): Promise<void> {
    this.assertRunning();
    this.requireNode(from);
    this.requireNode(to);
    this.faults.setLink(from, to, patch);
    const shown = Object.entries(patch).map(([name, value]) => `${name}=${String(value)}`).join(', ');
    this.publishFault('link', [from, to], `link S${from}→S${to}: ${shown}`);
    await this.pushFaults();
  }

  async healAll(): Promise<void> {
    this.faults.healAll();
    this.publishFault('heal', this.memberIds(), 'healed: every link works again');
    await this.pushFaults();
  }

  async setTimeScale(timeScale: number): Promise<void> {
    if (!(timeScale >= 1 && timeScale <= 100)) throw new Error(`time scale must be 1..100, got ${timeScale}`);
    this.settings = { ...this.settings, timeScale };
    this.clock.setTimeScale(timeScale);
    this.broadcastClock();
    this.events.publish({ type: 'fault', atNs: monotonicNowNs(), action: 'time-scale', nodes: [], timeScale,
      description: `time runs ${timeScale}x slower` });
    this.publishClock();
  }

  async setNetworkDelay(delayMs: NetworkDelayMs): Promise<void> {
    const [min, max] = delayMs;
    if (!(min >= 0 && min <= max)) throw new Error(`network delay: need 0 <= min <= max, got [${min}, ${max}]`);
    this.settings = { ...this.settings, networkDelayMs: [min, max] };
    this.broadcastClock();
    this.publishClock();
  }

  // ---- the lab clock: freeze, step, run ------------------------------------------------------------------------

  async freezeCluster(): Promise<void> {
    this.assertRunning();
    if (this.clock.frozen) return;
    this.clock.freeze();
    this.broadcastClock();
    // Each node answers once what it had started has played out (writes synced, messages sent, events flushed):
    // after this, nothing changes until someone steps, resumes, or sends a request. A node too slow to answer in time
    // (a loaded machine) is frozen all the same: its clock stopped when the segment arrived; only the wait is cut short.
    await this.stepper.query().catch(() => undefined);
    this.publishClock();
  }

  async resumeCluster(): Promise<void> {
    this.assertRunning();
    if (!this.clock.frozen) return;
    this.clock.run();
    this.broadcastClock();
    this.publishClock();
  }

  stepCluster(): Promise<StepResult> {
    return this.serialized(async () => {
      this.assertRunning();
      if (!this.clock.frozen) throw new Error('Step works on a paused cluster: pause it first');
      const next = ClusterStepper.pickNext(await this.stepper.query(), this.clock.nowMs());
      if (next === null) {
        const labMs = this.clock.nowMs();
        return { kind: 'none', node: null, messageId: null, labMs, description: 'nothing is pending: no timer runs and no message is waiting' };
      }
      this.clock.advanceTo(next.atMs);
      this.broadcastClock();
      const done = await this.stepper.runStep(next.node, next.kind, next.messageId ?? undefined);
      if (done.error !== null) throw new Error(done.error);
      return this.reportStep(next);
    });
  }

  timeoutNode(id: NodeId): Promise<void> {
    return this.serialized(async () => {
      const slot = this.requireRunning(id);
      if (slot.view.status === 'paused') throw new Error(`S${id} is paused (SIGSTOP): resume it first`);
      const done = await this.stepper.runStep(id, 'timeout');
      if (done.error !== null) throw new Error(done.error);
      this.publishClock({ kind: 'timer', node: id, messageId: null,
        description: `S${id} was told to time out now: its election timer fired at ${formatLabMs(this.clock.nowMs())}` });
    });
  }

  heldMessage(to: NodeId, messageId: string, action: HeldMessageAction): Promise<void> {
    return this.serialized(async () => {
      this.requireRunning(to);
      const done = await this.stepper.runStep(to, action, messageId);
      if (done.error !== null) throw new Error(done.error);
      if (done.copyId !== undefined) this.publishCopy(messageId, done.copyId);
      if (action === 'deliver') {
        this.publishClock({ kind: 'deliver', node: to, messageId,
          description: `delivered by hand: ${this.messageNotes.describe(messageId, to)}` });
      }
    });
  }

  /**
   * The copy made by hand travels like its original: the lab, which plays the network here, reports its send, so the
   * copy is drawn and can be delivered or dropped on its own.
   */
  private publishCopy(originalId: string, copyId: string): void {
    const note = this.messageNotes.get(originalId);
    if (!note) return;
    this.messageNotes.remember(copyId, note);
    this.events.publish({ type: 'message', atNs: monotonicNowNs(), node: note.message.from, direction: 'send', id: copyId,
      message: note.message, dropReason: null,
      ...(note.sentAtLabMs === undefined ? {} : { sentAtLabMs: note.sentAtLabMs }),
      ...(note.deliverAtLabMs === undefined ? {} : { deliverAtLabMs: note.deliverAtLabMs }) });
  }

  private reportStep(next: NextAction): StepResult {
    const labMs = this.clock.nowMs();
    const role = this.nodes.get(next.node)?.view.role ?? 'follower';
    const description = describeStep(next, role, labMs, this.messageNotes);
    this.publishClock({ kind: next.kind, node: next.node, messageId: next.messageId, description });
    return { kind: next.kind, node: next.node, messageId: next.messageId, labMs, description };
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.stepChain.then(work, work);
    this.stepChain = run.catch(() => undefined);
    return run;
  }

  private broadcastClock(): void {
    for (const id of this.memberIds()) {
      this.sendToNode(id, { type: 'clock', clock: this.clock.current, networkDelayMs: [...this.settings.networkDelayMs] });
    }
  }

  private publishClock(step?: { kind: 'timer' | 'deliver' | 'none'; node: NodeId | null; messageId: string | null; description: string }): void {
    this.events.publish({ type: 'lab-clock', atNs: monotonicNowNs(), segment: this.clock.current,
      networkDelayMs: [...this.settings.networkDelayMs], ...(step ? { step } : {}) });
  }

  private isAnswering(slot: NodeSlot): boolean {
    return slot.configured && slot.view.status === 'running' && !(slot.process?.isExited ?? true);
  }

  // ---- clients -----------------------------------------------------------------------------------------------

  async clientRequest(request: ClientRequest): Promise<ClientResult> {
    this.assertRunning();
    const callNs = monotonicNowNs();
    const result = await this.uiClient.request(request);
    const atNs = monotonicNowNs();
    const stale = this.safety.clientOpCompleted(request.op, request.key, callNs, result, atNs);
    this.events.publish({ type: 'client-op', atNs, client: 0, op: request.op, key: request.key,
      status: result.status, value: result.value, servedBy: result.servedBy, latencyMs: result.latencyMs, callNs,
      ...(stale ? { stale: true } : {}) });
    return stale ? { ...result, stale: true } : result;
  }

  async startWorkload(spec: WorkloadSpec): Promise<void> {
    this.assertRunning();
    if (this.workload?.isRunning) throw new Error('a workload is already running; stop it first');
    this.workload = new Workload(spec, this.clientContext(), (op) => {
      const atNs = monotonicNowNs();
      this.events.publish({ type: 'client-op', atNs, client: op.client + 1, op: op.op, key: op.key,
        status: op.result.status, value: op.result.value, servedBy: op.result.servedBy, latencyMs: op.result.latencyMs,
        callNs: op.callNs, ...(this.safety.clientOpCompleted(op.op, op.key, op.callNs, op.result, atNs) ? { stale: true as const } : {}) });
    });
    this.workload.start();
  }

  async stopWorkload(): Promise<WorkloadReport> {
    if (!this.workload) return workloadReport(null, false);
    await this.workload.stop();
    const report = workloadReport(this.workload, true);
    const linearizable = report.verdict === null || report.verdict.timedOut ? null : report.verdict.linearizable;
    this.events.publish({ type: 'workload', atNs: monotonicNowNs(), ops: report.ops, ok: report.ok, fail: report.fail,
      unknown: report.unknown, linearizable });
    return report;
  }

  async getWorkload(): Promise<WorkloadReport> {
    return workloadReport(this.workload, false);
  }

  /** The workload object itself, for headless runs (chaos) that check more than the report. */
  get currentWorkload(): Workload | null {
    return this.workload;
  }

  clientContext(): KvClientContext {
    return {
      connections: this.connections,
      liveNodes: () => [...this.nodes.values()].filter((slot) => slot.view.status === 'running' && slot.clientEndpoint)
        .map((slot) => slot.view.id),
      leaderGuess: () => this.knownLeader,
      timeScale: () => this.settings.timeScale,
    };
  }

  // ---- inspection --------------------------------------------------------------------------------------------

  async getNodeDetail(id: NodeId): Promise<NodeDetail> {
    const slot = this.requireNode(id);
    return {
      node: slot.view,
      log: slot.mirror.log(),
      progress: slot.mirror.state?.progress ?? null,
      kv: this.kvStateOf(slot),
    };
  }

  /**
   * A node's applied KV state, replayed from a mirror of its log. A node whose log starts after a snapshot cannot be
   * replayed from its own mirror; its applied entries are committed, so the cluster's committed log gives the same
   * state (State Machine Safety).
   */
  private kvStateOf(slot: NodeSlot): Record<string, string> {
    const lastApplied = slot.view.lastApplied;
    if (slot.mirror.isComplete) return slot.mirror.kvState(lastApplied);
    return this.committedLog(lastApplied) === null ? {} : (this.committed.kvState(lastApplied) ?? {});
  }

  /**
   * The committed entries 1..count as the lab saw them (from any node's mirror; see committed-log.ts), or null when
   * the lab does not hold them all (yet, or any more).
   */
  committedLog(count: number): readonly LogEntryView[] | null {
    for (const slot of this.nodes.values()) this.committed.learn(slot.mirror, slot.view.commitIndex);
    return this.committed.prefix(count);
  }

  async listExercises(): Promise<readonly ExerciseSummary[]> {
    return loadCatalog('exercises', this.exercisesDir).map(summarizeExercise);
  }

  async getExercise(id: string): Promise<Exercise> {
    const found = loadCatalog('exercises', this.exercisesDir).find((exercise) => exercise.id === id);
    if (!found) throw new Error(`there is no exercise "${id}"`);
    return found;
  }

  // ---- experiments (delegated: experiments/experiment-runner.ts) ----------------------------------------------

  async startExperiment(spec: ExperimentSpec): Promise<ExperimentState> {
    return this.experiments.start(spec);
  }

  async getExperiment(fromRow: number): Promise<ExperimentState> {
    return this.experiments.state(fromRow);
  }

  cancelExperiment(): Promise<ExperimentState> {
    return this.experiments.cancel();
  }

  async listDemos(): Promise<readonly DemoSummary[]> {
    return loadDemos(this.demosDir).map(summarizeDemo);
  }

  async getDemo(id: string): Promise<Demo> {
    const found = loadDemos(this.demosDir).find((demo) => demo.id === id);
    if (!found) throw new Error(`there is no demo "${id}"`);
    return found;
  }

  /** Demos live beside the exercises (assets/demos next to assets/exercises). */
  private get demosDir(): string | undefined {
    return this.exercisesDir === undefined ? undefined : join(dirname(this.exercisesDir), 'demos');
  }

  async getRecentEvents(limit: number): Promise<readonly LabEvent[]> {
    this.events.flush();
    return this.events.recent(limit);
  }

  nodeMirror(id: NodeId): NodeMirror | null {
    return this.nodes.get(id)?.mirror ?? null;
  }

  // ---- node processes ----------------------------------------------------------------------------------------

  private spawnNode(id: NodeId): void {
    const dataDir = join(this.dataRoot, `node-${id}`);
    mkdirSync(dataDir, { recursive: true });
    const previous = this.nodes.get(id);
    const slot: NodeSlot = { view: previous?.view ?? initialView(id), process: null, clientEndpoint: null, configured: false,
      mirror: previous?.mirror ?? new NodeMirror(), lastFailure: null, appliedFaultsVersion: 0 };
    this.nodes.set(id, slot);
    slot.process = new NodeProcess({
      nodeId: id,
      launcher: this.launcher,
      env: { RAFT_LAB_NODE_ID: String(id), RAFT_LAB_CONTROL: this.controlEndpoint, RAFT_LAB_SECRET: this.secret,
        RAFT_LAB_DATA_DIR: dataDir },
      onExit: (code, signal, stderrTail) => this.onNodeExit(id, slot, code, signal, stderrTail),
    });
    this.updateNode(id, { pid: slot.process.pid }, 'starting', 'process spawned');
  }

  private onNodeExit(id: NodeId, slot: NodeSlot, code: number | null, signal: NodeJS.Signals | null,
    stderrTail: readonly string[]): void {
    if (this.nodes.get(id) !== slot) return;
    const expected = this.phase === 'stopping';
    const how = signal ? `killed by ${signal}` : `exited with code ${String(code)}`;
    slot.clientEndpoint = null;
    if (this.knownLeader === id) this.knownLeader = null;
    this.updateNode(id, { pid: null }, expected ? 'stopped' : 'crashed', `node process ${how}`);
    if (!expected && signal === null && code !== 0) {
      slot.lastFailure = `${how}: ${stderrTail.slice(-2).join(' | ') || 'no output'}`;
      this.events.publish({ type: 'error', atNs: monotonicNowNs(), node: id,
        message: `S${id} failed (${how}): ${stderrTail.slice(-3).join(' | ') || 'no output'}` });
    }
    this.notifyWaiters();
  }

  private async receiveLoop(): Promise<void> {
    try {
      for await (const [, payload] of this.control) {
        if (!payload) continue;
        const decoded = decodeNodeToLab(payload, this.secret);
        if (decoded.ok) this.onNodeFrame(decoded.value);
        else this.reportRejection(`rejected a control frame: ${decoded.error.slice(0, 300)}`);
      }
    } catch (error) {
      if (!this.closed) this.reportRejection(`control socket failed: ${(error as Error).message}`);
    }
  }

  private onNodeFrame(frame: NodeToLabFrame): void {
    const slot = this.nodes.get(frame.node);
    if (!slot || slot.process?.pid !== frame.pid) return; // a stale process, or one we did not start
    if (frame.type === 'hello') this.onHello(slot, frame);
    else if (frame.type === 'faults-applied') {
      slot.appliedFaultsVersion = Math.max(slot.appliedFaultsVersion, frame.version);
      this.notifyWaiters();
    } else if (frame.type === 'pending') {
      this.stepper.onPending(frame);
      this.notifyWaiters();
    } else if (frame.type === 'step-done') {
      this.stepper.onStepDone(frame);
      this.notifyWaiters();
    } else if (frame.type === 'held') {
      for (const id of frame.ids) this.stepper.onLanded(id);
      this.notifyWaiters();
    } else for (const raw of frame.events) this.onNodeEvent(slot, raw);
  }

  private onHello(slot: NodeSlot, frame: Extract<NodeToLabFrame, { type: 'hello' }>): void {
    // A (re)started node is a follower with what it recovered from disk, whatever it was before it crashed.
    slot.view = { ...slot.view, peerEndpoint: frame.peerEndpoint, role: 'follower', term: frame.recovered.term, leaderId: null,
      commitIndex: 0, lastApplied: 0, lastLogIndex: frame.recovered.lastIndex };
    slot.clientEndpoint = frame.clientEndpoint;
    slot.mirror.truncateTo(frame.recovered.lastIndex);
    this.connections.setEndpoint(frame.node, frame.clientEndpoint);
    this.events.publish({ type: 'node-alive', atNs: frame.atNs, node: frame.node, pid: frame.pid, peerEndpoint: frame.peerEndpoint });
    this.updateNode(frame.node, {}, 'running', recoveryNote(frame.recovered));
    if (this.phase === 'starting') {
      if ([...this.nodes.values()].every((other) => other.view.peerEndpoint !== null && other.process?.pid === other.view.pid)) {
        for (const other of this.nodes.values()) this.configure(other);
      }
    } else {
      this.configure(slot);
      const members = this.memberEndpoints();
      for (const other of this.nodes.values()) if (other !== slot) this.sendToNode(other.view.id, { type: 'peers', members });
    }
    this.notifyWaiters();
  }

  private configure(slot: NodeSlot): void {
    if (slot.configured) return;
    slot.configured = true;
    const tables = this.faults.tables(this.memberIds());
    this.sendToNode(slot.view.id, { type: 'configure', config: {
      members: this.memberEndpoints(),
      electionTimeoutMs: [this.settings.electionTimeoutMs[0], this.settings.electionTimeoutMs[1]],
      heartbeatMs: this.settings.heartbeatMs,
      clock: this.clock.current,
      networkDelayMs: [...this.settings.networkDelayMs],
      preVote: this.settings.preVote,
      checkQuorum: this.settings.checkQuorum,
      bugs: [...this.settings.bugs],
      ...(this.settings.snapshotEveryEntries === undefined ? {} : { snapshotEveryEntries: this.settings.snapshotEveryEntries }),
      ...(this.settings.snapshotKeepEntries === undefined ? {} : { snapshotKeepEntries: this.settings.snapshotKeepEntries }),
      randomSeed: this.settings.timerSeed,
      faults: tables[slot.view.id] ?? { outbound: {}, blockedFrom: [] },
      eventDetail: this.eventDetail,
    } });
  }

  private onNodeEvent(slot: NodeSlot, raw: Record<string, unknown>): void {
    const checked = validateNodeEvent(raw, slot.view.id);
    if (!checked.ok) {
      this.reportRejection(checked.error);
      return;
    }
    const event = checked.event;
    if (event.type === 'node-state') {
      slot.mirror.setState(event.state);
      this.committed.learn(slot.mirror, event.state.commitIndex);
      const { role, term, votedFor, leaderId, commitIndex, lastApplied, lastLogIndex } = event.state;
      slot.view = { ...slot.view, role, term, votedFor, leaderId, commitIndex, lastApplied, lastLogIndex };
      if (role === 'leader') this.knownLeader = slot.view.id;
      else if (leaderId !== null) this.knownLeader = leaderId;
    } else if (event.type === 'log-write') {
      slot.mirror.writeEntries(event.entries);
    } else if (event.type === 'message') {
      if (event.direction === 'send') {
        this.messageNotes.remember(event.id, { message: event.message, sentAtLabMs: event.sentAtLabMs, deliverAtLabMs: event.deliverAtLabMs });
      }
      else if (event.node === event.message.to) {
        this.stepper.onLanded(event.id);
        // A time-out on a running cluster waits for its messages to land: wake it (held frames do so while frozen).
        this.notifyWaiters();
      }
    }
    this.events.publish(event);
  }

  /**
   * Sends every node its new fault table and resolves once each node that can answer has applied it, so a caller
   * that partitions and then writes knows the partition is already in force. A node that cannot answer (crashed,
   * paused, not yet configured: it gets the table with its configuration) is not waited for; one that dies
   * meanwhile is waited for at most FAULTS_APPLIED_DEADLINE_MS.
   */
  private async pushFaults(): Promise<void> {
    const tables = this.faults.tables(this.memberIds());
    const version = ++this.faultsVersion;
    for (const id of this.memberIds()) {
      const table = tables[id];
      if (table) this.sendToNode(id, { type: 'faults', faults: table, version });
    }
    const applied = (): boolean => [...this.nodes.values()].every((slot) =>
      slot.appliedFaultsVersion >= version || !slot.configured || slot.view.status !== 'running' || (slot.process?.isExited ?? true));
    await this.waitUntil(applied, FAULTS_APPLIED_DEADLINE_MS, 'the nodes to apply the new fault tables').catch(() => undefined);
  }

  private sendToNode(id: NodeId, frame: DistributiveOmit<LabToNodeFrame, 'v' | 'secret'>): void {
    const payload = encodeControlFrame({ v: CONTROL_PROTOCOL_VERSION, secret: this.secret, ...frame } as LabToNodeFrame);
    this.control.send([`node-${id}`, payload]).catch(() => undefined); // unroutable if the node is already gone
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  private memberIds(): NodeId[] {
    return [...this.nodes.keys()].sort((a, b) => a - b);
  }

  private memberEndpoints(): Record<string, string> {
    const members: Record<string, string> = {};
    for (const slot of this.nodes.values()) if (slot.view.peerEndpoint) members[String(slot.view.id)] = slot.view.peerEndpoint;
    return members;
  }

  private allConfigured(): boolean {
    return [...this.nodes.values()].every((slot) => slot.configured || slot.view.status === 'crashed');
  }

  private publishFault(action: Extract<LabEvent, { type: 'fault' }>['action'], nodes: NodeId[], description: string): void {
    const changesLinks = action === 'partition' || action === 'link' || action === 'heal';
    this.events.publish({ type: 'fault', atNs: monotonicNowNs(), action, nodes, description,
      ...(changesLinks ? { blockedLinks: this.faults.blockedLinks().map(([from, to]): [NodeId, NodeId] => [from, to]) } : {}) });
  }

  private reportRejection(message: string): void {
    // A flood of bad frames must not flood the UI: a few reports per second, the rest only counted.
    const nowMs = performance.now();
    if (nowMs - this.rejectionReports.windowStartMs > 1000) this.rejectionReports = { windowStartMs: nowMs, count: 0 };
    this.rejectionReports.count += 1;
    if (this.rejectionReports.count <= MAX_REJECTION_REPORTS_PER_SECOND) {
      this.events.publish({ type: 'error', atNs: monotonicNowNs(), node: null, message });
    }
  }

  private requireNode(id: NodeId): NodeSlot {
    const slot = this.nodes.get(id);
    if (!slot) throw new Error(`there is no node S${id} in this cluster`);
    return slot;
  }

  private requireRunning(id: NodeId): NodeSlot {
    const slot = this.requireNode(id);
    if (!slot.process || slot.process.isExited) throw new Error(`S${id} is not running`);
    return slot;
  }

  private updateNode(id: NodeId, patch: Partial<NodeView>, status: NodeStatus, reason: string): void {
    const slot = this.nodes.get(id);
    if (!slot) return;
    slot.view = { ...slot.view, ...patch, status };
    this.events.publish({ type: 'node-status', atNs: monotonicNowNs(), node: id, status, pid: slot.view.pid, reason });
  }

  private setPhase(phase: ClusterPhase): void {
    this.phase = phase;
    this.events.publish({ type: 'cluster-phase', atNs: monotonicNowNs(), phase,
      ...(phase === 'starting' ? { settings: { ...this.settings, electionTimeoutMs: [...this.settings.electionTimeoutMs],
        networkDelayMs: [...this.settings.networkDelayMs], bugs: [...this.settings.bugs] } } : {}) });
  }

  private snapshot(): LabSnapshot {
    return {
      phase: this.phase,
      settings: this.settings,
      nodes: [...this.nodes.values()].map((slot) => slot.view).sort((a, b) => a.id - b.id),
      blockedLinks: this.faults.blockedLinks(),
      linkFaults: this.faults.linkFaults(),
      atNs: monotonicNowNs(),
      nextSeq: this.events.nextSequence,
      clock: { frozen: this.clock.frozen, labMs: this.clock.nowMs() },
    };
  }

  private waitUntil(condition: () => boolean, deadlineMs: number, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${deadlineMs} ms waiting for ${what}`));
      }, deadlineMs);
      this.waiters.add(check);
    });
  }

  private notifyWaiters(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the lab controller is closed');
  }

  private assertRunning(): void {
    this.assertOpen();
    if (this.phase !== 'running') throw new Error(`the cluster is ${this.phase}; start it first`);
  }
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

function initialView(id: NodeId): NodeView {
  return { id, status: 'starting', pid: null, peerEndpoint: null, role: 'follower', term: 0, votedFor: null,
    leaderId: null, commitIndex: 0, lastApplied: 0, lastLogIndex: 0 };
}

export type { UnsequencedLabEvent };
