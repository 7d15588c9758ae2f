// Entry point of a relay node: the lab's node process for a student's own Raft ("bring your own Raft",
// docs/byo-raft.md). It runs the student's executable as its child and speaks Maelstrom's protocol with it on stdin
// and stdout, and to everything else it is a node like the built-in one: the same environment, lab link, peer
// transport (so link faults and partitions apply unchanged), network delay and delivery gate. Every message between
// nodes is reported to the lab (type = the body's type); a line that is not a valid message is reported and dropped.
//
// Start-up: spawn the student's node, send it `init`, wait for `init_ok`, and only then say hello to the lab: a node
// the lab counts as started is one that answered init. A node that exits (at start or later) takes its relay with it,
// and the relay's last words on stderr are the student's last lines of stderr: the lab shows the node crashed with
// them. The lab starts a relay in a process group of its own, so a crash (SIGKILL) and a pause (SIGSTOP) reach the
// student's process too; and the relay kills its child whenever it exits itself.
import { readNodeEnvironment } from '../node-env';
import { readRelayEnvironment } from './relay-env';
import { connectLabLink, type LabLink } from '../lab-link';
import { watchParent } from '../parent-watch';
import { monotonicNowNs } from '../../shared/monotonic-clock';
import { EventReporter } from '../reporting/event-reporter';
import { LabClock } from '../runtime/lab-clock';
import { NetworkDelay } from '../runtime/network-delay';
import { DeliveryGate } from '../runtime/delivery-gate';
import { HeldReporter } from '../reporting/held-reporter';
import { createFrameTransport, type FrameCodec, type FrameTransport, type SendFate } from '../transport/peer-transport';
import { CONTROL_PROTOCOL_VERSION, type EventDetail, type LabToNodeFrame, type NodeConfig } from '../../protocol/control';
import type { UnsequencedLabEvent } from '../../protocol/events';
import {
  decodeRelayFrame, encodeRelayFrame, isClientName, LAB_DEST, LAB_INIT_CLIENT, MAX_RELAY_FRAME_BYTES, nodeNameOf, nodeNumberOf,
  parseMaelstromLine, PROTOCOL_ERROR_MARK, RELAY_FRAME_VERSION, type MaelstromMessage, type RelayFrame,
} from '../../protocol/maelstrom';
import { StudentProcess } from './student-process';
import { bindClientSocket, type ClientSocket } from './client-socket';
import { maelstromMessageView } from './maelstrom-view';
import { LabExtension } from './lab-extension';
import { ProblemReports } from './problem-reports';

const INIT_DEADLINE_MS = 10_000;
const INIT_MSG_ID = 1;
/** How many of the student's last stderr lines the relay repeats when the student's node exits. */
const EXIT_STDERR_LINES = 12;
const MAX_EARLY_EVENTS = 1000;
/** How long a relay whose student died of SIGTERM waits for its own (the lab's stop reaches both) before reporting. */
const GROUP_SIGTERM_WAIT_MS = 500;

const RELAY_FRAME_CODEC: FrameCodec<RelayFrame> = {
  decode: decodeRelayFrame,
  encode: encodeRelayFrame,
  maxFrameBytes: MAX_RELAY_FRAME_BYTES,
  from: (frame) => frame.from,
  to: (frame) => frame.to,
  id: (frame) => frame.id,
};

class Relay {
  private link: LabLink | null = null;
  private reporter: EventReporter | null = null;
  private heldReporter: HeldReporter | null = null;
  private transport: FrameTransport<RelayFrame> | null = null;
  private clients: ClientSocket | null = null;
  private clock: LabClock | null = null;
  private networkDelay: NetworkDelay | null = null;
  private gate: DeliveryGate<RelayFrame> | null = null;
  private memberIds = new Set<number>();
  private eventDetail: EventDetail = 'full';
  private sentCount = 0;
  private initAnswered: (() => void) | null = null;
  private readonly extension: LabExtension;
  private readonly problems: ProblemReports;
  private exiting = false;
  private sigtermWaited = false;
  private readonly early: UnsequencedLabEvent[] = [];
  readonly name: string;
  readonly student: StudentProcess;

  constructor(private readonly nodeId: number, dataDir: string, command: string, args: readonly string[],
    private readonly clusterSize: number, private readonly secret: string) {
    this.name = nodeNameOf(nodeId);
    this.extension = new LabExtension(nodeId, monotonicNowNs);
    this.problems = new ProblemReports((message) => {
      if (!this.reporter) process.stderr.write(`${this.name}: ${message}\n`); // the lab may never hear from us (a failed start)
      this.report({ type: 'error', atNs: monotonicNowNs(), node: nodeId, message: `${this.name}: ${message}` });
    });
    this.student = new StudentProcess({
      command, args, cwd: dataDir,
      onLine: (line) => this.onStudentLine(line),
      onOverlongLine: (head) => this.protocolError(`dropped a line longer than the limit: ${head}…`),
      onFlood: (description) => this.stop(1, `${this.name} floods its stdout: ${description}; the lab stopped it`),
      onExit: (code, signal, tail) => this.onStudentExit(code, signal, tail),
    });
  }

  /** Sends init and resolves once init_ok came back; rejects when the node exits or does not answer in time. */
  async init(): Promise<void> {
    const answered = new Promise<void>((resolve) => { this.initAnswered = resolve; });
    const ids = Array.from({ length: this.clusterSize }, (_, i) => nodeNameOf(i + 1));
    this.student.write(JSON.stringify({ src: LAB_INIT_CLIENT, dest: this.name,
      body: { type: 'init', msg_id: INIT_MSG_ID, node_id: this.name, node_ids: ids } }));
    let timer: NodeJS.Timeout | null = null;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name} did not answer init with init_ok (in_reply_to ${INIT_MSG_ID}) ` +
        `within ${INIT_DEADLINE_MS / 1000} s`)), INIT_DEADLINE_MS);
    });
    try {
      await Promise.race([answered, late]);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  async connect(controlEndpoint: string): Promise<void> {
    this.transport = await createFrameTransport<RelayFrame>({
      selfId: this.nodeId,
      onMessage: (frame) => this.gate?.offer(frame),
      onSent: (frame, fate) => this.onSent(frame, fate),
      onInboundBlocked: (frame) => this.reportMessage('drop', frame, 'link blocked (partition, receiving side)'),
      onInvalidFrame: (info) => this.problems.report(`dropped an invalid peer frame (${info.bytes} bytes): ${info.error.slice(0, 300)}`),
    }, RELAY_FRAME_CODEC);
    this.clients = await bindClientSocket({
      nodeName: this.name,
      onRequest: (message) => {
        if (!this.student.write(JSON.stringify(message))) this.problems.report(`${this.name} is not reading its stdin: dropped a client request`);
      },
      onInvalid: (error) => this.problems.report(`dropped a client frame: ${error.slice(0, 300)}`),
    });
    const link = await connectLabLink({
      endpoint: controlEndpoint,
      nodeId: this.nodeId,
      secret: this.secret,
      onFrame: (frame) => this.onControl(frame),
      onInvalidFrame: (error) => this.problems.report(`rejected a control frame: ${error}`),
    });
    this.link = link;
    this.reporter = new EventReporter(link, this.nodeId, this.secret);
    for (const event of this.early.splice(0)) this.reporter.report(event);
    this.heldReporter = new HeldReporter((ids) => link.send({ v: CONTROL_PROTOCOL_VERSION, secret: this.secret, type: 'held',
      node: this.nodeId, pid: process.pid, ids }));
    link.send({
      v: CONTROL_PROTOCOL_VERSION, secret: this.secret, type: 'hello', node: this.nodeId, pid: process.pid,
      peerEndpoint: this.transport.endpoint, clientEndpoint: this.clients.endpoint, atNs: monotonicNowNs(),
      recovered: { term: 0, lastIndex: 0, tornTailBytes: 0 },
    });
  }

  // ---- what the student's node writes ----------------------------------------------------------------------------

  private onStudentLine(line: string): void {
    const parsed = parseMaelstromLine(line);
    if (!parsed.ok) {
      this.protocolError(`dropped a malformed line (${parsed.problem}): ${line.slice(0, 300)}`);
      return;
    }
    const message = parsed.message;
    if (message.src !== this.name) {
      this.protocolError(`dropped a message whose src is "${message.src}" (this node is ${this.name}): ${line.slice(0, 300)}`);
      return;
    }
    if (message.dest === LAB_DEST) {
      const result = this.extension.handle(message.body);
      if (result.ok) for (const event of result.events) this.report(event);
      else this.protocolError(`dropped a message to the lab (${result.problem})`);
      return;
    }
    if (isClientName(message.dest)) {
      this.onClientReply(message, line);
      return;
    }
    const to = nodeNumberOf(message.dest);
    if (to === null || to === this.nodeId || !this.isMember(to)) {
      this.protocolError(`dropped a message to unknown dest "${message.dest}" (nodes are n1..n${this.clusterSize}, ` +
        `clients c1, c2, …, and "lab"): ${line.slice(0, 300)}`);
      return;
    }
    this.sendToPeer(to, message);
  }

  private onClientReply(message: MaelstromMessage, line: string): void {
    if (message.dest === LAB_INIT_CLIENT) {
      if (message.body.type === 'init_ok' && message.body.in_reply_to === INIT_MSG_ID && this.initAnswered) {
        this.initAnswered();
        this.initAnswered = null;
      } else if (message.body.type !== 'init_ok') {
        this.protocolError(`answered init with "${message.body.type}" instead of init_ok: ${line.slice(0, 300)}`);
      }
      return;
    }
    // No client has reached this node yet, and many messages to clients already wait for one.
    if (!(this.clients?.reply(message) ?? false)) {
      this.problems.report(`dropped a message to client ${message.dest}: no client has reached ${this.name} yet`);
    }
  }

  private sendToPeer(to: number, message: MaelstromMessage): void {
    const transport = this.transport;
    this.sentCount += 1;
    const delay = this.networkDelay;
    const clock = this.clock;
    const deliverAt = delay && clock && !delay.isZero ? { deliverAtMs: clock.nowMs() + delay.sampleMs() } : {};
    const frame: RelayFrame = { v: RELAY_FRAME_VERSION, id: `${this.nodeId}.${process.pid.toString(36)}-${this.sentCount}`,
      sentAtNs: monotonicNowNs(), ...deliverAt, from: this.nodeId, to, msg: message };
    if (!transport) {
      this.reportMessage('drop', frame, 'sent before the lab connected this node to its peers');
      return;
    }
    transport.send(frame); // reported through onSent, with its fate
  }

  private onSent(frame: RelayFrame, fate: SendFate): void {
    const dropped = fate === 'dropped' || fate === 'blocked';
    this.reportMessage(dropped ? 'drop' : 'send', frame,
      fate === 'blocked' ? 'link blocked (partition)' : fate === 'dropped' ? 'lost (injected loss, full queue or peer not connected)' : null);
  }

  /** A peer's message is due: to the student's stdin. */
  private deliver(frame: RelayFrame): void {
    if (!this.student.write(JSON.stringify(frame.msg))) {
      this.reportMessage('drop', frame, `${this.name} is not reading its stdin (or has exited)`);
      return;
    }
    this.reportMessage('receive', frame, null);
  }

  private reportMessage(direction: 'send' | 'receive' | 'drop', frame: RelayFrame, dropReason: string | null): void {
    if (this.eventDetail === 'quiet') return;
    const labTimes = direction === 'send' && frame.deliverAtMs !== undefined && this.clock
      ? { sentAtLabMs: this.clock.nowMs(), deliverAtLabMs: frame.deliverAtMs } : {};
    this.report({ type: 'message', atNs: monotonicNowNs(), node: this.nodeId, direction, id: frame.id,
      message: maelstromMessageView(frame.msg, frame.from, frame.to), dropReason, ...labTimes });
  }

  private protocolError(text: string): void {
    this.problems.report(`${PROTOCOL_ERROR_MARK} ${text}`);
  }

  /** Before the lab link is up (while the node starts), events wait here, bounded; the first ones are kept. */
  private report(event: UnsequencedLabEvent): void {
    if (this.reporter) this.reporter.report(event);
    else if (this.early.length < MAX_EARLY_EVENTS) this.early.push(event);
  }

  private isMember(id: number): boolean {
    return this.memberIds.size === 0 ? id >= 1 && id <= this.clusterSize : this.memberIds.has(id);
  }

  // ---- the lab's control ---------------------------------------------------------------------------------------

  private onControl(frame: LabToNodeFrame): void {
    switch (frame.type) {
      case 'shutdown':
        this.stop(0, 'the lab asked us to stop');
        break;
      case 'configure':
        this.configure(frame.config);
        break;
      case 'peers':
        this.setPeers(frame.members);
        break;
      case 'faults':
        this.transport?.setFaults(frame.faults);
        if (frame.version !== undefined) {
          this.link?.send({ v: CONTROL_PROTOCOL_VERSION, secret: this.secret, type: 'faults-applied', node: this.nodeId,
            pid: process.pid, version: frame.version });
        }
        break;
      case 'clock':
        this.clock?.apply(frame.clock);
        this.networkDelay?.set(frame.networkDelayMs);
        this.transport?.setTimeScale(frame.clock.timeScale);
        this.gate?.clockChanged();
        break;
      case 'query': {
        // The student's timers are its own: the lab can hold its messages, not its clock.
        const next = this.gate?.next();
        this.reporter?.flush();
        this.link?.send({ v: CONTROL_PROTOCOL_VERSION, secret: this.secret, type: 'pending', node: this.nodeId, pid: process.pid,
          queryId: frame.queryId, nextTimerMs: null, nextHeld: next ? { id: next.frame.id, deliverAtMs: next.deliverAtMs } : null });
        break;
      }
      case 'step':
        this.step(frame.stepId, frame.action, frame.messageId);
        break;
      case 'membership':
        // A student's own Raft is driven through Maelstrom's protocol, which has no membership changes.
        this.link?.send({ v: CONTROL_PROTOCOL_VERSION, secret: this.secret, type: 'membership-done', node: this.nodeId,
          pid: process.pid, changeId: frame.changeId,
          answer: { ok: false, index: null, leaderHint: null, error: 'a student\'s own Raft (raft-lab maelstrom) has no membership changes' } });
        break;
      case 'transfer':
        this.link?.send({ v: CONTROL_PROTOCOL_VERSION, secret: this.secret, type: 'transfer-done', node: this.nodeId,
          pid: process.pid, transferId: frame.transferId,
          answer: { ok: false, leaderHint: null, error: 'a student\'s own Raft (Maelstrom\'s protocol) has no leadership transfer' } });
        break;
    }
  }

  private step(stepId: number, action: string, messageId: string | undefined): void {
    const gate = this.gate;
    let error: string | null = null;
    let copyId: string | undefined;
    const notHeld = `message ${messageId ?? '(none)'} is not waiting at S${this.nodeId}`;
    if (!gate) error = `S${this.nodeId} is not configured yet`;
    else if (action === 'deliver') error = messageId !== undefined && gate.deliverNow(messageId) ? null : notHeld;
    else if (action === 'drop') {
      const dropped = messageId === undefined ? undefined : gate.drop(messageId);
      if (dropped) this.reportMessage('drop', dropped, 'dropped by hand in the lab');
      else error = notHeld;
    } else if (action === 'duplicate') {
      copyId = messageId === undefined ? undefined : gate.duplicate(messageId) ?? undefined;
      if (copyId === undefined) error = notHeld;
    } else error = `${this.name} runs its own timers: the lab cannot fire them`;
    this.reporter?.flush();
    this.link?.send({ v: CONTROL_PROTOCOL_VERSION, secret: this.secret, type: 'step-done', node: this.nodeId, pid: process.pid,
      stepId, sent: [], error, ...(copyId === undefined ? {} : { copyId }) });
  }

  private configure(config: NodeConfig): void {
    if (this.gate) return; // configured once per process; a restart is a new process
    this.eventDetail = config.eventDetail;
    this.setPeers(config.members);
    this.transport?.setFaults(config.faults);
    this.transport?.setTimeScale(config.clock.timeScale);
    const clock = new LabClock(config.clock);
    this.clock = clock;
    this.networkDelay = new NetworkDelay(config.networkDelayMs, config.randomSeed, this.nodeId);
    this.gate = new DeliveryGate<RelayFrame>({
      clock,
      deliver: (frame) => this.deliver(frame),
      onHeldWhileFrozen: (frame) => this.heldReporter?.add(frame.id),
      onOverflow: (frame) => this.reportMessage('drop', frame, `S${this.nodeId}'s inbox of waiting messages is full`),
    });
  }

  private setPeers(members: Readonly<Record<string, string>>): void {
    const peers = Object.fromEntries(Object.entries(members).map(([id, endpoint]) => [Number(id), endpoint]));
    this.memberIds = new Set(Object.keys(peers).map(Number));
    this.transport?.setPeers(peers);
  }

  // ---- ending --------------------------------------------------------------------------------------------------

  private onStudentExit(code: number | null, signal: NodeJS.Signals | null, tail: readonly string[]): void {
    if (this.exiting) return;
    if (signal === 'SIGTERM' && !this.sigtermWaited) {
      // The lab stops a node by signalling its whole process group: the student's node may die of that SIGTERM before
      // the relay has handled its own, and must not then be reported as a node that exited by itself (summary's
      // nodeExits). The relay's own SIGTERM, if it comes, stops it first.
      this.sigtermWaited = true;
      setTimeout(() => this.onStudentExit(code, signal, tail), GROUP_SIGTERM_WAIT_MS);
      return;
    }
    const how = signal ? `was killed by ${signal}` : code === null ? 'could not be run' : `exited with code ${code}`;
    const lines = tail.slice(-EXIT_STDERR_LINES);
    const said = lines.length > 0 ? `; its last lines of stderr:\n${lines.join('\n')}` : '; it wrote nothing on stderr';
    this.stop(1, `${this.name} (your node) ${how}${said}`);
  }

  /** Ends the relay (and with it the student's node): the lab sees the exit and the last lines of stderr. */
  stop(exitCode: number, why: string): void {
    if (this.exiting) return;
    this.exiting = true;
    this.student.kill();
    this.gate?.close();
    if (exitCode !== 0) this.report({ type: 'error', atNs: monotonicNowNs(), node: this.nodeId, message: `S${this.nodeId}: ${why}`.slice(0, 4000) });
    this.reporter?.flush();
    process.stderr.write(exitCode === 0 ? `relay of ${this.name}: stopped (${why})\n` : `${why}\n`);
    // A moment for the last frames to leave (ZeroMQ sends on its own thread), then out.
    setTimeout(() => process.exit(exitCode), exitCode === 0 ? 0 : 100);
  }
}

async function main(): Promise<void> {
  const env = readNodeEnvironment(process.env);
  const relayEnv = readRelayEnvironment(process.env);
  const relay = new Relay(env.nodeId, env.dataDir, relayEnv.command, relayEnv.args, relayEnv.clusterSize, env.secret);
  // The child dies with us, however we end (except by SIGKILL: the lab signals our whole process group for that).
  process.on('exit', () => relay.student.kill());
  watchParent((why) => relay.stop(0, why));
  process.once('SIGTERM', () => relay.stop(0, 'SIGTERM'));
  try {
    await relay.init();
  } catch (error) {
    if (!relay.student.isExited) relay.stop(1, `${(error as Error).message}${stderrOf(relay.student.lastStderrLines)}`);
    return; // an exit was already reported by onStudentExit
  }
  await relay.connect(env.controlEndpoint);
}

function stderrOf(lines: readonly string[]): string {
  const shown = lines.slice(-EXIT_STDERR_LINES);
  return shown.length > 0 ? `; its last lines of stderr:\n${shown.join('\n')}` : '';
}

main().catch((error: unknown) => {
  process.stderr.write(`relay node: fatal: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
