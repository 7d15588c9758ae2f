// The simulator benchmark measures the real thing: log compaction on and the invariant checker after every event.
// (Its speed is printed by `npm run bench:sim`; tests assert what it runs, not how fast.)
import { describe, expect, it } from 'vitest';
import { runBench } from '../../../src/sim/drivers/bench';

describe('runBench', () => {
  it('runs a 5-node cluster under client load with compaction and invariant checks, and reports its speed', () => {
    const result = runBench({ seconds: 20, warmupSeconds: 6 });
    expect(result.checkInvariants).toBe(true);
    expect(result.snapshotEvery).toBe(100);
    expect(result.committed).toBeGreaterThan(150);
    expect(result.snapshotIndex).toBeGreaterThanOrEqual(100);
    expect(result.simulatedMs).toBe(20_000);
    expect(result.speedup).toBeGreaterThan(0);
    expect(result.steps).toBeGreaterThan(1000);
  });
});
