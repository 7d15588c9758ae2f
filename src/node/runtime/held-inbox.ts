// Messages that reached this node but are not yet due (the network delay, in lab time) or arrived while the cluster
// is frozen. Kept in delivery order: by due time, then by arrival, so ties resolve the same way on every replay.
// Bounded: a frozen cluster under a client burst must not grow a node without limit.
import type { PeerFrame } from '../../protocol/wire';

export const MAX_HELD_FRAMES = 4096;

/** What the inbox needs of a frame: its id (to act on it by hand). Raft's PeerFrame, or a relayed student message. */
export interface HoldableFrame {
  readonly id: string;
}

export interface HeldFrame<F extends HoldableFrame = PeerFrame> {
  readonly frame: F;
  readonly deliverAtMs: number;
  /** Arrival order here, the tie-break between frames due at the same lab time. */
  readonly arrival: number;
}

export class HeldInbox<F extends HoldableFrame = PeerFrame> {
  /** Sorted by (deliverAtMs, arrival); small in practice (one delay's worth of messages), so insertion is cheap. */
  private readonly held: HeldFrame<F>[] = [];
  private arrivals = 0;

  constructor(private readonly maxFrames = MAX_HELD_FRAMES) {}

  get size(): number {
    return this.held.length;
  }

  /** False (and nothing kept) when full. */
  add(frame: F, deliverAtMs: number): boolean {
    if (this.held.length >= this.maxFrames) return false;
    const entry: HeldFrame<F> = { frame, deliverAtMs, arrival: this.arrivals++ };
    let at = this.held.length;
    while (at > 0 && (this.held[at - 1] as HeldFrame<F>).deliverAtMs > deliverAtMs) at -= 1;
    this.held.splice(at, 0, entry);
    return true;
  }

  /** The frame due first. */
  peek(): HeldFrame<F> | undefined {
    return this.held[0];
  }

  /** Removes and returns the frames due at or before nowMs, in delivery order. */
  takeDue(nowMs: number): HeldFrame<F>[] {
    let count = 0;
    while (count < this.held.length && (this.held[count] as HeldFrame<F>).deliverAtMs <= nowMs) count += 1;
    return this.held.splice(0, count);
  }

  /** Removes and returns the first held copy of message `id`. */
  take(id: string): HeldFrame<F> | undefined {
    const at = this.held.findIndex((entry) => entry.frame.id === id);
    return at < 0 ? undefined : this.held.splice(at, 1)[0];
  }

  /** The first held copy of message `id`, left in place. */
  find(id: string): HeldFrame<F> | undefined {
    return this.held.find((entry) => entry.frame.id === id);
  }

  /** Forgets everything (the node stops). */
  clear(): void {
    this.held.length = 0;
  }
}
