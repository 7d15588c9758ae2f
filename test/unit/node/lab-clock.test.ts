// A node's reading of the lab clock, the inbox of held messages and the gate between the transport and the core:
// lab time slows, stops and never goes back; messages are handed over at their due time, never while frozen, and
// can be delivered, dropped or duplicated by hand.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LabClock } from '../../../src/node/runtime/lab-clock';
import { HeldInbox } from '../../../src/node/runtime/held-inbox';
import { DeliveryGate } from '../../../src/node/runtime/delivery-gate';
import { NetworkDelay } from '../../../src/node/runtime/network-delay';
import type { PeerFrame } from '../../../src/protocol/wire';

const MS = 1e6;

function frame(id: string, deliverAtMs?: number): PeerFrame {
  const msg = { type: 'RequestVoteReply', from: 2, to: 1, term: 1, voteGranted: true, preVote: false } as const;
  return deliverAtMs === undefined ? { v: 1, id, sentAtNs: 0, msg } : { v: 1, id, sentAtNs: 0, deliverAtMs, msg };
}

describe('LabClock', () => {
  it('runs timeScale times slower than the machine and stands still while frozen', () => {
    let nowNs = 1000 * MS;
    const clock = new LabClock({ anchorNs: 1000 * MS, labMs: 50, timeScale: 10, frozen: false }, () => nowNs);
    nowNs += 100 * MS;
    expect(clock.nowMs()).toBeCloseTo(60);
    expect(clock.realDelayUntilMs(70)).toBeCloseTo(100);
    clock.apply({ anchorNs: nowNs, labMs: 60, timeScale: 10, frozen: true });
    nowNs += 5000 * MS;
    expect(clock.nowMs()).toBe(60);
    expect(clock.realDelayUntilMs(61)).toBe(Infinity);
    expect(clock.machineTimeOfNs(61)).toBeNull();
  });

  it('never goes back, even when a new segment starts below what was already read', () => {
    let nowNs = 0;
    const clock = new LabClock({ anchorNs: 0, labMs: 0, timeScale: 1, frozen: false }, () => nowNs);
    nowNs = 30 * MS;
    expect(clock.nowMs()).toBeCloseTo(30);
    clock.apply({ anchorNs: 0, labMs: 20, timeScale: 1, frozen: true });
    expect(clock.nowMs()).toBeCloseTo(30);
  });
});

describe('HeldInbox', () => {
  it('keeps frames in due order, ties in arrival order, and refuses past its bound', () => {
    const inbox = new HeldInbox(3);
    expect(inbox.add(frame('b'), 20)).toBe(true);
    expect(inbox.add(frame('a'), 10)).toBe(true);
    expect(inbox.add(frame('c'), 20)).toBe(true);
    expect(inbox.add(frame('d'), 5)).toBe(false);
    expect(inbox.peek()?.frame.id).toBe('a');
    expect(inbox.takeDue(20).map((held) => held.frame.id)).toEqual(['a', 'b', 'c']);
    expect(inbox.size).toBe(0);
  });
});

describe('DeliveryGate', () => {
  afterEach(() => vi.useRealTimers());

  function gateAt(frozen: boolean) {
    let nowNs = 0;
    const clock = new LabClock({ anchorNs: 0, labMs: 0, timeScale: 1, frozen }, () => nowNs);
    const delivered: string[] = [];
    const held: string[] = [];
    const gate = new DeliveryGate({ clock, deliver: (f) => delivered.push(f.id), onHeldWhileFrozen: (f) => held.push(f.id),
      onOverflow: () => undefined });
    return { gate, clock, delivered, held, advance: (ms: number) => { nowNs += ms * MS; } };
  }

  it('hands over at once a frame that is due, and holds one that is not until lab time reaches it', () => {
    vi.useFakeTimers();
    const { gate, delivered, advance } = gateAt(false);
    gate.offer(frame('now'));
    gate.offer(frame('later', 10));
    expect(delivered).toEqual(['now']);
    advance(10);
    vi.advanceTimersByTime(10);
    expect(delivered).toEqual(['now', 'later']);
  });

  it('holds everything while frozen and reports it; delivers, duplicates and drops by hand', () => {
    const { gate, delivered, held } = gateAt(true);
    gate.offer(frame('x'));
    gate.offer(frame('y', 5));
    expect(delivered).toEqual([]);
    expect(held).toEqual(['x', 'y']);
    expect(gate.next()?.frame.id).toBe('x');
    expect(gate.duplicate('x')).toBe('x+1');
    expect(gate.duplicate('nothing')).toBeNull();
    expect(gate.deliverNow('x')).toBe(true);
    expect(gate.deliverNow('x')).toBe(false);
    expect(gate.deliverNow('x+1')).toBe(true);
    expect(gate.drop('y')?.id).toBe('y');
    expect(gate.next()).toBeUndefined();
    expect(delivered).toEqual(['x', 'x+1']);
  });

  it('releases what is due when the clock runs again', () => {
    vi.useFakeTimers();
    const { gate, clock, delivered } = gateAt(true);
    gate.offer(frame('x', 0));
    clock.apply({ anchorNs: 0, labMs: 0, timeScale: 1, frozen: false });
    gate.clockChanged();
    expect(delivered).toEqual(['x']);
  });
});

describe('NetworkDelay', () => {
  it('draws within [min, max] and the same draws from the same seed', () => {
    const a = new NetworkDelay([8, 15], 42, 3);
    const b = new NetworkDelay([8, 15], 42, 3);
    const drawsA = Array.from({ length: 200 }, () => a.sampleMs());
    expect(drawsA).toEqual(Array.from({ length: 200 }, () => b.sampleMs()));
    for (const delayMs of drawsA) {
      expect(delayMs).toBeGreaterThanOrEqual(8);
      expect(delayMs).toBeLessThan(15);
    }
    expect(new NetworkDelay([0, 0], 1, 1).isZero).toBe(true);
  });
});
