// Which drawn element each message in the cluster diagram uses. Keyed by message id, every new message mounted a glyph
// (a component with its SVG shapes and letters) and every arrived one unmounted its own: at 5,000 events/s for 9 nodes
// about 1,600 messages a second, most of the ~50 on screen replaced at each publish. Instead a message keeps its slot
// while it is drawn, and a message that leaves hands its slot to the next new one. A slot with no message stays
// mounted, idle (hidden, with no test id), for a few seconds: the number drawn falls between publishes as messages
// arrive and rises at the next, and a slot kept idle meanwhile is updated in place rather than built again.

export interface Slotted<T> {
  /** Stable while the message stays on screen; the lowest free slot when it appears. */
  readonly slot: number;
  /** The slot's message, or (idle) the last message it drew, which keeps the element's shape for the next one. */
  readonly item: T;
  readonly idle: boolean;
}

/** Calls (frames) after which idle slots beyond the recent peak are let go. */
const IDLE_FRAMES_KEPT = 120;

export class SpriteSlots<T> {
  private slotById = new Map<string, number>();
  /** What each slot drew last, live or idle; its length is the number of elements kept. */
  private lastItems: T[] = [];
  private peak = 0;
  private framesSincePeak = 0;

  constructor(private readonly idOf: (item: T) => string) {}

  /**
   * Slots for this frame's `items`: live ones in the items' order (each item once; the page keeps that order, newest
   * message first), then the idle ones kept, in slot order.
   * Items still drawn keep their slots; slots of items gone are free for new ones (lowest first). The slots kept are
   * at most the largest number of items drawn at once in the last IDLE_FRAMES_KEPT calls.
   */
  assign(items: readonly T[]): Slotted<T>[] {
    const next = new Map<string, number>();
    const live: (T | undefined)[] = [];
    const fresh = new Map<string, T>();
    for (const item of items) {
      const id = this.idOf(item);
      if (next.has(id) || fresh.has(id)) continue; // listed twice: drawn once
      const slot = this.slotById.get(id);
      if (slot === undefined) fresh.set(id, item);
      else {
        next.set(id, slot);
        live[slot] = item;
      }
    }
    let free = 0;
    for (const [id, item] of fresh) {
      while (live[free] !== undefined) free += 1;
      live[free] = item;
      next.set(id, free);
    }
    this.slotById = next;
    this.keepPeak(next.size, live.length);
    const out: Slotted<T>[] = [];
    for (let slot = 0; slot < live.length; slot += 1) {
      const item = live[slot];
      if (item !== undefined) this.lastItems[slot] = item;
    }
    const listed = new Set<number>();
    for (const item of items) {
      const slot = next.get(this.idOf(item)) as number;
      if (listed.has(slot)) continue; // a second listing of the same message
      listed.add(slot);
      out.push({ slot, item: live[slot] as T, idle: false });
    }
    const kept = Math.max(live.length, Math.min(this.peak, this.lastItems.length));
    for (let slot = 0; slot < kept; slot += 1) {
      if (live[slot] === undefined) out.push({ slot, item: this.lastItems[slot] as T, idle: true });
    }
    this.lastItems.length = kept;
    return out;
  }

  private keepPeak(count: number, slotsUsed: number): void {
    this.framesSincePeak += 1;
    if (count >= this.peak || this.framesSincePeak > IDLE_FRAMES_KEPT) {
      this.peak = Math.max(count, slotsUsed);
      this.framesSincePeak = 0;
    }
  }
}
