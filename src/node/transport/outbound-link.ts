// The sending half of one directed link: a DEALER socket connected to one peer, a bounded queue in front of it,
// and a feeder that hands the queue to the socket (synchronously while ZeroMQ has room; one parked blocking send
// when it pushes back, see socket-feeder.ts). The caller's `admit` is synchronous and never waits: a peer that is
// dead (no connection) or stopped (TCP buffers full) only ever stalls its own link; once its queue is full,
// further frames for it are dropped.
import { Dealer } from 'zeromq';
import type { NodeId } from '../../raft/types';
import { BoundedQueue } from './bounded-queue';
import { sendBlocking, sendWhileWritable, useNonBlockingSends } from './socket-feeder';
import type { PeerLinkStats } from './transport-stats';

export interface OutboundLinkOptions {
  /** Our identity as the peer's ROUTER sees it (for attributing its invalid-frame reports). */
  readonly routingId: string;
  /** Frames queued or delayed for this peer, at most. */
  readonly maxQueuedFrames: number;
  /** ZeroMQ's own queue for the connection, on top of ours. */
  readonly sendHighWaterMark: number;
}

export class OutboundLink {
  private socket: Dealer;
  private currentEndpoint: string;
  private readonly queue: BoundedQueue<Buffer>;
  private readonly delayTimers = new Set<NodeJS.Timeout>();
  private pumping = false;
  private closed = false;

  constructor(
    readonly peerId: NodeId,
    endpoint: string,
    private readonly options: OutboundLinkOptions,
    /** Shared with the transport's stats table, so counts survive the link being replaced. */
    private readonly counters: PeerLinkStats,
  ) {
    this.queue = new BoundedQueue<Buffer>(options.maxQueuedFrames);
    this.currentEndpoint = endpoint;
    this.socket = this.connect(endpoint);
  }

  get endpoint(): string {
    return this.currentEndpoint;
  }

  /** Frames waiting in the queue or in an injected delay. */
  get pendingFrames(): number {
    return this.queue.length + this.delayTimers.size;
  }

  /**
   * Takes up to `copyDelaysMs.length` copies of the frame, each after its delay. Room is reserved now (a delayed
   * copy counts against the bound), so a copy admitted here is never refused later. Returns the copies admitted.
   */
  admit(bytes: Buffer, copyDelaysMs: readonly number[]): number {
    if (this.closed) return 0;
    let admitted = 0;
    for (const delayMs of copyDelaysMs) {
      if (this.pendingFrames >= this.options.maxQueuedFrames) break;
      if (delayMs > 0) this.enqueueAfter(bytes, delayMs);
      else this.enqueueNow(bytes);
      admitted += 1;
    }
    this.counters.queued = this.pendingFrames;
    return admitted;
  }

  /**
   * The peer restarted elsewhere: drop the old connection (and a send stuck on it) and every frame still waiting for
   * the old process, queued or delayed. They were addressed to a process that died, and on a real network they die
   * with it (its connections reset); delivering them to its next incarnation instead let a deposed leader's old
   * AppendEntries, queued while the follower was down, fill the restarted follower's log before the new leader's
   * first message reached it, so the follower-catch-up exercise never saw the rejection it teaches.
   */
  retarget(endpoint: string): void {
    if (this.closed || endpoint === this.currentEndpoint) return;
    const old = this.socket;
    this.currentEndpoint = endpoint;
    this.discardPending();
    this.socket = this.connect(endpoint);
    old.close();
  }

  /** Discards everything pending (counted as dropped) and closes the socket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.discardPending();
    this.socket.close();
  }

  private discardPending(): void {
    for (const timer of this.delayTimers) clearTimeout(timer);
    const discarded = this.queue.clear() + this.delayTimers.size;
    this.delayTimers.clear();
    this.counters.dropped += discarded;
    this.counters.queued = 0;
  }

  private connect(endpoint: string): Dealer {
    const socket = new Dealer({
      routingId: this.options.routingId,
      sendHighWaterMark: this.options.sendHighWaterMark,
      // Queue only on a live connection: while the peer is down, frames wait in our bounded queue, not in ZeroMQ.
      immediate: true,
      linger: 0,
      reconnectInterval: 100,
      reconnectMaxInterval: 1000,
    });
    useNonBlockingSends(socket);
    socket.connect(endpoint);
    return socket;
  }

  private enqueueAfter(bytes: Buffer, delayMs: number): void {
    // Node's timers may fire up to a millisecond early; an injected delay is a promise of "at least".
    const dueNs = process.hrtime.bigint() + BigInt(Math.ceil(delayMs * 1e6));
    const arm = (waitMs: number): void => {
      const timer = setTimeout(() => {
        this.delayTimers.delete(timer);
        const leftNs = dueNs - process.hrtime.bigint();
        if (leftNs > 0n) {
          arm(Math.max(1, Math.ceil(Number(leftNs) / 1e6)));
          return;
        }
        this.enqueueNow(bytes);
        this.counters.queued = this.pendingFrames;
      }, waitMs);
      this.delayTimers.add(timer);
    };
    arm(delayMs);
  }

  private enqueueNow(bytes: Buffer): void {
    // Cannot fail: admit() reserved the room (pendingFrames counts this copy until it is here).
    const stored = this.queue.push(bytes);
    if (!stored) throw new Error(`invariant: queue for S${this.peerId} overflowed a reserved slot`);
    if (!this.pumping) this.feed();
  }

  /** Sends at once what the socket takes; if frames are left (back-pressure), one parks in a blocking send. */
  private feed(): void {
    if (this.closed) return;
    this.counters.sent += sendWhileWritable(this.socket, this.queue, this.onLost);
    this.counters.queued = this.pendingFrames;
    if (this.queue.length > 0 && !this.closed) {
      this.pumping = true;
      void this.pumpBlocked();
    }
  }

  private readonly onLost = (): void => {
    this.counters.sent -= 1;
    this.counters.dropped += 1;
  };

  /** One blocking send in flight at a time (zeromq.js rejects a second one with EBUSY). Never throws. */
  private async pumpBlocked(): Promise<void> {
    try {
      while (!this.closed) {
        const bytes = this.queue.shift();
        if (bytes === undefined) break;
        this.counters.queued = this.pendingFrames;
        if (await sendBlocking(this.socket, bytes)) this.counters.sent += 1;
        else this.counters.dropped += 1;
        if (this.closed) break;
        this.counters.sent += sendWhileWritable(this.socket, this.queue, this.onLost);
        this.counters.queued = this.pendingFrames;
      }
    } finally {
      this.pumping = false;
    }
  }
}
