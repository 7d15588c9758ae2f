// Seeds that once found a bug, replayed forever.
import { describe, expect, it } from 'vitest';
import { FAULT_PROFILES, drawableFaults } from '../../../src/sim/fault-schedule';
import { runFuzzSeed } from '../../../src/sim/fuzz';

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
});
