// A fixed election timeout (min == max, Figure 16's "150–150 ms"): accepted by the core, drawn without randomness,
// and without disturbing the seeded sequence of the other draws.
import { describe, expect, it } from 'vitest';
import { createRaftNode } from '../../../src/raft';
import { createRandom } from '../../../src/raft/random';
import { nodeConfig } from './cluster';

const SEED = 7;

describe('a fixed election timeout (min == max)', () => {
  it('draws exactly min from an empty range and leaves the seeded sequence where it was', () => {
    console.info(`seed ${SEED}`);
    const plain = createRandom(SEED, 1);
    const mixed = createRandom(SEED, 1);
    for (let i = 0; i < 100; i++) {
      expect(mixed.intInRange(150, 150)).toBe(150);
      expect(mixed.intInRange(150, 300)).toBe(plain.intInRange(150, 300));
    }
  });

  it('still refuses an inverted range', () => {
    expect(() => createRandom(SEED, 1).intInRange(151, 150)).toThrow(/empty random range/);
    expect(() => createRaftNode({ ...nodeConfig(1, [1, 2, 3]), electionTimeoutMs: [300, 299] }, null, 0)).toThrow(/max >= min/);
  });

  it('a node configured with [150, 150] times out exactly 150 ms after each reset', () => {
    console.info(`seed ${SEED}`);
    const node = createRaftNode({ ...nodeConfig(1, [1, 2, 3], { seed: SEED }), electionTimeoutMs: [150, 150] }, null, 0);
    expect(node.nextDeadlineMs()).toBe(150);
    node.tick(150); // times out, becomes a candidate and draws again
    node.ready();
    expect(node.nextDeadlineMs()).toBe(300);
  });
});
