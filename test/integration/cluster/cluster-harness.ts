// A real lab for integration tests: a LabController with real node processes, every event it publishes recorded,
// and polling helpers that wait for a cluster condition with a deadline (never sleep-and-hope). Every lab started
// here is closed by `closeAllLabs` (call it in afterEach), which also checks that no node process outlives it.
import { expect } from 'vitest';
import { Dealer } from 'zeromq';
import { LabController } from '../../../src/lab/controller';
import type { LabEvent } from '../../../src/protocol/events';
import type { ClientResult, ClusterSettings, LabSnapshot, LogEntryView, NodeView } from '../../../src/protocol/lab-api';
import type { NodeId } from '../../../src/raft/types';
import { isProcessAlive } from '../../helpers/lab-process';

/** How long a cluster condition may take to become true (elections, catch-up, log repair). */
export const CLUSTER_DEADLINE_MS = 10_000;
const POLL_INTERVAL_MS = 25;
/** Node processes must be gone this soon after the lab closed. */
const EXIT_DEADLINE_MS = 5_000;

/** Polls `probe` until it returns something other than null/undefined; the timeout names what and shows `state()`. */
export async function eventually<T>(probe: () => Promise<T | null | undefined> | T | null | undefined, deadlineMs: number,
  what: string, state: () => Promise<string> | string = () => ''): Promise<T> {
  const startedMs = performance.now();
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (performance.now() - startedMs > deadlineMs) {
      throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}${await describeState(state)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

async function describeState(state: () => Promise<string> | string): Promise<string> {
  const text = await state();
  return text ? `; last seen: ${text}` : '';
}

/** One line per node, for timeout messages. */
export function describeNodes(nodes: readonly NodeView[]): string {
  return nodes.map((node) => `S${node.id} ${node.status} ${node.role} term=${node.term} leader=${String(node.leaderId)} ` +
    `commit=${node.commitIndex} last=${node.lastLogIndex}`).join(' | ');
}

/**
 * The one leader that `among` (running nodes only) agree on: exactly one of them is leader, and every one of them is
 * in its term and names it as leader. Null while they do not agree.
 */
export function agreedLeader(snapshot: LabSnapshot, among: readonly NodeId[] | null = null, minTerm = 0): NodeView | null {
  const group = snapshot.nodes.filter((node) => among === null || among.includes(node.id));
  if (group.length === 0 || group.some((node) => node.status !== 'running')) return null;
  const leaders = group.filter((node) => node.role === 'leader');
  const leader = leaders[0];
  if (leaders.length !== 1 || leader === undefined || leader.term < minTerm) return null;
  const agree = group.every((node) => node.term === leader.term && node.leaderId === leader.id);
  return agree ? leader : null;
}

/**
 * The index of the no-op `leader` appended on taking office in its term (§8), from its became-leader report in
 * `events` (nextIndex then); null before that report came in.
 */
export function noOpIndexOf(leader: NodeView, events: readonly LabEvent[]): number | null {
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const event = events[i];
    if (event?.type !== 'raft' || event.node !== leader.id || event.event.kind !== 'became-leader' || event.event.term !== leader.term) continue;
    const next = event.event.data.nextIndex;
    return typeof next === 'number' ? next : null;
  }
  return null;
}

/**
 * Whether `leader`'s term is established: it has committed an entry of its own term (its no-op) and every node of
 * `among` (default: all) knows it, its commitIndex at or past that entry. Until then the term is young: on a loaded
 * machine the servers' first heartbeats can come late enough that one times out and a new election deposes the
 * leader (early re-election right after a start). A client's first write then goes wrong in a way the client cannot
 * tell apart from a write that may have been applied: its register is answered with the entry's index at once
 * (src/node/runtime/raft-runtime.ts), the write follows under that session, the re-election drops the uncommitted
 * register, the new leader answers the resent write session-expired, and the client, having had a retry or no
 * answer before, reports `unknown` (src/lab/client/kv-client.ts).
 */
export function leaderEstablished(snapshot: LabSnapshot, leader: NodeView, events: readonly LabEvent[],
  among: readonly NodeId[] | null = null): boolean {
  const noOp = noOpIndexOf(leader, events);
  if (noOp === null) return false;
  return snapshot.nodes.filter((node) => among === null || among.includes(node.id)).every((node) => node.commitIndex >= noOp);
}

interface LeaderWait {
  readonly among?: readonly NodeId[];
  readonly minTerm?: number;
  readonly deadlineMs?: number;
  /**
   * Also wait until the leader's term is established (leaderEstablished). Default true: a test's first write after
   * a start or a failover should not race the new term's first heartbeats. False only where the test must accept a
   * leader that may never commit (frame-fuzz: forged entries may leave the cluster unable to).
   */
  readonly established?: boolean;
}

const openLabs = new Set<ClusterLab>();

export class ClusterLab {
  /** Every event the lab published since it was created, in order (read through mark/eventsSince, which flush). */
  private readonly events: LabEvent[] = [];
  private readonly unsubscribe: () => void;
  private readonly pidsSeen = new Set<number>();

  private constructor(readonly controller: LabController) {
    this.unsubscribe = controller.subscribe((batch) => {
      for (const event of batch) {
        this.events.push(event);
        if (event.type === 'node-status' && event.pid !== null) this.pidsSeen.add(event.pid);
      }
    });
  }

  static async start(settings: Partial<ClusterSettings>): Promise<ClusterLab> {
    const controller = await LabController.create();
    const lab = new ClusterLab(controller);
    openLabs.add(lab);
    await controller.startCluster(settings);
    return lab;
  }

  snapshot(): Promise<LabSnapshot> {
    return this.controller.getSnapshot();
  }

  async node(id: NodeId): Promise<NodeView> {
    const found = (await this.snapshot()).nodes.find((node) => node.id === id);
    if (!found) throw new Error(`no node S${id} in the snapshot`);
    return found;
  }

  async describe(): Promise<string> {
    return describeNodes((await this.snapshot()).nodes);
  }

  /**
   * Waits until the running nodes of `among` (default: all) agree on one leader in a term >= minTerm, and (unless
   * `established: false`) that leader has committed an entry of its term that every one of them knows committed.
   */
  async waitForLeader(options: LeaderWait = {}): Promise<NodeView> {
    return (await this.waitForAgreement(options)).leader;
  }

  /** waitForLeader, with the snapshot in which they agreed (later snapshots may already differ). */
  waitForAgreement(options: LeaderWait = {}): Promise<{ leader: NodeView; snapshot: LabSnapshot }> {
    const minTerm = options.minTerm ?? 0;
    const among = options.among ?? null;
    const established = options.established ?? true;
    const group = among === null ? 'all nodes' : `S${among.join(', S')}`;
    return eventually(async () => {
      const snapshot = await this.snapshot();
      const leader = agreedLeader(snapshot, among, minTerm);
      if (!leader) return null;
      if (established && !leaderEstablished(snapshot, leader, this.recorded(), among)) return null;
      return { leader, snapshot };
    }, options.deadlineMs ?? CLUSTER_DEADLINE_MS, `${group} to agree on one leader in term >= ${minTerm}` +
      (established ? ' that has committed an entry of its term, known to all of them' : ''), () => this.describe());
  }

  async put(key: string, value: string, options: { node?: NodeId; timeoutMs?: number } = {}): Promise<ClientResult> {
    return this.controller.clientRequest({ op: 'put', key, value, ...options });
  }

  async get(key: string, options: { node?: NodeId } = {}): Promise<ClientResult> {
    return this.controller.clientRequest({ op: 'get', key, ...options });
  }

  /** The lab's mirror of node `id`'s log (from its log-write events). */
  async log(id: NodeId): Promise<readonly LogEntryView[]> {
    return (await this.controller.getNodeDetail(id)).log;
  }

  /**
   * Position in `events` that everything published so far comes before. The hub delivers in batches (every ~16 ms),
   * and the snapshot is updated before the batch goes out, so every read of `events` flushes the hub first.
   */
  mark(): number {
    this.controller.events.flush();
    return this.events.length;
  }

  /** Every event published so far (flushed first, as mark). */
  private recorded(): readonly LabEvent[] {
    this.controller.events.flush();
    return this.events;
  }

  /** Events published from position `from` of `events` on that match `pick`. */
  eventsSince<T extends LabEvent>(from: number, pick: (event: LabEvent) => event is T): T[] {
    this.controller.events.flush();
    return this.events.slice(from).filter(pick);
  }

  /** Waits for an event published at or after position `from` that matches `pick`. */
  waitForEvent<T extends LabEvent>(from: number, pick: (event: LabEvent) => event is T, what: string,
    deadlineMs = CLUSTER_DEADLINE_MS): Promise<T> {
    return eventually(() => this.eventsSince(from, pick)[0], deadlineMs, what,
      () => this.eventsSince(from, isType('error')).map((event) => event.message).join('\n'));
  }

  /** Every node pid the lab reported (all incarnations). */
  get pids(): readonly number[] {
    return [...this.pidsSeen];
  }

  async close(): Promise<void> {
    openLabs.delete(this);
    await this.controller.close();
    this.unsubscribe();
  }
}

const rawSockets = new Set<Dealer>();

/** A raw ZeroMQ DEALER connected to `endpoint`, as any local process could open; closed by closeAllLabs. */
export function rawDealer(endpoint: string, options: { routingId?: string; receiveTimeoutMs?: number } = {}): Dealer {
  const socket = new Dealer({ linger: 0, sendHighWaterMark: 10_000, receiveTimeout: options.receiveTimeoutMs ?? -1,
    ...(options.routingId === undefined ? {} : { routingId: options.routingId }) });
  socket.connect(endpoint);
  rawSockets.add(socket);
  return socket;
}

/** afterEach: close every raw socket and lab a test opened, then check none of the node processes is left behind. */
export async function closeAllLabs(): Promise<void> {
  for (const socket of rawSockets) socket.close();
  rawSockets.clear();
  const labs = [...openLabs];
  await Promise.all(labs.map((lab) => lab.close()));
  const pids = labs.flatMap((lab) => lab.pids);
  const startedMs = performance.now();
  while (pids.some((pid) => isProcessAlive(pid))) {
    if (performance.now() - startedMs > EXIT_DEADLINE_MS) {
      expect.fail(`node processes still alive ${EXIT_DEADLINE_MS} ms after the lab closed: ${pids.filter(isProcessAlive).join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/** Indeterminate answers a put may get before the test calls the cluster broken (see putRetryingUnknown). */
const MAX_UNKNOWN_PUTS = 3;

/**
 * Puts `key` = `value` and expects it acknowledged. A put may come back `unknown` (indeterminate: its register or the
 * write itself went through a leader that lost its term at once, see leaderEstablished): it is sent again, as a
 * client would, up to MAX_UNKNOWN_PUTS times; the same value either way, so the end state is the same. A `fail` is
 * never retried. Only for writes a test needs done, not for a put whose own outcome is what the test checks.
 */
export async function putRetryingUnknown(lab: ClusterLab, key: string, value: string): Promise<ClientResult> {
  let result = await lab.put(key, value);
  for (let again = 1; result.status === 'unknown' && again < MAX_UNKNOWN_PUTS; again += 1) result = await lab.put(key, value);
  expect(result, `put ${key}: ${result.error ?? ''}`).toMatchObject({ status: 'ok' });
  return result;
}

/** Puts `<prefix>-<i>` = `v<i>` for i < count with putRetryingUnknown, each acknowledged before the next. */
export async function putMany(lab: ClusterLab, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) await putRetryingUnknown(lab, `${prefix}-${i}`, `v${i}`);
}

/** The KV command a put wrote, parsed from a log entry (null for no-ops and other commands). */
export function putOf(entry: LogEntryView | undefined): { key: string; value: string } | null {
  if (!entry?.command) return null;
  const parsed = JSON.parse(entry.command) as { op?: unknown; key?: unknown; value?: unknown };
  return parsed.op === 'put' && typeof parsed.key === 'string' && typeof parsed.value === 'string'
    ? { key: parsed.key, value: parsed.value }
    : null;
}

/** A node's client endpoint. Not part of the LabApi (clients go through the lab), but the fuzz test needs the socket. */
export function clientEndpointOf(controller: LabController, id: NodeId): string {
  const endpoint = controller['supervisor'].slot(id)?.clientEndpoint;
  if (!endpoint) throw new Error(`S${id} has no client endpoint (not running?)`);
  return endpoint;
}

/** TEST_SEED replays a randomized run; otherwise a fresh seed, printed so that a failure can be replayed. */
export function testSeed(testName: string): number {
  const fromEnv = process.env.TEST_SEED;
  const seed = fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31);
  console.log(`[${testName}] seed=${seed} (replay with TEST_SEED=${seed})`);
  return seed;
}

export const isType = <K extends LabEvent['type']>(type: K) =>
  (event: LabEvent): event is Extract<LabEvent, { type: K }> => event.type === type;
