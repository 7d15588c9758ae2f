// The one interface between the UI and the lab. The renderer codes against `LabApi`; the Electron preload
// (IPC) and the web-mode WebSocket bridge both carry exactly these methods, and the lab controller implements them.
// Every method's parameters are validated where they cross a process boundary (see lab-methods.ts).
import type { NodeId, Role } from '../raft/types';
import type { LabEvent } from './events';

export type NodeStatus = 'starting' | 'running' | 'paused' | 'crashed' | 'stopped';

export interface NodeView {
  readonly id: NodeId;
  readonly status: NodeStatus;
  readonly pid: number | null;
  /** ZeroMQ endpoint the node's peers connect to; null until the node reported in. */
  readonly peerEndpoint: string | null;
  readonly role: Role;
  readonly term: number;
  readonly votedFor: NodeId | null;
  readonly leaderId: NodeId | null;
  readonly commitIndex: number;
  readonly lastApplied: number;
  readonly lastLogIndex: number;
}

export interface ClusterSettings {
  readonly nodeCount: number;
  readonly electionTimeoutMs: readonly [number, number];
  readonly heartbeatMs: number;
  /** Slow motion: every timeout and injected delay is multiplied by this (1 = real time, up to 100). */
  readonly timeScale: number;
}

export type ClusterPhase = 'stopped' | 'starting' | 'running' | 'stopping';

export interface LabSnapshot {
  readonly phase: ClusterPhase;
  readonly settings: ClusterSettings;
  readonly nodes: readonly NodeView[];
  /** Shared monotonic clock of the machine, ns, when the snapshot was taken. */
  readonly atNs: number;
  /** Seq of the next event: the snapshot already reflects every event before it. */
  readonly nextSeq: number;
}

export type Unsubscribe = () => void;

export interface LabApi {
  getSnapshot(): Promise<LabSnapshot>;
  startCluster(settings: Partial<ClusterSettings>): Promise<LabSnapshot>;
  stopCluster(): Promise<LabSnapshot>;
  /** Events arrive in batches, in the lab's merged order. */
  subscribe(listener: (events: readonly LabEvent[]) => void): Unsubscribe;
}

export const DEFAULT_SETTINGS: ClusterSettings = {
  nodeCount: 3,
  electionTimeoutMs: [150, 300],
  heartbeatMs: 50,
  timeScale: 1,
};

export const MAX_UI_NODES = 9;
export const MAX_HEADLESS_NODES = 25;
