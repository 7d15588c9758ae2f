// Between the transport and the Raft runtime: a message is handed to the core when lab time reaches the time its
// sender stamped on it (deliverAtMs: the cluster's network delay, so in slow motion a message visibly travels), and
// never while the cluster is frozen. Frozen, every arriving message waits here, and the lab decides what happens
// next: it steps one delivery at a time, or a student delivers, drops or duplicates a waiting message by hand.
import { MAX_MESSAGE_ID_CHARS, type PeerFrame } from '../../protocol/wire';
import { HeldInbox, type HeldFrame, type HoldableFrame } from './held-inbox';
import type { LabClock } from './lab-clock';

/** A frame the gate can time: its id, and the lab time its sender stamped it due at (absent: at once). */
export interface GatedFrame extends HoldableFrame {
  readonly deliverAtMs?: number;
}

export interface DeliveryGateOptions<F extends GatedFrame = PeerFrame> {
  readonly clock: LabClock;
  /** Hand the frame to the core (or to the student's process). */
  deliver(frame: F): void;
  /** A frame was put on hold while the cluster is frozen (the lab waits for these after a step). */
  onHeldWhileFrozen(frame: F): void;
  /** The inbox is full: the frame is lost (reported as a drop). */
  onOverflow(frame: F): void;
  readonly inbox?: HeldInbox<F>;
}

export class DeliveryGate<F extends GatedFrame = PeerFrame> {
  private readonly inbox: HeldInbox<F>;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Copies made by hand so far: numbers each copy's id. */
  private copies = 0;

  constructor(private readonly o: DeliveryGateOptions<F>) {
    this.inbox = o.inbox ?? new HeldInbox<F>();
  }

  /** A valid frame arrived on an open link. */
  offer(frame: F): void {
    if (this.closed) return;
    const clock = this.o.clock;
    const deliverAtMs = frame.deliverAtMs;
    // The fast path (no delay configured, not frozen): nothing is queued or timed, and not even the clock is read
    // (an unstamped frame is due at once; this runs for every message of a benchmark).
    if (!clock.frozen && (deliverAtMs === undefined || deliverAtMs <= clock.nowMs())) {
      this.o.deliver(frame);
      return;
    }
    if (!this.inbox.add(frame, deliverAtMs ?? 0)) {
      this.o.onOverflow(frame);
      return;
    }
    if (clock.frozen) this.o.onHeldWhileFrozen(frame);
    else this.arm();
  }

  /** The message due first, for the lab's choice of the next step. */
  next(): HeldFrame<F> | undefined {
    return this.inbox.peek();
  }

  /** Hands over the first held copy of `id` now, whatever its due time; false if it is not held here. */
  deliverNow(id: string): boolean {
    const held = this.inbox.take(id);
    if (!held) return false;
    this.o.deliver(held.frame);
    this.arm();
    return true;
  }

  /** Removes the first held copy of `id`; the frame, or undefined if it is not held here. */
  drop(id: string): F | undefined {
    const held = this.inbox.take(id);
    this.arm();
    return held?.frame;
  }

  /**
   * A second copy of a held message, due at the same time (as a duplicating network would deliver it), under its own
   * id so that each copy can be watched and acted on; the copy's id, or null if `id` is not held here (or the inbox
   * is full, or the id would grow past the wire's bound).
   */
  duplicate(id: string): string | null {
    const held = this.inbox.find(id);
    if (!held) return null;
    this.copies += 1;
    const copyId = `${id}+${this.copies}`;
    if (copyId.length > MAX_MESSAGE_ID_CHARS) return null;
    if (!this.inbox.add({ ...held.frame, id: copyId }, held.deliverAtMs)) return null;
    this.arm();
    return copyId;
  }

  /** The lab clock changed (run, freeze, slow motion): deliver what is due now and time the rest anew. */
  clockChanged(): void {
    this.releaseDue();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.inbox.clear();
  }

  private releaseDue(): void {
    if (this.closed) return;
    if (!this.o.clock.frozen) {
      for (const held of this.inbox.takeDue(this.o.clock.nowMs())) this.o.deliver(held.frame);
    }
    this.arm();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const first = this.inbox.peek();
    if (this.closed || !first) return;
    const delayMs = this.o.clock.realDelayUntilMs(first.deliverAtMs);
    if (!Number.isFinite(delayMs)) return; // frozen: only the lab moves time now
    // Node's timers may fire a little early; releaseDue re-arms for whatever is not due yet.
    this.timer = setTimeout(() => {
      this.timer = null;
      this.releaseDue();
    }, Math.min(Math.ceil(delayMs), 60_000));
  }
}
