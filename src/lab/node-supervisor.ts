// The node processes of one lab: starts them, hears them on the control socket, configures them, and keeps the
// lab's view of each (its status, its mirror of the log) from what they report. What the lab does *to* the nodes
// (faults, the clock, clients) lives elsewhere and goes through here.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type * as zmq from 'zeromq';
import { CONTROL_PROTOCOL_VERSION, encodeControlFrame, type EventDetail, type LabToNodeFrame, type MembershipAnswer,
  type NodeToLabFrame, type TransferAnswer } from '../protocol/control';
import { decodeNodeToLab } from '../protocol/control-schema';
import type { ClusterPhase, ClusterSettings, NodeStatus, NodeView } from '../protocol/lab-api';
import type { MembershipChange, NodeId } from '../raft/types';
import { monotonicNowNs } from '../shared/monotonic-clock';
import type { EventHub } from './event-hub';
import type { FaultState } from './fault-state';
import type { NodeLauncher } from './node-launcher';
import { NodeMirror } from './node-mirror';
import { CommittedLog } from './committed-log';
import { NodeProcess } from './node-process';
import { validateNodeEvent } from './node-event-intake';
import { recoveryNote } from './recovery-note';
import type { NodeConnections } from './client/node-connections';
import type { LabTimeKeeper } from './lab-time-keeper';
import type { MessageNotes } from './step-notes';

const MAX_REJECTION_REPORTS_PER_SECOND = 5;

export interface NodeSlot {
  view: NodeView;
  process: NodeProcess | null;
  clientEndpoint: string | null;
  configured: boolean;
  readonly mirror: NodeMirror;
  /** Why the process last failed, from its own last words on stderr. */
  lastFailure: string | null;
  /** Version of the last fault table this process said it applied (see ClusterFaults.pushFaults). */
  appliedFaultsVersion: number;
}

export type LabToNodeMessage = DistributiveOmit<LabToNodeFrame, 'v' | 'secret'>;

/** Frames about the lab clock, handed to the cluster stepper (cluster-stepper.ts). */
export interface StepperFrames {
  onPending(frame: Extract<NodeToLabFrame, { type: 'pending' }>): void;
  onStepDone(frame: Extract<NodeToLabFrame, { type: 'step-done' }>): void;
  onLanded(messageId: string): void;
}

export interface NodeSupervisorOptions {
  readonly control: zmq.Router;
  readonly controlEndpoint: string;
  /** How to start a node now (the cluster run's implementation decides). */
  readonly launcher: () => NodeLauncher;
  readonly dataRoot: string;
  readonly eventDetail: EventDetail;
  readonly events: EventHub;
  readonly faults: FaultState;
  readonly connections: NodeConnections;
  readonly clock: LabTimeKeeper;
  readonly messageNotes: MessageNotes;
  readonly stepper: StepperFrames;
  readonly phase: () => ClusterPhase;
  readonly settings: () => ClusterSettings;
  readonly isClosed: () => boolean;
}

export class NodeSupervisor {
  private readonly secret = randomBytes(24).toString('hex');
  private readonly nodes = new Map<NodeId, NodeSlot>();
  /** The cluster's committed log, gathered from the mirrors (see committed-log.ts); one per cluster run. */
  private committedLog = new CommittedLog();
  private readonly waiters = new Set<() => void>();
  private rejectionReports = { windowStartMs: 0, count: 0 };
  private knownLeaderId: NodeId | null = null;
  /** Each node's last lines of stderr when its process last exited; kept after the cluster stops (a failed start). */
  private readonly lastStderr = new Map<NodeId, readonly string[]>();
  /** See selfExits. */
  private selfExitCount = 0;
  /** The servers the cluster started with: the bootstrap configuration of each of them (RaftConfig.members). */
  private bootstrapIds: NodeId[] = [];
  /** Servers added by a membership change: they start with no configuration and wait for a leader (§4.2.1). */
  private readonly addedIds = new Set<NodeId>();
  /** Every id this cluster run has used, removed servers included: an added server takes the next one. */
  private highestIdUsed = 0;
  private runNumber = 0;
  private nextChangeId = 0;
  private readonly pendingChanges = new Map<number, (answer: MembershipAnswer) => void>();
  private nextTransferId = 0;
  private readonly pendingTransfers = new Map<number, (answer: TransferAnswer) => void>();

  constructor(private readonly o: NodeSupervisorOptions) {
    void this.receiveLoop();
  }

  /** The leader the lab last heard of (from a leader's state or a follower's leaderId), for clients' first try. */
  get knownLeader(): NodeId | null {
    return this.knownLeaderId;
  }

  get committed(): CommittedLog {
    return this.committedLog;
  }

  slots(): IterableIterator<NodeSlot> {
    return this.nodes.values();
  }

  slot(id: NodeId): NodeSlot | undefined {
    return this.nodes.get(id);
  }

  /** Which cluster run this is: a watcher that outlives its run (a pending removal) checks it to know it is stale. */
  get clusterRun(): number {
    return this.runNumber;
  }

  /** Starts a cluster run: no node, no committed log, no leader known. */
  forgetCluster(): void {
    this.runNumber += 1;
    this.nodes.clear();
    this.bootstrapIds = [];
    this.addedIds.clear();
    this.highestIdUsed = 0;
    this.committedLog = new CommittedLog();
    this.knownLeaderId = null;
  }

  /** The last lines node `id`'s process wrote on stderr before it last exited (a student's node: its own last lines). */
  lastStderrOf(id: NodeId): readonly string[] {
    return this.lastStderr.get(id) ?? [];
  }

  /**
   * How many node processes of this cluster run ended by themselves: a non-zero exit code, not a signal (the lab's
   * crash is SIGKILL, its stop ends a node with code 0 or SIGKILL). Counted even while the lab stops the cluster, so a
   * start that failed counts every node that failed at once, not only the first the lab heard of.
   */
  get selfExits(): number {
    return this.selfExitCount;
  }

  /** A new cluster run: what earlier processes wrote, and how they ended, is no longer news. */
  forgetStderr(): void {
    this.lastStderr.clear();
    this.selfExitCount = 0;
  }

  /**
   * Starts node `id`'s process on its data directory. `added`: a server joining by a membership change (it starts
   * with an empty configuration); otherwise, while the cluster starts, one of the bootstrap configuration's servers.
   */
  spawnNode(id: NodeId, added = false): void {
    const dataDir = join(this.o.dataRoot, `node-${id}`);
    mkdirSync(dataDir, { recursive: true });
    if (added) this.addedIds.add(id);
    else if (this.o.phase() === 'starting' && !this.bootstrapIds.includes(id)) this.bootstrapIds.push(id);
    this.highestIdUsed = Math.max(this.highestIdUsed, id);
    const previous = this.nodes.get(id);
    const slot: NodeSlot = { view: previous?.view ?? initialView(id), process: null, clientEndpoint: null, configured: false,
      mirror: previous?.mirror ?? new NodeMirror(), lastFailure: null, appliedFaultsVersion: 0 };
    this.nodes.set(id, slot);
    slot.process = new NodeProcess({
      nodeId: id,
      launcher: this.o.launcher(),
      // The cluster's size is for relay nodes (a student's own Raft: init's node_ids); the built-in node ignores it.
      env: { RAFT_LAB_NODE_ID: String(id), RAFT_LAB_CONTROL: this.o.controlEndpoint, RAFT_LAB_SECRET: this.secret,
        RAFT_LAB_DATA_DIR: dataDir, RAFT_LAB_CLUSTER_SIZE: String(this.o.settings().nodeCount) },
      onExit: (code, signal, stderrTail) => this.onNodeExit(id, slot, code, signal, stderrTail),
    });
    this.updateNode(id, { pid: slot.process.pid }, 'starting', 'process spawned');
  }

  sendToNode(id: NodeId, frame: LabToNodeMessage): void {
    const payload = encodeControlFrame({ v: CONTROL_PROTOCOL_VERSION, secret: this.secret, ...frame } as LabToNodeFrame);
    this.o.control.send([`node-${id}`, payload]).catch(() => undefined); // unroutable if the node is already gone
  }

  /** The id an added server takes: one past every id this run has used (a removed server's id is not reused). */
  nextUnusedId(): NodeId {
    return this.highestIdUsed + 1;
  }

  /**
   * Asks node `id` to propose a configuration change (dissertation ch. 4). Resolves with its answer; rejects if it
   * does not answer within `deadlineMs` (its process gone or stopped).
   */
  proposeMembership(id: NodeId, change: MembershipChange, deadlineMs: number): Promise<MembershipAnswer> {
    const changeId = this.nextChangeId++;
    return awaitAnswer(this.pendingChanges, changeId, deadlineMs, `S${id} did not answer the configuration change within ${deadlineMs} ms`,
      () => this.sendToNode(id, { type: 'membership', changeId, change }));
  }

  /**
   * Asks node `id` (the leader) to hand leadership to `to` (dissertation §3.10). Resolves with whether it began;
   * rejects if it does not answer within `deadlineMs`.
   */
  transferLeadership(id: NodeId, to: NodeId, deadlineMs: number): Promise<TransferAnswer> {
    const transferId = this.nextTransferId++;
    return awaitAnswer(this.pendingTransfers, transferId, deadlineMs, `S${id} did not answer the leadership transfer within ${deadlineMs} ms`,
      () => this.sendToNode(id, { type: 'transfer', transferId, to }));
  }

  /**
   * Forgets a server that left the cluster (its process already stopped): the others' transports drop their link
   * to it, so nothing is sent to its endpoint any more.
   */
  forgetNode(id: NodeId): void {
    if (!this.nodes.delete(id)) return;
    if (this.knownLeaderId === id) this.knownLeaderId = null;
    this.o.connections.removeEndpoint(id);
    const members = this.memberEndpoints();
    for (const other of this.nodes.values()) this.sendToNode(other.view.id, { type: 'peers', members });
    this.notifyWaiters();
  }

  memberIds(): NodeId[] {
    return [...this.nodes.keys()].sort((a, b) => a - b);
  }

  /** Nodes whose process died before it reported in: the others of a starting cluster would wait for them forever. */
  crashedBeforeHello(): NodeSlot[] {
    return [...this.nodes.values()].filter((slot) => slot.view.status === 'crashed' && !slot.configured);
  }

  allConfigured(): boolean {
    return [...this.nodes.values()].every((slot) => slot.configured || slot.view.status === 'crashed');
  }

  /** Configured, running, and its process alive: it can answer a query or take a step. */
  isAnswering(slot: NodeSlot): boolean {
    return slot.configured && slot.view.status === 'running' && !(slot.process?.isExited ?? true);
  }

  requireNode(id: NodeId): NodeSlot {
    const slot = this.nodes.get(id);
    if (!slot) throw new Error(`there is no node S${id} in this cluster`);
    return slot;
  }

  requireRunning(id: NodeId): NodeSlot {
    const slot = this.requireNode(id);
    if (!slot.process || slot.process.isExited) throw new Error(`S${id} is not running`);
    return slot;
  }

  updateNode(id: NodeId, patch: Partial<NodeView>, status: NodeStatus, reason: string): void {
    const slot = this.nodes.get(id);
    if (!slot) return;
    slot.view = { ...slot.view, ...patch, status };
    this.o.events.publish({ type: 'node-status', atNs: monotonicNowNs(), node: id, status, pid: slot.view.pid, reason });
  }

  waitUntil(condition: () => boolean, deadlineMs: number, what: string): Promise<void> {
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

  private onNodeExit(id: NodeId, slot: NodeSlot, code: number | null, signal: NodeJS.Signals | null,
    stderrTail: readonly string[]): void {
    if (this.nodes.get(id) !== slot) return;
    const expected = this.o.phase() === 'stopping';
    const how = signal ? `killed by ${signal}` : `exited with code ${String(code)}`;
    slot.clientEndpoint = null;
    this.lastStderr.set(id, stderrTail);
    if (signal === null && code !== 0) this.selfExitCount += 1;
    if (this.knownLeaderId === id) this.knownLeaderId = null;
    this.updateNode(id, { pid: null }, expected ? 'stopped' : 'crashed', `node process ${how}`);
    if (!expected && signal === null && code !== 0) {
      slot.lastFailure = `${how}: ${stderrTail.slice(-2).join(' | ') || 'no output'}`;
      this.o.events.publish({ type: 'error', atNs: monotonicNowNs(), node: id,
        message: `S${id} failed (${how}): ${stderrTail.slice(-3).join(' | ') || 'no output'}` });
    }
    this.notifyWaiters();
  }

  private async receiveLoop(): Promise<void> {
    try {
      for await (const [, payload] of this.o.control) {
        if (!payload) continue;
        const decoded = decodeNodeToLab(payload, this.secret);
        if (decoded.ok) this.onNodeFrame(decoded.value);
        else this.reportRejection(`rejected a control frame: ${decoded.error.slice(0, 300)}`);
      }
    } catch (error) {
      if (!this.o.isClosed()) this.reportRejection(`control socket failed: ${(error as Error).message}`);
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
      this.o.stepper.onPending(frame);
      this.notifyWaiters();
    } else if (frame.type === 'step-done') {
      this.o.stepper.onStepDone(frame);
      this.notifyWaiters();
    } else if (frame.type === 'held') {
      for (const id of frame.ids) this.o.stepper.onLanded(id);
      this.notifyWaiters();
    } else if (frame.type === 'membership-done') {
      const settle = this.pendingChanges.get(frame.changeId);
      this.pendingChanges.delete(frame.changeId);
      settle?.(frame.answer);
    } else if (frame.type === 'transfer-done') {
      const settle = this.pendingTransfers.get(frame.transferId);
      this.pendingTransfers.delete(frame.transferId);
      settle?.(frame.answer);
    } else for (const raw of frame.events) this.onNodeEvent(slot, raw);
  }

  private onHello(slot: NodeSlot, frame: Extract<NodeToLabFrame, { type: 'hello' }>): void {
    // A (re)started node is a follower with what it recovered from disk, whatever it was before it crashed.
    slot.view = { ...slot.view, peerEndpoint: frame.peerEndpoint, role: 'follower', term: frame.recovered.term, leaderId: null,
      commitIndex: 0, lastApplied: 0, lastLogIndex: frame.recovered.lastIndex, config: null, committedConfig: null, learner: false };
    slot.clientEndpoint = frame.clientEndpoint;
    slot.mirror.truncateTo(frame.recovered.lastIndex);
    this.o.connections.setEndpoint(frame.node, frame.clientEndpoint);
    this.o.events.publish({ type: 'node-alive', atNs: frame.atNs, node: frame.node, pid: frame.pid, peerEndpoint: frame.peerEndpoint });
    this.updateNode(frame.node, {}, 'running', recoveryNote(frame.recovered));
    if (this.o.phase() === 'starting') {
      // The first configuration names every member's endpoint: wait until all have said hello.
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
    const settings = this.o.settings();
    const tables = this.o.faults.tables(this.memberIds());
    this.sendToNode(slot.view.id, { type: 'configure', config: {
      members: this.memberEndpoints(),
      // A server added later starts with no configuration; the others with the one the cluster started with.
      bootstrapMembers: this.addedIds.has(slot.view.id) ? [] : [...this.bootstrapIds],
      electionTimeoutMs: [settings.electionTimeoutMs[0], settings.electionTimeoutMs[1]],
      heartbeatMs: settings.heartbeatMs,
      clock: this.o.clock.current,
      networkDelayMs: [...settings.networkDelayMs],
      preVote: settings.preVote,
      checkQuorum: settings.checkQuorum,
      bugs: [...settings.bugs],
      ...(settings.membershipMode === undefined ? {} : { membershipMode: settings.membershipMode }),
      ...(settings.snapshotEveryEntries === undefined ? {} : { snapshotEveryEntries: settings.snapshotEveryEntries }),
      ...(settings.snapshotKeepEntries === undefined ? {} : { snapshotKeepEntries: settings.snapshotKeepEntries }),
      randomSeed: settings.timerSeed,
      faults: tables[slot.view.id] ?? { outbound: {}, blockedFrom: [] },
      eventDetail: this.o.eventDetail,
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
      this.committedLog.learn(slot.mirror, event.state.commitIndex);
      const { role, term, votedFor, leaderId, commitIndex, lastApplied, lastLogIndex, config, committedConfig } = event.state;
      slot.view = { ...slot.view, role, term, votedFor, leaderId, commitIndex, lastApplied, lastLogIndex,
        ...(config === undefined ? {} : { config, learner: config.learners.includes(slot.view.id) }),
        ...(committedConfig === undefined ? {} : { committedConfig }) };
      if (role === 'leader') this.knownLeaderId = slot.view.id;
      else if (leaderId !== null) this.knownLeaderId = leaderId;
      // A wait on the cluster's state (a removal to commit) is re-checked with each state report: with less detail
      // than 'full' no message events come to wake it.
      if (this.waiters.size > 0) this.notifyWaiters();
    } else if (event.type === 'log-write') {
      slot.mirror.writeEntries(event.entries);
    } else if (event.type === 'message') {
      if (event.direction === 'send') {
        this.o.messageNotes.remember(event.id, { message: event.message, sentAtLabMs: event.sentAtLabMs, deliverAtLabMs: event.deliverAtLabMs });
      }
      else if (event.node === event.message.to) {
        this.o.stepper.onLanded(event.id);
        // A time-out on a running cluster waits for its messages to land: wake it (held frames do so while frozen).
        this.notifyWaiters();
      }
    }
    this.o.events.publish(event);
  }

  private memberEndpoints(): Record<string, string> {
    const members: Record<string, string> = {};
    for (const slot of this.nodes.values()) if (slot.view.peerEndpoint) members[String(slot.view.id)] = slot.view.peerEndpoint;
    return members;
  }

  reportRejection(message: string): void {
    // A flood of bad frames must not flood the UI: a few reports per second, the rest only counted.
    const nowMs = performance.now();
    if (nowMs - this.rejectionReports.windowStartMs > 1000) this.rejectionReports = { windowStartMs: nowMs, count: 0 };
    this.rejectionReports.count += 1;
    if (this.rejectionReports.count <= MAX_REJECTION_REPORTS_PER_SECOND) {
      this.o.events.publish({ type: 'error', atNs: monotonicNowNs(), node: null, message });
    }
  }
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

function initialView(id: NodeId): NodeView {
  return { id, status: 'starting', pid: null, peerEndpoint: null, role: 'follower', term: 0, votedFor: null,
    leaderId: null, commitIndex: 0, lastApplied: 0, lastLogIndex: 0, config: null, learner: false };
}

/** Sends a request to a node and waits for its answer under `id` in `pending`, or rejects with `timeoutMessage`. */
function awaitAnswer<T>(pending: Map<number, (answer: T) => void>, id: number, deadlineMs: number, timeoutMessage: string,
  send: () => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(timeoutMessage));
    }, deadlineMs);
    pending.set(id, (answer) => {
      clearTimeout(timer);
      resolve(answer);
    });
    send();
  });
}
