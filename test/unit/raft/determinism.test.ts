// The core is a deterministic state machine: the same configuration, seed and inputs give the same outputs.

import { describe, expect, it } from 'vitest';
import { Cluster } from './cluster';
import { fuzz } from './fuzz';

function transcript(seed: number): string {
  const c = new Cluster({ size: 5, favourite: null, seed });
  c.electLeader();
  const leader = c.leader() ?? 0;
  c.node(leader).propose('a');
  c.isolate(leader);
  c.run(1500);
  c.heal();
  c.run(500);
  return JSON.stringify({ readies: [...c.readies], now: c.nowMs });
}

describe('determinism', () => {
  it('The same seed gives byte-identical Readys (messages, events, persistence, committed entries)', () => {
    for (const seed of [1, 7, 12345]) {
      expect(transcript(seed), `seed ${seed}`).toBe(transcript(seed));
    }
  });

  it('Different seeds draw different election timeouts', () => {
    const deadlines = [1, 2, 3, 4].map((seed) => new Cluster({ favourite: null, seed }).node(1).nextDeadlineMs());
    expect(new Set(deadlines).size).toBeGreaterThan(1);
  });

  it('A randomized schedule replays identically from its seed', () => {
    for (const seed of [3, 99]) {
      expect(fuzz(seed, 1500), `replay: fuzz(${seed}, 1500)`).toEqual(fuzz(seed, 1500));
    }
  });
});
