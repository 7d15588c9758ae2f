// Seeds that once found a bug, replayed forever.
import { describe, expect, it } from 'vitest';
import { runFuzzSeed } from '../../../src/sim/fuzz';

describe('regressions found by the simulator', () => {
  it('a stale-term AppendEntries rejection does not confirm a ReadIndex round (seed 22, heavy reordering)', () => {
    // A heartbeat outlived its leader's restart; the rejection echoed its read round to the new incarnation.
    const result = runFuzzSeed({ seed: 22, profile: 'reordering' });
    expect(result.failure, `replay: ${result.replay}\n${result.failure?.message ?? ''}`).toBeNull();
    expect(result.reads).toBeGreaterThan(0);
  });
});
