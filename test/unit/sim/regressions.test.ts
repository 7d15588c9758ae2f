// Seeds that once found a bug, replayed forever.
import { describe, expect, it } from 'vitest';
import { FAULT_PROFILES, drawableFaults } from '../../../src/sim/faults/fault-schedule';
import { runFuzzSeed } from '../../../src/sim/drivers/fuzz';
import { runKvSeed } from '../../../src/sim/drivers/kv-run';
import type { FaultProfileName } from '../../../src/sim/faults/fault-schedule';

describe('regressions found by the simulator', () => {
  it('a stale-term AppendEntries rejection does not confirm a ReadIndex round (seed 22, heavy reordering)', () => {
    // A heartbeat outlived its leader's restart; the rejection echoed its read round to the new incarnation.
    const result = runFuzzSeed({ seed: 22, profile: 'reordering' });
    expect(result.failure, `replay: ${result.replay}\n${result.failure?.message ?? ''}`).toBeNull();
    expect(result.reads).toBeGreaterThan(0);
  });

  it('a 1-node cluster is fuzzed without network faults: it has no peer to cut off or delay (seed 13 crashed picking one)', () => {
    const result = runFuzzSeed({ seed: 13, nodes: 1 });
    expect(result.failure, `replay: ${result.replay}\n${result.failure?.message ?? ''}`).toBeNull();
    expect(result.committed).toBeGreaterThan(0);
    expect(drawableFaults(FAULT_PROFILES.mixed, 1)).toEqual(['crash', 'restart', 'crash-leader', 'quick-reboot']);
    expect(drawableFaults(FAULT_PROFILES.mixed, 2)).not.toContain('bridge'); // a bridge needs two sides and a server on both
    expect(drawableFaults(FAULT_PROFILES.mixed, 3)).toHaveLength(Object.keys(FAULT_PROFILES.mixed.weights).length);
    // A profile of network faults only has nothing to draw on one server: the run is simply fault-free.
    expect(drawableFaults(FAULT_PROFILES.partitions, 1)).toEqual([]);
    expect(runFuzzSeed({ seed: 13, nodes: 1, profile: 'partitions', seconds: 2 }).failure).toBeNull();
  });

  it('a lone server answers KV writes: it applies them inside propose(), before they could be registered as waiting', () => {
    // Before: every write went unanswered, was retried (a duplicate, applied as a no-op) and ended unknown.
    const result = runKvSeed({ seed: 5, nodes: 1, seconds: 3 });
    expect(result.failure, `replay: ${result.replay}`).toBeNull();
    const writes = result.history.filter((op) => op.op !== 'get');
    expect(writes.length, 'writes issued').toBeGreaterThan(100);
    expect(writes.filter((op) => op.status === 'unknown'), 'writes never answered').toEqual([]);
    expect(result.completed).toBe(result.history.length);
  });

  // Every profile's schedule on the smallest clusters, raw proposals and KV clients alike: no fault may assume a peer.
  const PROFILES = Object.keys(FAULT_PROFILES) as FaultProfileName[];
  it.each([1, 2])('every fault profile runs on a %i-server cluster, and the cluster recovers', (nodes) => {
    for (const profile of PROFILES) {
      for (const seed of [1, 2, 3]) {
        const fuzz = runFuzzSeed({ seed, nodes, profile, seconds: 3 });
        expect(fuzz.failure, `replay: ${fuzz.replay}\n${fuzz.failure?.message ?? ''}`).toBeNull();
        expect(fuzz.committed, `replay: ${fuzz.replay}`).toBeGreaterThan(0);
      }
      const kv = runKvSeed({ seed: 1, nodes, profile, seconds: 2 });
      expect(kv.failure, `replay: ${kv.replay}\n${kv.failure ?? ''}`).toBeNull();
      expect(kv.history.filter((op) => op.status === 'ok').length, `replay: ${kv.replay}`).toBeGreaterThan(0);
    }
  });
});
