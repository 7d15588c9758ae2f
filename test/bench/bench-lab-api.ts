// A fake lab for the renderer benchmark (`?bench=1`): a steady stream of realistic events (replication rounds of a
// 9-node cluster under a write workload, heartbeats, replies, drops, and an election every 15 s) generated in the page,
// so the renderer alone is measured. Commands do nothing. Only the benchmark's build of the renderer contains it
// (renderer-bench.ts builds with __RAFT_LAB_BENCH__ true; renderer/src/main.ts loads it behind that flag), so the app
// never ships it.
import type { LabEvent, MessageView, NodeStateView, UnsequencedLabEvent } from '../../src/protocol/events';
import { DEFAULT_SETTINGS, type LabApi, type LabSnapshot, type NodeView } from '../../src/protocol/lab-api';
import { idleExperimentState } from '../../src/protocol/experiments';

export interface BenchOptions {
  readonly eventsPerSecond: number;
  readonly nodes: number;
}

export interface BenchStats {
  emitted: number;
  startedAtMs: number;
}

declare global {
  interface Window {
    raftLabBench?: BenchStats;
  }
}

const FLUSH_INTERVAL_MS = 16;
const ELECTION_EVERY_MS = 15_000;
const MAX_EVENTS_PER_FLUSH = 10_000;

export class BenchCluster {
  private seq = 0;
  private term = 1;
  private leader = 1;
  private index = 0;
  private commit = 0;
  private messageId = 0;
  private clientSeq = 0;
  private lastElectionMs: number;
  private readonly ids: number[];
  private out: LabEvent[] = [];
  private nowNs = 0;

  constructor(private readonly nodeCount: number, startMs: number) {
    this.ids = Array.from({ length: nodeCount }, (_, i) => i + 1);
    this.lastElectionMs = startMs;
  }

  /** At least `count` events stamped across [fromMs, toMs]. */
  generate(count: number, fromMs: number, toMs: number): LabEvent[] {
    this.out = [];
    const stepNs = ((toMs - fromMs) * 1e6) / Math.max(1, count);
    this.nowNs = fromMs * 1e6;
    if (toMs - this.lastElectionMs > ELECTION_EVERY_MS) {
      this.lastElectionMs = toMs;
      this.election(stepNs);
    }
    while (this.out.length < count) this.round(stepNs);
    return this.out;
  }

  private emit(event: UnsequencedLabEvent | Omit<UnsequencedLabEvent, 'atNs'>, stepNs: number): void {
    this.nowNs += stepNs;
    this.out.push({ atNs: Math.round(this.nowNs), ...event, seq: this.seq++ } as LabEvent);
  }

  private followers(): number[] {
    return this.ids.filter((id) => id !== this.leader);
  }

  private state(node: number, patch: Partial<NodeStateView>, stepNs: number): void {
    const leader = node === this.leader;
    this.emit({ type: 'node-state', node, state: { role: leader ? 'leader' : 'follower', term: this.term, votedFor: this.leader,
      leaderId: this.leader, commitIndex: this.commit, lastApplied: this.commit, lastLogIndex: this.index, lastLogTerm: this.term,
      electionDeadlineNs: leader ? null : Math.round(this.nowNs + 250e6), progress: null, ...patch } }, stepNs);
  }

  private message(message: MessageView, stepNs: number, drop: boolean): void {
    const id = `b${this.messageId++}`;
    this.emit({ type: 'message', node: message.from, direction: 'send', id, message, dropReason: null }, stepNs);
    this.emit({ type: 'message', node: message.to, direction: drop ? 'drop' : 'receive', id, message,
      dropReason: drop ? 'lost (injected loss or full queue)' : null }, stepNs);
  }

  /** One client write replicated to every follower and committed. */
  private round(stepNs: number): void {
    this.index += 1;
    this.clientSeq += 1;
    const command = JSON.stringify({ clientId: `c${this.clientSeq % 8}`, seq: this.clientSeq, op: 'put', key: `k${this.clientSeq % 50}`,
      value: String(this.clientSeq) });
    const entry = { index: this.index, term: this.term, command };
    const callNs = this.nowNs;
    this.emit({ type: 'log-write', node: this.leader, entries: [entry] }, stepNs);
    for (const to of this.followers()) {
      const drop = (this.messageId + to) % 50 === 0;
      this.message({ type: 'AppendEntries', from: this.leader, to, term: this.term, fields: { prevLogIndex: this.index - 1,
        prevLogTerm: this.term, leaderCommit: this.commit, readRound: 0, entryCount: 1 }, entries: [{ index: this.index, term: this.term }] },
      stepNs, drop);
      if (drop) continue;
      this.emit({ type: 'log-write', node: to, entries: [entry] }, stepNs);
      this.emit({ type: 'raft', node: to, event: { kind: 'append-accepted', node: to, term: this.term,
        rule: 'Figure 2, AppendEntries RPC, receiver implementation 4', reason: `appended entry ${this.index} from S${this.leader}`, data: {} } }, stepNs);
      this.state(to, {}, stepNs);
      this.message({ type: 'AppendEntriesReply', from: to, to: this.leader, term: this.term, fields: { success: true, matchIndex: this.index,
        conflictTerm: 0, conflictIndex: 0, readRound: 0 } }, stepNs, false);
    }
    this.commit = this.index;
    this.emit({ type: 'raft', node: this.leader, event: { kind: 'commit-advanced', node: this.leader, term: this.term,
      rule: 'Figure 2, Rules for Servers, Leaders 4', reason: `a majority stores entry ${this.index} of the current term`, data: {} } }, stepNs);
    this.state(this.leader, {}, stepNs);
    this.emit({ type: 'client-op', client: this.clientSeq % 8, op: 'put', key: `k${this.clientSeq % 50}`, status: 'ok',
      value: String(this.clientSeq), servedBy: this.leader, latencyMs: (this.nowNs - callNs) / 1e6, callNs }, stepNs);
  }

  /** The leader is crashed and restarted; the next node wins an election. */
  private election(stepNs: number): void {
    const old = this.leader;
    this.emit({ type: 'fault', action: 'crash', nodes: [old], description: `crashed S${old} (benchmark)` }, stepNs);
    this.emit({ type: 'node-status', node: old, status: 'crashed', pid: null, reason: 'SIGKILL' }, stepNs);
    this.term += 1;
    this.leader = (old % this.nodeCount) + 1;
    const candidate = this.leader;
    this.state(candidate, { role: 'candidate', leaderId: null }, stepNs);
    for (const to of this.ids.filter((id) => id !== candidate && id !== old)) {
      this.message({ type: 'RequestVote', from: candidate, to, term: this.term, fields: { lastLogIndex: this.index, lastLogTerm: this.term - 1,
        preVote: false } }, stepNs, false);
      this.message({ type: 'RequestVoteReply', from: to, to: candidate, term: this.term, fields: { voteGranted: true, preVote: false } }, stepNs, false);
    }
    this.emit({ type: 'raft', node: candidate, event: { kind: 'became-leader', node: candidate, term: this.term, rule: 'Figure 2, Rules for Servers, Candidates',
      reason: `won the election for term ${this.term} with a majority of votes`, data: {} } }, stepNs);
    this.state(candidate, {}, stepNs);
    this.emit({ type: 'fault', action: 'restart', nodes: [old], description: `restarted S${old} (benchmark)` }, stepNs);
    this.emit({ type: 'node-status', node: old, status: 'running', pid: 1000 + old, reason: 'restarted' }, stepNs);
  }
}

export function createBenchLabApi(options: BenchOptions): LabApi {
  const listeners = new Set<(events: readonly LabEvent[]) => void>();
  const startMs = performance.now();
  const stats: BenchStats = { emitted: 0, startedAtMs: startMs };
  window.raftLabBench = stats;
  const cluster = new BenchCluster(options.nodes, startMs);
  let lastMs = startMs;
  setInterval(() => {
    const nowMs = performance.now();
    const due = Math.round(((nowMs - startMs) / 1000) * options.eventsPerSecond) - stats.emitted;
    if (due <= 0) return;
    const batch = cluster.generate(Math.min(due, MAX_EVENTS_PER_FLUSH), lastMs, nowMs);
    lastMs = nowMs;
    stats.emitted += batch.length;
    for (const listener of listeners) listener(batch);
  }, FLUSH_INTERVAL_MS);

  const nodes: NodeView[] = Array.from({ length: options.nodes }, (_, i) => ({ id: i + 1, status: 'running', pid: 1000 + i + 1,
    peerEndpoint: null, role: i === 0 ? 'leader' : 'follower', term: 1, votedFor: 1, leaderId: 1, commitIndex: 0, lastApplied: 0,
    lastLogIndex: 0 }));
  const snapshot = (): LabSnapshot => ({ phase: 'running', settings: { ...DEFAULT_SETTINGS, nodeCount: options.nodes }, nodes,
    blockedLinks: [], linkFaults: {}, atNs: Math.round(performance.now() * 1e6), nextSeq: 0 });
  const nothing = async (): Promise<void> => undefined;
  const workload = async () => ({ running: false, spec: null, ops: 0, ok: 0, fail: 0, unknown: 0, history: [], truncated: false, verdict: null });
  return {
    getSnapshot: async () => snapshot(),
    startCluster: async () => snapshot(),
    stopCluster: async () => snapshot(),
    crashNode: nothing, restartNode: nothing, pauseNode: nothing, resumeNode: nothing, wipeNode: nothing, setPartition: nothing,
    addServer: async () => { throw new Error('no membership changes in the benchmark lab'); }, removeServer: nothing, promoteServer: nothing, transferLeadership: nothing,
    setLinkFaults: nothing, healAll: nothing, setTimeScale: nothing, setNetworkDelay: nothing, freezeCluster: nothing,
    resumeCluster: nothing, timeoutNode: nothing, heldMessage: nothing,
    listExercises: async () => [], getExercise: async (id) => { throw new Error(`no exercise ${id} in the benchmark lab`); },
    listDemos: async () => [], getDemo: async (id) => { throw new Error(`no demo ${id} in the benchmark lab`); },
    startExperiment: async () => { throw new Error('no experiments in the benchmark lab'); },
    getExperiment: async () => idleExperimentState(), cancelExperiment: async () => idleExperimentState(),
    stepCluster: async () => ({ kind: 'none', node: null, messageId: null, labMs: 0, description: 'benchmark lab' }),
    clientRequest: async () => ({ status: 'unknown', value: null, servedBy: null, latencyMs: 0, error: 'benchmark lab', index: null }),
    startWorkload: nothing, stopWorkload: workload, getWorkload: workload,
    getNodeDetail: async (id) => ({ node: nodes[id - 1] ?? (nodes[0] as NodeView), log: [], progress: null, kv: {} }),
    getRecentEvents: async () => [],
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The bench lab for `?bench=1&rate=EVENTS_PER_S&nodes=N`, or null for any other page address. */
export function connectBenchLab(href: string, onOpen: (detail: string) => void): LabApi | null {
  const params = new URL(href).searchParams;
  if (params.get('bench') !== '1') return null;
  onOpen('benchmark: synthetic events, no lab');
  return createBenchLabApi({ eventsPerSecond: boundedNumber(params.get('rate'), 2000, 1, 20_000), nodes: boundedNumber(params.get('nodes'), 9, 1, 9) });
}

function boundedNumber(text: string | null, fallback: number, min: number, max: number): number {
  const value = Number(text ?? fallback);
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}
