// The lab controller: the LabApi over one cluster of real node processes. It owns the cluster's life (start, stop),
// its settings and the inspection views, and delegates the rest: the node processes and what they report to
// NodeSupervisor, breaking them to ClusterFaults, the lab clock's controls to ClusterClockControls, membership and
// transfer to ClusterMembership and ClusterTransfer, clients to ClientGateway, exercises and demos to LabCatalog, and
// experiments to a lab of their own. Everything they report becomes the one event stream and cluster view that the
// UI, the recorder and the checkers share.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import type { EventDetail } from '../protocol/control';
import {
  DEFAULT_SETTINGS, type ClientRequest, type ClientResult, type ClusterPhase, type ClusterSettings, type LabApi,
  type LabSnapshot, type NodeDetail, type PartitionGroups, type WorkloadReport, type WorkloadSpec, type LogEntryView, type Implementation,
} from '../protocol/lab-api';
import type { LabEvent, UnsequencedLabEvent } from '../protocol/events';
import type { LinkFaults } from '../protocol/link-faults';
import type { NodeId } from '../raft/types';
import { monotonicNowNs } from '../shared/monotonic-clock';
import { EventHub } from './event-hub';
import { FaultState } from './fault-state';
import { byoNodeLauncher, defaultNodeLauncher, executableProblem, findExampleRaft, type NodeLauncher } from './node-launcher';
import type { NodeMirror } from './node-mirror';
import { NodeConnections } from './client/node-connections';
import type { KvClientContext } from './client/kv-client';
import type { Workload } from './client/workload';
import { NodeSupervisor, type NodeSlot } from './node-supervisor';
import { ClusterFaults, START_DEADLINE_MS } from './cluster-faults';
import { ClientGateway } from './client-gateway';
import { ClusterMembership } from './cluster-membership';
import { ClusterTransfer } from './cluster-transfer';
import { LabTimeKeeper } from './lab-time-keeper';
import { ClusterStepper } from './cluster-stepper';
import { ClusterClockControls } from './cluster-clock-controls';
import { MessageNotes } from './step-notes';
import { SafetyMonitor } from './safety/safety-monitor';
import type { HeldMessageAction, NetworkDelayMs, StepResult } from '../protocol/lab-clock';
import { topTermLeader } from './top-term-leader';
import type { Demo, DemoSummary, Exercise, ExerciseSummary } from '../protocol/exercise/schema';
import { LabCatalog } from './lab-catalog';
import { isOwnImplementation, MAX_HEADLESS_NODES } from '../protocol/lab-api';
import type { ExperimentSpec, ExperimentState } from '../protocol/experiments';
import { ExperimentRunner } from './experiments/experiment-runner';

const STOP_GRACE_MS = 2000;

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

export class LabController implements LabApi {
  readonly events: EventHub;
  /** Runs Raft's invariant checks over the merged stream and publishes what breaks (src/lab/safety). */
  private readonly safety: SafetyMonitor;
  private readonly supervisor: NodeSupervisor;
  private readonly faultInjector: ClusterFaults;
  private readonly clients: ClientGateway;
  private readonly membership: ClusterMembership;
  private readonly transfer: ClusterTransfer;
  /** How this cluster run's nodes are started (settings.implementation); the lab's own launcher by default. */
  private runLauncher: NodeLauncher;
  private readonly faults = new FaultState();
  private readonly connections = new NodeConnections();
  private phase: ClusterPhase = 'stopped';
  private settings: ClusterSettings = DEFAULT_SETTINGS;
  private readonly ownsDataRoot: boolean;
  readonly dataRoot: string;
  private closed = false;
  private readonly clock: LabTimeKeeper;
  private readonly stepper: ClusterStepper;
  private readonly clockControls: ClusterClockControls;
  /** What each recent message was, so that a step can say what it delivered. */
  private readonly messageNotes = new MessageNotes();
  private readonly catalog: LabCatalog;
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
    eventDetail: EventDetail,
    initialSettings: ClusterSettings,
    private readonly exercisesDir: string | undefined,
  ) {
    this.runLauncher = launcher;
    this.catalog = new LabCatalog(exercisesDir);
    this.events = new EventHub(windowEvents);
    this.safety = new SafetyMonitor({ eventDetail, publish: (event) => this.events.publish(event) });
    this.events.subscribe((events) => this.safety.observe(events));
    this.settings = initialSettings;
    this.clock = new LabTimeKeeper(initialSettings.timeScale);
    this.ownsDataRoot = dataRoot === undefined;
    this.dataRoot = dataRoot ?? mkdtempSync(join(tmpdir(), 'raft-lab-'));
    mkdirSync(this.dataRoot, { recursive: true });
    this.supervisor = new NodeSupervisor({
      control, controlEndpoint, launcher: () => this.runLauncher, dataRoot: this.dataRoot, eventDetail, events: this.events, faults: this.faults,
      connections: this.connections, clock: this.clock, messageNotes: this.messageNotes,
      // The stepper is built next; frames can only arrive once nodes run, long after.
      stepper: {
        onPending: (frame) => this.stepper.onPending(frame),
        onStepDone: (frame) => this.stepper.onStepDone(frame),
        onLanded: (messageId) => this.stepper.onLanded(messageId),
      },
      phase: () => this.phase,
      settings: () => this.settings,
      isClosed: () => this.closed,
    });
    const supervisor = this.supervisor;
    this.stepper = new ClusterStepper({
      send: (node, frame) => supervisor.sendToNode(node, frame),
      answeringNodes: () => [...supervisor.slots()].filter((slot) => supervisor.isAnswering(slot)).map((slot) => slot.view.id),
      isAnswering: (node) => { const slot = supervisor.slot(node); return slot !== undefined && supervisor.isAnswering(slot); },
      waitUntil: (condition, deadlineMs, what) => supervisor.waitUntil(condition, deadlineMs, what),
    });
    this.clockControls = new ClusterClockControls({ supervisor, events: this.events, clock: this.clock, stepper: this.stepper,
      messageNotes: this.messageNotes, networkDelayMs: () => this.settings.networkDelayMs, assertRunning: () => this.assertRunning() });
    this.faultInjector = new ClusterFaults(supervisor, this.faults, this.events, this.dataRoot);
    this.membership = new ClusterMembership({ supervisor, events: this.events, dataRoot: this.dataRoot, maxNodes: this.maxNodes,
      timeScale: () => this.settings.timeScale, frozen: () => this.clock.frozen });
    this.transfer = new ClusterTransfer({ supervisor, events: this.events, settings: () => this.settings, frozen: () => this.clock.frozen });
    this.clients = new ClientGateway({
      connections: this.connections, events: this.events, safety: this.safety,
      liveNodes: () => [...supervisor.slots()].filter((slot) => slot.view.status === 'running' && slot.clientEndpoint)
        .map((slot) => slot.view.id),
      leaderGuess: () => supervisor.knownLeader,
      topTermLeader: () => this.leaderOfTopTerm(),
      timeScale: () => this.settings.timeScale,
      ownNodes: () => this.runLauncher.ownProcessGroup === true,
      endpointOf: (id) => supervisor.slot(id)?.clientEndpoint ?? null,
    });
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
    this.runLauncher = this.launcherFor(settings.implementation);
    this.settings = settings;
    this.faults.healAll();
    this.supervisor.forgetCluster();
    this.messageNotes.clear();
    this.clock.restart(settings.timeScale, settings.startPaused ?? false);
    this.setPhase('starting');
    this.clockControls.publish();
    rmSync(this.dataRoot, { recursive: true, force: true });
    mkdirSync(this.dataRoot, { recursive: true });
    this.clients.forgetSessions();
    this.supervisor.forgetStderr();
    for (let id = 1; id <= settings.nodeCount; id += 1) this.supervisor.spawnNode(id);
    try {
      // A node that dies before it reports in fails the start at once: the others wait for every member's endpoint.
      await this.supervisor.waitUntil(() => this.supervisor.allConfigured() || this.supervisor.crashedBeforeHello().length > 0,
        START_DEADLINE_MS, 'all nodes to start and report in');
      const failed = this.supervisor.crashedBeforeHello();
      if (failed.length > 0) {
        throw new Error(failed.map((slot) => `S${slot.view.id} could not start: ${slot.lastFailure ?? 'its process exited'}`).join('; '));
      }
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
    await this.clients.haltWorkload();
    await Promise.all([...this.supervisor.slots()].map(async (slot) => {
      if (slot.process) {
        this.supervisor.sendToNode(slot.view.id, { type: 'shutdown' });
        await slot.process.stop(STOP_GRACE_MS);
      }
    }));
    this.supervisor.forgetCluster();
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
    this.clients.close();
    this.control.close();
    if (this.ownsDataRoot) rmSync(this.dataRoot, { recursive: true, force: true });
  }

  /** Last resort from a process 'exit' handler: synchronous, kills whatever still runs. */
  killAllNow(): void {
    this.experiments.killAllNow();
    for (const slot of this.supervisor.slots()) {
      slot.process?.signal('SIGCONT');
      slot.process?.signal('SIGKILL');
    }
  }

  // ---- faults (cluster-faults.ts) ----------------------------------------------------------------------------

  async crashNode(id: NodeId): Promise<void> {
    return this.faultInjector.crashNode(id);
  }

  async restartNode(id: NodeId): Promise<void> {
    return this.faultInjector.restartNode(id);
  }

  async pauseNode(id: NodeId): Promise<void> {
    return this.faultInjector.pauseNode(id);
  }

  async resumeNode(id: NodeId): Promise<void> {
    return this.faultInjector.resumeNode(id);
  }

  async wipeNode(id: NodeId): Promise<void> {
    return this.faultInjector.wipeNode(id);
  }

  // ---- membership (delegated: cluster-membership.ts) ----------------------------------------------------------

  async addServer(): Promise<NodeId> {
    this.assertRunning();
    this.assertBuiltInRaft('add a server');
    return this.membership.addServer();
  }

  async removeServer(id: NodeId): Promise<void> {
    this.assertRunning();
    this.assertBuiltInRaft('remove a server');
    return this.membership.removeServer(id);
  }

  async promoteServer(id: NodeId): Promise<void> {
    this.assertRunning();
    this.assertBuiltInRaft('promote a learner');
    return this.membership.promoteServer(id);
  }

  // ---- leadership transfer (delegated: cluster-transfer.ts) ---------------------------------------------------

  async transferLeadership(to: NodeId): Promise<void> {
    this.assertRunning();
    this.assertBuiltInRaft('transfer leadership');
    return this.transfer.transferLeadership(to);
  }

  async setPartition(groups: PartitionGroups): Promise<void> {
    this.assertRunning();
    return this.faultInjector.setPartition(groups);
  }

  async setLinkFaults(from: NodeId, to: NodeId, patch: Partial<LinkFaults>): Promise<void> {
    this.assertRunning();
    return this.faultInjector.setLinkFaults(from, to, patch);
  }

  async healAll(): Promise<void> {
    return this.faultInjector.healAll();
  }

  async setTimeScale(timeScale: number): Promise<void> {
    if (!(timeScale >= 1 && timeScale <= 100)) throw new Error(`time scale must be 1..100, got ${timeScale}`);
    this.settings = { ...this.settings, timeScale };
    this.clock.setTimeScale(timeScale);
    this.clockControls.broadcast();
    this.events.publish({ type: 'fault', atNs: monotonicNowNs(), action: 'time-scale', nodes: [], timeScale,
      description: `time runs ${timeScale}x slower` });
    this.clockControls.publish();
  }

  async setNetworkDelay(delayMs: NetworkDelayMs): Promise<void> {
    const [min, max] = delayMs;
    if (!(min >= 0 && min <= max)) throw new Error(`network delay: need 0 <= min <= max, got [${min}, ${max}]`);
    this.settings = { ...this.settings, networkDelayMs: [min, max] };
    this.clockControls.broadcast();
    this.clockControls.publish();
  }

  // ---- the lab clock (delegated: cluster-clock-controls.ts) --------------------------------------------------

  freezeCluster(): Promise<void> {
    return this.clockControls.freeze();
  }

  resumeCluster(): Promise<void> {
    return this.clockControls.resume();
  }

  stepCluster(): Promise<StepResult> {
    return this.clockControls.step();
  }

  timeoutNode(id: NodeId): Promise<void> {
    return this.clockControls.timeoutNode(id);
  }

  heldMessage(to: NodeId, messageId: string, action: HeldMessageAction): Promise<void> {
    return this.clockControls.heldMessage(to, messageId, action);
  }

  // ---- clients (client-gateway.ts) ---------------------------------------------------------------------------

  async clientRequest(request: ClientRequest): Promise<ClientResult> {
    this.assertRunning();
    return this.clients.request(request);
  }

  async startWorkload(spec: WorkloadSpec): Promise<void> {
    this.assertRunning();
    this.clients.startWorkload(spec);
  }

  async stopWorkload(): Promise<WorkloadReport> {
    return this.clients.stopWorkload();
  }

  async getWorkload(): Promise<WorkloadReport> {
    return this.clients.workloadReport();
  }

  /** The workload object itself, for headless runs (chaos) that check more than the report. */
  get currentWorkload(): Workload | null {
    return this.clients.currentWorkload;
  }

  clientContext(): KvClientContext {
    return this.clients.clientContext();
  }

  // ---- inspection --------------------------------------------------------------------------------------------

  async getNodeDetail(id: NodeId): Promise<NodeDetail> {
    const slot = this.supervisor.requireNode(id);
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
    return this.committedLog(lastApplied) === null ? {} : (this.supervisor.committed.kvState(lastApplied) ?? {});
  }

  /**
   * The committed entries 1..count as the lab saw them (from any node's mirror; see committed-log.ts), or null when
   * the lab does not hold them all (yet, or any more).
   */
  committedLog(count: number): readonly LogEntryView[] | null {
    const committed = this.supervisor.committed;
    for (const slot of this.supervisor.slots()) committed.learn(slot.mirror, slot.view.commitIndex);
    return committed.prefix(count);
  }

  // ---- exercises and demos (lab-catalog.ts) -----------------------------------------------------------------

  async listExercises(): Promise<readonly ExerciseSummary[]> {
    return this.catalog.listExercises();
  }

  async getExercise(id: string): Promise<Exercise> {
    return this.catalog.getExercise(id);
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
    return this.catalog.listDemos();
  }

  async getDemo(id: string): Promise<Demo> {
    return this.catalog.getDemo(id);
  }

  async getRecentEvents(limit: number): Promise<readonly LabEvent[]> {
    this.events.flush();
    return this.events.recent(limit);
  }

  /** The running leader of the highest term any running node reports (top-term-leader.ts), or null. */
  leaderOfTopTerm(): NodeId | null {
    return topTermLeader([...this.supervisor.slots()].map((slot) => slot.view));
  }

  /** Where clients reach node `id` now (null while it is down): for clients other than the lab's own (Maelstrom's). */
  clientEndpointOf(id: NodeId): string | null {
    return this.supervisor.slot(id)?.clientEndpoint ?? null;
  }

  /** The last lines node `id`'s process wrote on stderr before it last exited (a student's node: its own last lines). */
  lastStderrOf(id: NodeId): readonly string[] {
    return this.supervisor.lastStderrOf(id);
  }

  /** Node processes of the current (or last) cluster run that ended by themselves: see NodeSupervisor.selfExits. */
  get nodeSelfExits(): number {
    return this.supervisor.selfExits;
  }

  nodeMirror(id: NodeId): NodeMirror | null {
    return this.supervisor.slot(id)?.mirror ?? null;
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  /** The lab's Raft unless the settings ask for a student's own nodes (or the example Raft), behind relay nodes. */
  private launcherFor(implementation: Implementation | undefined): NodeLauncher {
    if (implementation === undefined || implementation.kind === 'raft') return this.launcher;
    if (implementation.kind === 'example') return byoNodeLauncher(process.execPath, [findExampleRaft(this.exercisesDir)]);
    const problem = executableProblem(implementation.bin);
    if (problem !== null) throw new Error(problem);
    return byoNodeLauncher(implementation.bin, implementation.args);
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
      nodes: [...this.supervisor.slots()].map((slot) => slot.view).sort((a, b) => a.id - b.id),
      blockedLinks: this.faults.blockedLinks(),
      linkFaults: this.faults.linkFaults(),
      atNs: monotonicNowNs(),
      nextSeq: this.events.nextSequence,
      clock: { frozen: this.clock.frozen, labMs: this.clock.nowMs() },
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the lab controller is closed');
  }

  private assertRunning(): void {
    this.assertOpen();
    if (this.phase !== 'running') throw new Error(`the cluster is ${this.phase}; start it first`);
  }

  /**
   * Refused before anything starts: a student's own Raft speaks Maelstrom's protocol, which has no configuration
   * changes or leadership transfer (its relay would refuse too, but only after an added server had been spawned).
   */
  private assertBuiltInRaft(what: string): void {
    if (isOwnImplementation(this.settings.implementation)) {
      throw new Error(`cannot ${what}: this cluster runs your own Raft, and Maelstrom's protocol has no membership changes ` +
        'or leadership transfer; they work with the lab\'s built-in Raft');
    }
  }
}

export type { UnsequencedLabEvent };
