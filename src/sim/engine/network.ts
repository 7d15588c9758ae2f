// The simulated network: which directed links pass messages, and what happens to a message in flight (latency,
// loss, duplication, reordering). It decides a message's fate from its own seeded stream; the Simulation turns
// the decision into delivery events on the virtual clock.
//
// Reachability has three independent layers, all of which must allow a message:
//   1. `connected` per node: the 6.5840 harness's disconnect(i)/connect(i) (all links to and from i);
//   2. partition groups: two nodes talk only if they share a group. Groups may overlap, which expresses a bridge
//      partition ([[1,2,3],[3,4,5]]: node 3 hears both sides, the sides do not hear each other);
//   3. blocked directed links: an asymmetric fault (A hears B but B does not hear A).

import type { Message, NodeId } from '../../raft/types';
import type { Prng } from './prng';

export interface LatencyProfile {
  /** Every message takes a uniform [minMs, maxMs) base latency. */
  readonly minMs: number;
  readonly maxMs: number;
  /** With this probability a message also gets an exponentially distributed extra delay (a slow-path tail). */
  readonly tailProbability: number;
  readonly tailMeanMs: number;
}

export interface NetworkOptions {
  readonly latency: LatencyProfile;
  readonly lossProbability: number;
  readonly duplicateProbability: number;
  /** With this probability a message is held back by an extra uniform [0, reorderMaxMs) delay. */
  readonly reorderProbability: number;
  readonly reorderMaxMs: number;
  /** 6.5840 labrpc `unreliable`: requests get 0-27 ms extra delay; 10% of requests and 10% of replies are lost. */
  readonly unreliable: boolean;
  /** 6.5840 labrpc `longReordering`: two thirds of replies are delayed 200-2200 ms. */
  readonly longReordering: boolean;
  /** Bound on messages in flight; beyond it new messages are dropped (a full switch buffer). */
  readonly maxInFlight: number;
}

export const DEFAULT_NETWORK_OPTIONS: NetworkOptions = {
  latency: { minMs: 1, maxMs: 3, tailProbability: 0, tailMeanMs: 0 },
  lossProbability: 0,
  duplicateProbability: 0,
  reorderProbability: 0,
  reorderMaxMs: 0,
  unreliable: false,
  longReordering: false,
  maxInFlight: 50_000,
};

export type DropReason =
  | 'sender-disconnected'
  | 'receiver-disconnected'
  | 'partitioned'
  | 'link-blocked'
  | 'lost'
  | 'unreliable-request-lost'
  | 'unreliable-reply-lost'
  | 'queue-full'
  | 'receiver-down'
  | 'receiver-restarted';

export type Fate =
  | { readonly delivered: false; readonly reason: DropReason }
  | { readonly delivered: true; readonly delaysMs: readonly number[] };

export function isRequest(message: Message): boolean {
  return message.type === 'RequestVote' || message.type === 'AppendEntries' || message.type === 'InstallSnapshot' || message.type === 'TimeoutNow';
}

const MAX_PARTITION_GROUPS = 30; // group membership is a 30-bit mask per node

export class Network {
  private options: NetworkOptions;
  private readonly connected: boolean[];
  private readonly groupMask: number[];
  private readonly blocked = new Set<number>();
  inFlight = 0;
  /** The last drawFate() result: copies to deliver (0 when dropped) and their delays. */
  fateCopies = 0;
  fateDelayMs = 0;
  fateDuplicateDelayMs = 0;

  private readonly members: NodeId[];

  constructor(
    members: readonly NodeId[],
    options: Partial<NetworkOptions>,
    private readonly random: Prng,
  ) {
    this.options = { ...DEFAULT_NETWORK_OPTIONS, ...options };
    validateOptions(this.options);
    this.members = [...members];
    const size = Math.max(...members) + 1;
    this.connected = new Array<boolean>(size).fill(true);
    this.groupMask = new Array<number>(size).fill(1);
  }

  /** A server added to the cluster (membership changes): connected, and in the first partition group. */
  addNode(node: NodeId): void {
    if (!(Number.isSafeInteger(node) && node >= 1 && node < 1024) || this.members.includes(node)) throw new Error(`cannot add node ${node}`);
    this.members.push(node);
    this.connected[node] = true;
    this.groupMask[node] = 1;
  }

  get settings(): NetworkOptions {
    return this.options;
  }

  configure(changes: Partial<NetworkOptions>): void {
    const next = { ...this.options, ...changes };
    validateOptions(next);
    this.options = next;
  }

  setConnected(node: NodeId, connected: boolean): void {
    this.assertMember(node);
    this.connected[node] = connected;
  }

  isConnected(node: NodeId): boolean {
    this.assertMember(node);
    return this.connected[node] === true;
  }

  /** Nodes talk only within a shared group. A node in no group is isolated. Groups may overlap (bridges). */
  partition(groups: readonly (readonly NodeId[])[]): void {
    if (groups.length > MAX_PARTITION_GROUPS) throw new Error(`at most ${MAX_PARTITION_GROUPS} partition groups`);
    for (const member of this.members) this.groupMask[member] = 0;
    groups.forEach((group, groupIndex) => {
      for (const node of group) {
        this.assertMember(node);
        this.groupMask[node] = (this.groupMask[node] ?? 0) | (1 << groupIndex);
      }
    });
  }

  /** Removes partitions and blocked links; `connected` flags are the harness's and stay as they are. */
  heal(): void {
    for (const member of this.members) this.groupMask[member] = 1;
    this.blocked.clear();
  }

  /** Blocks or unblocks the directed link from -> to only. */
  setLinkBlocked(from: NodeId, to: NodeId, blocked: boolean): void {
    this.assertMember(from);
    this.assertMember(to);
    const key = from * 1024 + to;
    if (blocked) this.blocked.add(key);
    else this.blocked.delete(key);
  }

  /** Why a message from -> to cannot pass right now, or null if the link is up. */
  linkDownReason(from: NodeId, to: NodeId): DropReason | null {
    if (this.connected[from] !== true) return 'sender-disconnected';
    if (this.connected[to] !== true) return 'receiver-disconnected';
    if (((this.groupMask[from] ?? 0) & (this.groupMask[to] ?? 0)) === 0) return 'partitioned';
    if (this.blocked.size > 0 && this.blocked.has(from * 1024 + to)) return 'link-blocked';
    return null;
  }

  /** Draws the fate of one message that is being sent now. */
  decideFate(message: Message): Fate {
    const dropped = this.drawFate(message);
    if (dropped !== null) return { delivered: false, reason: dropped };
    return { delivered: true, delaysMs: this.fateCopies === 1 ? [this.fateDelayMs] : [this.fateDelayMs, this.fateDuplicateDelayMs] };
  }

  /**
   * decideFate without allocating (the simulator's hot path): returns why the message is dropped, or null and then
   * fateCopies (1, or 2 when duplicated) copies are delivered after fateDelayMs (and fateDuplicateDelayMs).
   */
  drawFate(message: Message): DropReason | null {
    this.fateCopies = 0;
    const linkDown = this.linkDownReason(message.from, message.to);
    if (linkDown !== null) return linkDown;
    if (this.inFlight >= this.options.maxInFlight) return 'queue-full';
    const options = this.options;
    const random = this.random;
    let extraMs = 0;
    if (isRequest(message)) {
      if (options.unreliable) {
        extraMs += random.int(0, 27);
        if (random.int(0, 1000) < 100) return 'unreliable-request-lost';
      }
    } else {
      if (options.unreliable && random.int(0, 1000) < 100) return 'unreliable-reply-lost';
      if (options.longReordering && random.int(0, 900) < 600) {
        extraMs += 200 + random.int(0, 1 + random.int(0, 2000));
      }
    }
    if (options.lossProbability > 0 && random.chance(options.lossProbability)) return 'lost';
    this.fateDelayMs = this.latencyMs() + extraMs;
    this.fateCopies = 1;
    if (options.duplicateProbability > 0 && random.chance(options.duplicateProbability)) {
      this.fateDuplicateDelayMs = this.latencyMs() + extraMs;
      this.fateCopies = 2;
    }
    return null;
  }

  private latencyMs(): number {
    const { latency, reorderProbability, reorderMaxMs } = this.options;
    const random = this.random;
    let delayMs = latency.maxMs > latency.minMs ? random.between(latency.minMs, latency.maxMs) : latency.minMs;
    if (latency.tailProbability > 0 && random.chance(latency.tailProbability)) {
      delayMs += -Math.log(1 - random.float()) * latency.tailMeanMs;
    }
    if (reorderProbability > 0 && reorderMaxMs > 0 && random.chance(reorderProbability)) {
      delayMs += random.between(0, reorderMaxMs);
    }
    // Microsecond resolution keeps traces readable and avoids float noise in timestamps.
    return Math.round(delayMs * 1000) / 1000;
  }

  private assertMember(node: NodeId): void {
    if (!this.members.includes(node)) throw new Error(`node ${node} is not a member (${this.members.join(', ')})`);
  }
}

function validateOptions(options: NetworkOptions): void {
  const { latency } = options;
  if (!(latency.minMs >= 0 && latency.maxMs >= latency.minMs)) {
    throw new Error(`latency range must satisfy 0 <= min <= max, got [${latency.minMs}, ${latency.maxMs}]`);
  }
  for (const [name, value] of [
    ['tailProbability', latency.tailProbability],
    ['lossProbability', options.lossProbability],
    ['duplicateProbability', options.duplicateProbability],
    ['reorderProbability', options.reorderProbability],
  ] as const) {
    if (!(value >= 0 && value <= 1)) throw new Error(`${name} must be in [0, 1], got ${value}`);
  }
  if (!(latency.tailMeanMs >= 0) || !(options.reorderMaxMs >= 0)) throw new Error('delays must be >= 0');
  if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1) throw new Error('maxInFlight must be >= 1');
}
