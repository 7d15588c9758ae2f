import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../src/lab/event-hub';

describe('EventHub', () => {
  it('numbers events in order and keeps only the newest window', () => {
    const hub = new EventHub(3);
    for (let i = 0; i < 7; i += 1) hub.publish({ type: 'error', atNs: i, node: null, message: `e${i}` });
    expect(hub.recent().map((event) => event.seq)).toEqual([4, 5, 6]);
    expect(hub.recent(2).map((event) => event.seq)).toEqual([5, 6]);
    expect(hub.nextSequence).toBe(7);
    hub.close();
  });

  it('delivers pending events to subscribers in one batch on flush, and a failing subscriber does not stop others', () => {
    const hub = new EventHub(10);
    const seen: number[][] = [];
    hub.subscribe(() => { throw new Error('broken subscriber'); });
    hub.subscribe((events) => seen.push(events.map((event) => event.seq)));
    hub.publish({ type: 'error', atNs: 1, node: null, message: 'a' });
    hub.publish({ type: 'error', atNs: 2, node: null, message: 'b' });
    hub.flush();
    expect(seen).toEqual([[0, 1]]);
    hub.close();
  });
});
