// Entry point of one Raft node process. Started by the lab (never by hand): it reads who it is from the
// environment, recovers its write-ahead log, binds its peer and client sockets on loopback, reports to the lab,
// runs Raft once the lab has told it the cluster's members, and exits when the lab is gone.
import { logEntryView } from './reporting/log-entry-view';
import { readNodeEnvironment, type NodeEnvironment } from './node-env';
import { connectLabLink, type LabLink } from './lab-link';
import { watchParent } from './parent-watch';
import { monotonicNowNs } from '../shared/monotonic-clock';
import { openWal, type OpenedWal } from './storage';
import { createPeerTransport, type PeerTransport } from './transport/peer-transport';
import { startClientServer } from './client-server';
import { EventReporter } from './reporting/event-reporter';
import { RaftRuntime } from './runtime/raft-runtime';
import { LabClock } from './runtime/lab-clock';
import { NetworkDelay } from './runtime/network-delay';
import { DeliveryGate } from './runtime/delivery-gate';
import { HeldReporter } from './reporting/held-reporter';
import { EventLoopScheduler } from './runtime/event-loop-scheduler';
import { CONTROL_PROTOCOL_VERSION, type LabToNodeFrame, type NodeConfig, type StepAction } from '../protocol/control';
import type { PeerFrame } from '../protocol/wire';
import type { SendFate } from './transport/peer-transport';
import { createRaftNode, type BugName } from '../raft';
import { KvStateMachine } from '../kv/state-machine';
import { NODE_SNAPSHOT_CHUNK_CHARS, snapshotPolicyOf } from './runtime/snapshot-policy';
import { kvStateEvent } from './reporting/kv-state-report';

/** With the `ack-before-persist` bug, unsynced writes stay this long in memory, where a SIGKILL loses them. */
const BUGGY_UNSYNCED_HOLD_MS = 1000;
const RECOVERED_LOG_CHUNK = 1024;
/** A step report names at most this many frames (the control schema's bound). */
const MAX_REPORTED_STEP_SENDS = 1000;

class NodeProcessMain {
  private runtime: RaftRuntime | null = null;
  private clock: LabClock | null = null;
  private networkDelay: NetworkDelay | null = null;
  private gate: DeliveryGate | null = null;
  private heldReporter!: HeldReporter;
  /** While a step runs: the frames it handed to the network (its report to the lab lists them). */
  private stepSends: { id: string; to: number }[] | null = null;
  private reporter!: EventReporter;
  private link!: LabLink;

  constructor(private readonly env: NodeEnvironment, private opened: OpenedWal, private readonly transport: PeerTransport) {}

  async connect(clientEndpoint: string): Promise<void> {
    this.link = await connectLabLink({
      endpoint: this.env.controlEndpoint,
      nodeId: this.env.nodeId,
      secret: this.env.secret,
      onFrame: (frame) => void this.onControl(frame).catch((error: unknown) => this.fatal(error)),
      onInvalidFrame: (error) => this.reportError(`rejected a control frame: ${error}`),
    });
    this.reporter = new EventReporter(this.link, this.env.nodeId, this.env.secret);
    this.heldReporter = new HeldReporter((ids) => this.link.send({ v: CONTROL_PROTOCOL_VERSION, secret: this.env.secret,
      type: 'held', node: this.env.nodeId, pid: process.pid, ids }));
    const { report } = this.opened;
    if (report.removedSnapshotFiles.length > 0) {
      this.reportError(`recovered ${report.path}: deleted snapshot files no record refers to (a crash while compacting): ` +
        report.removedSnapshotFiles.join(', '));
    }
    if (report.tornTail) {
      this.reportError(`recovered ${report.path}: cut a torn tail of ${report.tornTail.droppedBytes} bytes at offset ` +
        `${report.tornTail.offset} (${report.tornTail.reason}); everything before it is intact`);
    }
    this.link.send({
      v: CONTROL_PROTOCOL_VERSION, secret: this.env.secret, type: 'hello', node: this.env.nodeId, pid: process.pid,
      peerEndpoint: this.transport.endpoint, clientEndpoint, atNs: monotonicNowNs(),
      recovered: { term: report.term, lastIndex: report.lastIndex, snapshotIndex: report.snapshotIndex,
        votedFor: this.opened.recovered.hardState.votedFor, tornTailBytes: report.tornTail?.droppedBytes ?? 0 },
    });
    this.reportRecoveredLog();
  }

  /** The lab (and the UI) learn a restarted node's log from it: what it recovered is its log now. */
  private reportRecoveredLog(): void {
    const entries = this.opened.recovered.entries;
    for (let start = 0; start < entries.length; start += RECOVERED_LOG_CHUNK) {
      this.reporter.report({ type: 'log-write', atNs: monotonicNowNs(), node: this.env.nodeId,
        entries: entries.slice(start, start + RECOVERED_LOG_CHUNK).map(logEntryView) });
    }
  }

  get activeRuntime(): RaftRuntime | null {
    return this.runtime;
  }

  /** A valid peer frame arrived on an open link: it waits for its due time (and while frozen) at the gate. */
  onPeerFrame(frame: PeerFrame): void {
    this.gate?.offer(frame);
  }

  onSent(frame: PeerFrame, fate: SendFate): void {
    this.runtime?.onSent(frame, fate);
    if (this.stepSends && (fate === 'sent' || fate === 'duplicated')) this.stepSends.push({ id: frame.id, to: frame.msg.to });
  }

  reportError(message: string): void {
    this.reporter.report({ type: 'error', atNs: monotonicNowNs(), node: this.env.nodeId, message: `S${this.env.nodeId}: ${message}`.slice(0, 4000) });
  }

  fatal(error: unknown): never {
    const text = error instanceof Error ? error.message : String(error);
    process.stderr.write(`raft node ${this.env.nodeId}: fatal: ${text}\n`);
    try {
      this.reportError(`stopped: ${text}`);
      this.reporter.flush();
    } finally {
      setTimeout(() => process.exit(1), 100);
    }
    throw error instanceof Error ? error : new Error(text);
  }

  private async onControl(frame: LabToNodeFrame): Promise<void> {
    switch (frame.type) {
      case 'shutdown':
        await this.shutdown('the lab asked us to stop');
        break;
      case 'configure':
        await this.configure(frame.config);
        break;
      case 'peers':
        this.transport.setPeers(membersOf(frame.members));
        break;
      case 'faults':
        this.transport.setFaults(frame.faults);
        if (frame.version !== undefined) {
          this.link.send({ v: CONTROL_PROTOCOL_VERSION, secret: this.env.secret, type: 'faults-applied', node: this.env.nodeId,
            pid: process.pid, version: frame.version });
        }
        break;
      case 'clock':
        this.clock?.apply(frame.clock);
        this.networkDelay?.set(frame.networkDelayMs);
        this.transport.setTimeScale(frame.clock.timeScale);
        this.runtime?.reschedule();
        this.gate?.clockChanged();
        break;
      case 'query':
        await this.answerQuery(frame.queryId);
        break;
      case 'step':
        await this.step(frame.stepId, frame.action, frame.messageId);
        break;
      case 'membership': {
        const answer = this.runtime?.proposeMembership(frame.change)
          ?? { ok: false, index: null, leaderHint: null, error: `S${this.env.nodeId} is not running Raft yet` };
        this.reporter.flush(); // the change's events reach the lab before its answer (one socket, in order)
        this.link.send({ v: CONTROL_PROTOCOL_VERSION, secret: this.env.secret, type: 'membership-done', node: this.env.nodeId,
          pid: process.pid, changeId: frame.changeId, answer });
        break;
      }
      case 'transfer': {
        const answer = this.runtime?.transferLeadership(frame.to)
          ?? { ok: false, leaderHint: null, error: `S${this.env.nodeId} is not running Raft yet` };
        this.reporter.flush(); // the transfer's events reach the lab before its answer
        this.link.send({ v: CONTROL_PROTOCOL_VERSION, secret: this.env.secret, type: 'transfer-done', node: this.env.nodeId,
          pid: process.pid, transferId: frame.transferId, answer });
        break;
      }
    }
  }

  /**
   * Answered once what the node had started has played out (writes synced, messages sent, events flushed): a
   * freeze waits for these answers, so that nothing the node does afterwards surprises the student.
   */
  private async answerQuery(queryId: number): Promise<void> {
    if (this.runtime) await this.runtime.settled();
    this.reporter.flush();
    const next = this.gate?.next();
    this.link.send({ v: CONTROL_PROTOCOL_VERSION, secret: this.env.secret, type: 'pending', node: this.env.nodeId,
      pid: process.pid, queryId, nextTimerMs: this.runtime?.nextTimerMs() ?? null,
      nextHeld: next ? { id: next.frame.id, deliverAtMs: next.deliverAtMs } : null });
  }

  /** One thing, on the lab's word; reported once its effects are durable and its messages sent. */
  private async step(stepId: number, action: StepAction, messageId: string | undefined): Promise<void> {
    const sent: { id: string; to: number }[] = [];
    this.stepSends = sent;
    let error: string | null = null;
    let copyId: string | undefined;
    try {
      if (action === 'duplicate') {
        copyId = messageId === undefined ? undefined : this.gate?.duplicate(messageId) ?? undefined;
        error = copyId === undefined ? `message ${messageId ?? '(none)'} is not waiting at S${this.env.nodeId} (or cannot be copied)` : null;
      } else {
        error = this.doStep(action, messageId);
      }
      if (this.runtime) await this.runtime.settled();
    } finally {
      this.stepSends = null;
    }
    this.reporter.flush(); // the step's events reach the lab before its report (one socket, in order)
    this.link.send({ v: CONTROL_PROTOCOL_VERSION, secret: this.env.secret, type: 'step-done', node: this.env.nodeId,
      pid: process.pid, stepId, sent: sent.slice(0, MAX_REPORTED_STEP_SENDS), error, ...(copyId === undefined ? {} : { copyId }) });
  }

  private doStep(action: Exclude<StepAction, 'duplicate'>, messageId: string | undefined): string | null {
    const runtime = this.runtime;
    const gate = this.gate;
    if (!runtime || !gate) return `S${this.env.nodeId} is not running Raft yet`;
    const notHeld = `message ${messageId ?? '(none)'} is not waiting at S${this.env.nodeId}`;
    switch (action) {
      case 'timer':
        runtime.fireDueTimers();
        return null;
      case 'timeout':
        runtime.timeoutNow();
        return null;
      case 'deliver':
        return messageId !== undefined && gate.deliverNow(messageId) ? null : notHeld;
      case 'drop': {
        const dropped = messageId === undefined ? undefined : gate.drop(messageId);
        if (!dropped) return notHeld;
        runtime.reportDropped(dropped, 'dropped by hand in the lab');
        return null;
      }
    }
  }

  private async configure(config: NodeConfig): Promise<void> {
    if (this.runtime) return; // configured once per process; a restart is a new process
    const bugs = config.bugs as BugName[];
    if (bugs.includes('ack-before-persist')) {
      await this.opened.wal.close();
      this.opened = await openWal(this.env.dataDir, { unsyncedHoldMs: BUGGY_UNSYNCED_HOLD_MS });
    }
    const members = membersOf(config.members);
    this.transport.setPeers(members);
    this.transport.setFaults(config.faults);
    this.transport.setTimeScale(config.clock.timeScale);
    const clock = new LabClock(config.clock);
    this.clock = clock;
    const networkDelay = new NetworkDelay(config.networkDelayMs, config.randomSeed, this.env.nodeId);
    this.networkDelay = networkDelay;
    // The state machine starts from the recovered snapshot; the core then starts with lastApplied at its index and
    // hands out the committed entries after it. A snapshot the KV refuses stops the node here, before it does anything.
    const kv = new KvStateMachine();
    const recoveredSnapshot = this.opened.recovered.snapshot;
    if (recoveredSnapshot) {
      try {
        kv.restoreSnapshot(recoveredSnapshot.lastIncludedIndex, recoveredSnapshot.data);
      } catch (error) {
        throw new Error(`cannot restore the recovered snapshot up to entry ${recoveredSnapshot.lastIncludedIndex} from ` +
          `${this.env.dataDir}: ${error instanceof Error ? error.message : String(error)}`);
      }
      // The UI knows this node's KV only from entries it saw applied; the snapshot's part it must be told.
      this.reporter.report(kvStateEvent(this.env.nodeId, monotonicNowNs(), recoveredSnapshot.lastIncludedIndex, kv.snapshotData()));
    }
    const core = createRaftNode({
      id: this.env.nodeId,
      members: config.bootstrapMembers !== undefined ? [...config.bootstrapMembers].sort((a, b) => a - b)
        : Object.keys(members).map(Number).sort((a, b) => a - b),
      membershipMode: config.membershipMode ?? 'single-server',
      electionTimeoutMs: config.electionTimeoutMs,
      heartbeatMs: config.heartbeatMs,
      randomSeed: config.randomSeed,
      preVote: config.preVote,
      checkQuorum: config.checkQuorum,
      bugs,
      maxSnapshotChunkChars: NODE_SNAPSHOT_CHUNK_CHARS,
      // A snapshot from the leader is installed only if the KV can restore it (a forged one must not stop the node).
      snapshotProblem: (snapshot) => kv.snapshotProblem(snapshot.lastIncludedIndex, snapshot.data),
    }, this.opened.recovered, clock.nowMs());
    const runtime = new RaftRuntime({
      nodeId: this.env.nodeId, core, wal: this.opened.wal, transport: this.transport, clock,
      scheduler: new EventLoopScheduler(clock), networkDelay, kv, bugs,
      reporter: this.reporter, eventDetail: config.eventDetail, snapshotPolicy: snapshotPolicyOf(config, this.env.snapshotPolicy),
      onError: (message) => this.reportError(message), onLogCompacted: collectGarbage, onFatal: (error) => this.fatal(error),
    });
    this.runtime = runtime;
    this.gate = new DeliveryGate({
      clock,
      deliver: (frame) => runtime.onPeerFrame(frame),
      onHeldWhileFrozen: (frame) => this.heldReporter.add(frame.id),
      onOverflow: (frame) => runtime.reportDropped(frame, `S${this.env.nodeId}'s inbox of waiting messages is full`),
    });
    runtime.start();
  }

  async shutdown(why: string): Promise<void> {
    this.runtime?.stop();
    this.gate?.close();
    this.reporter?.flush();
    await this.opened.wal.close().catch(() => undefined);
    process.stderr.write(`raft node ${this.env.nodeId}: exiting: ${why}\n`);
    process.exit(0);
  }
}

/**
 * A full garbage collection, when the node was started with --expose-gc (node-launcher.ts does); otherwise nothing.
 * Run after each log compaction: see RaftRuntimeOptions.onLogCompacted.
 */
function collectGarbage(): void {
  const gc: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof gc === 'function') (gc as () => void)();
}

function membersOf(members: Readonly<Record<string, string>>): Record<number, string> {
  return Object.fromEntries(Object.entries(members).map(([id, endpoint]) => [Number(id), endpoint]));
}

async function main(): Promise<void> {
  const env = readNodeEnvironment(process.env);
  // Recover first: a corrupt log must stop the node before it says or does anything.
  const opened = await openWal(env.dataDir);
  let node: NodeProcessMain | null = null;
  const transport = await createPeerTransport({
    selfId: env.nodeId,
    onMessage: (frame) => node?.onPeerFrame(frame),
    onSent: (frame, fate) => node?.onSent(frame, fate),
    onInboundBlocked: (frame) => node?.activeRuntime?.onInboundBlocked(frame),
    onInvalidFrame: (info) => node?.reportError(`dropped an invalid peer frame (${info.bytes} bytes): ${info.error.slice(0, 300)}`),
  });
  node = new NodeProcessMain(env, opened, transport);
  const mainNode = node;
  watchParent((why) => void mainNode.shutdown(why));
  process.once('SIGTERM', () => void mainNode.shutdown('SIGTERM'));
  const clients = await startClientServer({
    nodeId: env.nodeId,
    onRequest: (request, reply) => {
      const runtime = mainNode.activeRuntime;
      if (!runtime) reply({ status: 'retry', value: null, leaderHint: null, index: null, error: 'node is starting' });
      else runtime.handleClient(request, reply);
    },
    onInvalid: (error) => mainNode.reportError(`dropped an invalid client frame: ${error.slice(0, 300)}`),
  });
  await node.connect(clients.endpoint);
}

main().catch((error: unknown) => {
  process.stderr.write(`raft node: fatal: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
