// The lab controller: starts node processes, listens to them on its control socket, and turns what they report
// into the one event stream and the cluster view that the UI, the recorder and the checkers share.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import { CONTROL_PROTOCOL_VERSION, decodeNodeToLab, encodeControlFrame, type NodeToLabFrame } from '../protocol/control';
import {
  DEFAULT_SETTINGS,
  type ClusterPhase,
  type ClusterSettings,
  type LabApi,
  type LabSnapshot,
  type NodeStatus,
  type NodeView,
} from '../protocol/lab-api';
import type { LabEvent } from '../protocol/events';
import { monotonicNowNs } from '../node/clock';
import { EventHub } from './event-hub';
import { defaultNodeLauncher, type NodeLauncher } from './node-launcher';
import { NodeProcess } from './node-process';

const STOP_GRACE_MS = 2000;
const START_DEADLINE_MS = 15_000;

export interface LabControllerOptions {
  readonly launcher?: NodeLauncher;
  /** Where node data directories live; a fresh temporary directory by default (removed at shutdown). */
  readonly dataRoot?: string;
  /** Largest cluster allowed: 9 for the UI, up to 25 headless. */
  readonly maxNodes?: number;
}

interface NodeSlot {
  view: NodeView;
  process: NodeProcess | null;
}

export class LabController implements LabApi {
  readonly events = new EventHub();
  private readonly secret = randomBytes(24).toString('hex');
  private readonly nodes = new Map<number, NodeSlot>();
  private phase: ClusterPhase = 'stopped';
  private settings: ClusterSettings = DEFAULT_SETTINGS;
  private readonly ownsDataRoot: boolean;
  private readonly dataRoot: string;
  private closed = false;
  private readonly aliveWaiters = new Set<() => void>();

  private constructor(
    private readonly control: zmq.Router,
    readonly controlEndpoint: string,
    private readonly launcher: NodeLauncher,
    private readonly maxNodes: number,
    dataRoot: string | undefined,
  ) {
    this.ownsDataRoot = dataRoot === undefined;
    this.dataRoot = dataRoot ?? mkdtempSync(join(tmpdir(), 'raft-lab-'));
    mkdirSync(this.dataRoot, { recursive: true });
    void this.receiveLoop();
  }

  static async create(options: LabControllerOptions = {}): Promise<LabController> {
    const control = new zmq.Router({ linger: 0, maxMessageSize: 1024 * 1024, receiveHighWaterMark: 100_000 });
    await control.bind('tcp://127.0.0.1:*');
    const endpoint = control.lastEndpoint;
    if (!endpoint) throw new Error('raft-lab: control socket did not report its endpoint');
    return new LabController(control, endpoint, options.launcher ?? defaultNodeLauncher(), options.maxNodes ?? 9,
      options.dataRoot);
  }

  async getSnapshot(): Promise<LabSnapshot> {
    return this.snapshot();
  }

  async startCluster(patch: Partial<ClusterSettings>): Promise<LabSnapshot> {
    this.assertOpen();
    if (this.phase !== 'stopped') await this.stopCluster();
    const settings: ClusterSettings = { ...this.settings, ...patch };
    if (settings.nodeCount < 1 || settings.nodeCount > this.maxNodes) {
      throw new Error(`node count must be between 1 and ${this.maxNodes}, got ${settings.nodeCount}`);
    }
    this.settings = settings;
    this.setPhase('starting');
    for (let id = 1; id <= settings.nodeCount; id += 1) this.spawnNode(id);
    await this.waitUntil(() => [...this.nodes.values()].every((slot) => slot.view.status !== 'starting'),
      START_DEADLINE_MS, 'nodes to report alive');
    this.setPhase('running');
    return this.snapshot();
  }

  async stopCluster(): Promise<LabSnapshot> {
    if (this.phase === 'stopped') return this.snapshot();
    this.setPhase('stopping');
    await Promise.all([...this.nodes.values()].map(async (slot) => {
      if (slot.process) {
        this.sendToNode(slot.view.id, { type: 'shutdown' });
        await slot.process.stop(STOP_GRACE_MS);
      }
    }));
    this.nodes.clear();
    this.setPhase('stopped');
    return this.snapshot();
  }

  subscribe(listener: (events: readonly LabEvent[]) => void): () => void {
    return this.events.subscribe(listener);
  }

  /** Stop everything and release the sockets; the controller cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.stopCluster();
    this.closed = true;
    this.events.close();
    this.control.close();
    if (this.ownsDataRoot) rmSync(this.dataRoot, { recursive: true, force: true });
  }

  /** Last resort from a process 'exit' handler: synchronous, kills whatever still runs. */
  killAllNow(): void {
    for (const slot of this.nodes.values()) slot.process?.signal('SIGKILL');
  }

  private spawnNode(id: number): void {
    const dataDir = join(this.dataRoot, `node-${id}`);
    mkdirSync(dataDir, { recursive: true });
    const slot: NodeSlot = { view: initialView(id), process: null };
    this.nodes.set(id, slot);
    slot.process = new NodeProcess({
      nodeId: id,
      launcher: this.launcher,
      env: {
        RAFT_LAB_NODE_ID: String(id),
        RAFT_LAB_CONTROL: this.controlEndpoint,
        RAFT_LAB_SECRET: this.secret,
        RAFT_LAB_DATA_DIR: dataDir,
      },
      onExit: (code, signal, stderrTail) => this.onNodeExit(id, slot, code, signal, stderrTail),
    });
    this.updateNode(id, { pid: slot.process.pid }, 'starting', 'process spawned');
  }

  private onNodeExit(id: number, slot: NodeSlot, code: number | null, signal: NodeJS.Signals | null,
    stderrTail: readonly string[]): void {
    if (this.nodes.get(id) !== slot) return; // an earlier incarnation
    const expected = this.phase === 'stopping';
    const how = signal ? `killed by ${signal}` : `exited with code ${String(code)}`;
    this.updateNode(id, { pid: null }, expected ? 'stopped' : 'crashed', `node process ${how}`);
    if (!expected && code !== 0 && signal === null) {
      this.events.publish({ type: 'error', atNs: monotonicNowNs(), node: id,
        message: `S${id} failed (${how}): ${stderrTail.slice(-5).join(' | ') || 'no output'}` });
    }
    this.notifyWaiters();
  }

  private async receiveLoop(): Promise<void> {
    try {
      for await (const [, payload] of this.control) {
        if (!payload) continue;
        const decoded = decodeNodeToLab(payload, this.secret);
        if (decoded.ok) this.onNodeFrame(decoded.frame);
        else this.events.publish({ type: 'error', atNs: monotonicNowNs(), node: null,
          message: `rejected a control frame: ${decoded.error.slice(0, 300)}` });
      }
    } catch (error) {
      if (!this.closed) {
        this.events.publish({ type: 'error', atNs: monotonicNowNs(), node: null,
          message: `control socket failed: ${(error as Error).message}` });
      }
    }
  }

  private onNodeFrame(frame: NodeToLabFrame): void {
    const slot = this.nodes.get(frame.node);
    if (!slot || slot.process?.pid !== frame.pid) return; // a stale process, or one we did not start
    slot.view = { ...slot.view, peerEndpoint: frame.peerEndpoint };
    this.events.publish({ type: 'node-alive', atNs: frame.atNs, node: frame.node, pid: frame.pid,
      peerEndpoint: frame.peerEndpoint });
    this.updateNode(frame.node, {}, 'running', 'node reported alive');
    this.notifyWaiters();
  }

  private sendToNode(id: number, frame: { type: 'shutdown' }): void {
    const payload = encodeControlFrame({ v: CONTROL_PROTOCOL_VERSION, secret: this.secret, ...frame });
    this.control.send([`node-${id}`, payload]).catch(() => undefined); // unroutable if the node is already gone
  }

  private updateNode(id: number, patch: Partial<NodeView>, status: NodeStatus, reason: string): void {
    const slot = this.nodes.get(id);
    if (!slot) return;
    slot.view = { ...slot.view, ...patch, status };
    this.events.publish({ type: 'node-status', atNs: monotonicNowNs(), node: id, status, pid: slot.view.pid, reason });
  }

  private setPhase(phase: ClusterPhase): void {
    this.phase = phase;
    this.events.publish({ type: 'cluster-phase', atNs: monotonicNowNs(), phase });
  }

  private snapshot(): LabSnapshot {
    return {
      phase: this.phase,
      settings: this.settings,
      nodes: [...this.nodes.values()].map((slot) => slot.view).sort((a, b) => a.id - b.id),
      atNs: monotonicNowNs(),
      nextSeq: this.events.nextSequence,
    };
  }

  private waitUntil(condition: () => boolean, deadlineMs: number, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        this.aliveWaiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.aliveWaiters.delete(check);
        reject(new Error(`timed out after ${deadlineMs} ms waiting for ${what}`));
      }, deadlineMs);
      this.aliveWaiters.add(check);
    });
  }

  private notifyWaiters(): void {
    for (const waiter of [...this.aliveWaiters]) waiter();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the lab controller is closed');
  }
}

function initialView(id: number): NodeView {
  return { id, status: 'starting', pid: null, peerEndpoint: null, role: 'follower', term: 0, votedFor: null,
    leaderId: null, commitIndex: 0, lastApplied: 0, lastLogIndex: 0 };
}
