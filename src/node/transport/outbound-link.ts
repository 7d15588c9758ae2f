// The sending half of one directed link: a DEALER socket connected to one peer, a bounded queue in front of it,
// and an async pump that feeds the queue to the socket one frame at a time. The caller's `admit` is synchronous
// and never waits: a peer that is dead (no connection) or stopped (TCP buffers full) only ever stalls its own
// pump; once its queue is full, further frames for it are dropped.
import { Dealer } from 'zeromq';
import type { NodeId } from '../../raft/types';
import { BoundedQueue } from './bounded-queue';
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

  /** The peer restarted elsewhere: drop the old connection (and a send stuck on it), keep the queue. */
  retarget(endpoint: string): void {
    if (this.closed || endpoint === this.currentEndpoint) return;
    const old = this.socket;
    this.currentEndpoint = endpoint;
    this.socket = this.connect(endpoint);
    old.close();
  }

  /** Discards everything pending (counted as dropped) and closes the socket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.delayTimers) clearTimeout(timer);
    const discarded = this.queue.clear() + this.delayTimers.size;
    this.delayTimers.clear();
    this.counters.dropped += discarded;
    this.counters.queued = 0;
    this.socket.close();
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
    socket.connect(endpoint);
    return socket;
  }

  private enqueueAfter(bytes: Buffer, delayMs: number): void {
    const timer = setTimeout(() => {
      this.delayTimers.delete(timer);
      this.enqueueNow(bytes);
      this.counters.queued = this.pendingFrames;
    }, delayMs);
    this.delayTimers.add(timer);
  }

  private enqueueNow(bytes: Buffer): void {
    // Cannot fail: admit() reserved the room (pendingFrames counts this copy until it is here).
    const stored = this.queue.push(bytes);
    if (!stored) throw new Error(`invariant: queue for S${this.peerId} overflowed a reserved slot`);
    if (!this.pumping) {
      this.pumping = true;
      void this.pump();
    }
  }

  /** One send in flight at a time (zeromq.js rejects a second blocking send with EBUSY). Never throws. */
  private async pump(): Promise<void> {
    try {
      while (!this.closed) {
        const bytes = this.queue.shift();
        if (bytes === undefined) break;
        this.counters.queued = this.pendingFrames;
        try {
          await this.socket.send(bytes);
          this.counters.sent += 1;
        } catch {
          // The socket was closed under a blocked send (retarget or close): the frame is lost, like on a network.
          this.counters.dropped += 1;
        }
      }
    } finally {
      this.pumping = false;
    }
  }
}
